"""The site's own pages: the overview on the home page and the fact sheet."""

import pytest


def page_text(response):
    return response.content.decode()


def test_the_overview_counts_partners_by_region_and_the_latest_researchers(client, seed):
    response = client.get("/")
    assert response.status_code == 200
    text = page_text(response)
    assert '<span class="figure">237</span> partner institutions' in text
    assert '<span class="figure">194</span> general memoranda (MOU)' in text
    assert '<span class="figure">153</span> student exchange agreements (SEA)' in text
    assert '<span class="figure">1,285</span> researchers from abroad in 2022' in text
    assert '<span class="figure">3,032</span> researchers going abroad in 2022' in text
    regions = {row["region_slug"]: row for row in response.context["regions"]}
    assert next(iter(regions)) == "asia"
    assert list(regions)[-1] == "others"
    assert (regions["europe"]["institutions"], regions["others"]["institutions"]) == (96, 11)
    assert sum(row["mou"] for row in regions.values()) == 194
    assert sum(row["sea"] for row in regions.values()) == 153
    for name in ("agreements/", "statistics/", "strategic-partnerships/", "fact-sheet/"):
        assert f'href="/{name}"' in text


@pytest.mark.django_db
def test_the_overview_of_an_empty_database_says_so(client):
    text = page_text(client.get("/"))
    assert "No agreement is published yet." in text
    assert "researchers from abroad" not in text


def test_the_fact_sheet_in_the_published_layout(client, seed):
    response = client.get("/fact-sheet/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Strategic Partnerships (SPs)" in text
    assert "Renewal of the Strategic Partnership Agreement" in text
    assert "Promote international research and educational exchange" in text
    assert "ASIA (506)" in text
    assert "EUROPE (1,160)" in text
    assert '<th scope="row">Total</th><td class="number">1,285</td>' in text
    assert '<th scope="row" colspan="2">Total</th><td class="number">194</td>' in text
    assert '<td class="number">153</td></tr></tfoot>' in text
    # Strategic partners carry note 1, the Grenoble scope note is note 2.
    assert text.count('href="#fs-note-1"') == 5
    assert 'id="fs-note-2" value="2">The SEA does not include Sciences Po Grenoble-UGA' in text
    # The country is printed once, on its first row.
    assert text.count("<td>France</td>") == 1
    assert 'media="print"' in text


def test_the_print_stylesheet_fits_a4(client, db):
    from django.contrib.staticfiles import finders

    with open(finders.find("site/print.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert "@page { size: A4 portrait;" in css
    assert ".site-header" in css  # navigation is not printed
