"""The pages benchmarks/pages.py measures, each with its goal as a ratio to the reference."""

STATISTICS_YEAR = 2022

# (label, url, goal as a ratio to the reference); labels starting "admin" are asked as staff.
HTML, DOWNLOAD, ADMIN = 10, 60, 15
PUBLIC_PAGES = [
    ("/", "/", HTML),
    ("/agreements/", "/agreements/", HTML),
    ("/agreements/ page 3", "/agreements/?page=3", HTML),
    (
        "/agreements/ region+kind+year, by -mou",
        "/agreements/?region=europe&kind=mou&concluded_after=2000&ordering=-mou",
        HTML,
    ),
    ("/agreements/ name search", "/agreements/?q=univ", HTML),
    ("/agreements/ country, by name", "/agreements/?country=fr&ordering=name", HTML),
    ("/agreements/ strategic", "/agreements/?strategic=1", HTML),
    ("institution", "/agreements/university-of-bordeaux/", HTML),
    ("/statistics/<year>/", f"/statistics/{STATISTICS_YEAR}/", HTML),
    ("/statistics/ (latest)", "/statistics/", HTML),
    ("/strategic-partnerships/", "/strategic-partnerships/", HTML),
    ("/on-site-laboratories/", "/on-site-laboratories/", HTML),
    ("/fact-sheet/", "/fact-sheet/", DOWNLOAD),
    ("/agreements/?format=csv", "/agreements/?format=csv", DOWNLOAD),
    ("/agreements/?format=xlsx", "/agreements/?format=xlsx", DOWNLOAD),
    ("/agreements/?format=json", "/agreements/?format=json", DOWNLOAD),
    ("/statistics/<year>/?format=csv", f"/statistics/{STATISTICS_YEAR}/?format=csv", DOWNLOAD),
    # The open data API: a page of 50 institutions with everything each carries, as JSON.
    ("/api/v1/institutions/", "/api/v1/institutions/", HTML),
    ("/api/v1/institutions/ region+kind", "/api/v1/institutions/?region=europe&kind=mou", HTML),
    ("/api/v1/statistics/ year", f"/api/v1/statistics/?academic_year={STATISTICS_YEAR}", HTML),
]
ADMIN_PAGES = [
    (f"admin {name}", f"/admin/{name}/", ADMIN)
    for name in [
        "agreements/institution",
        "agreements/agreement",
        "places/country",
        "places/region",
        "agreements/strategicpartnership",
        "agreements/partnershipevent",
        "agreements/onsitelaboratory",
        "agreements/programme",
        "imports/importrecord",
        "exchanges/exchangestatistic",
        "exchanges/statisticsrelease",
    ]
]
# After the 100,000-row statistics: the pages that read the statistics.
STATISTICS_PAGES = [
    ("/statistics/<year>/", f"/statistics/{STATISTICS_YEAR}/", HTML),
    ("/statistics/ (latest)", "/statistics/", HTML),
    ("/", "/", HTML),
    ("/fact-sheet/", "/fact-sheet/", DOWNLOAD),
    ("/statistics/<year>/?format=csv", f"/statistics/{STATISTICS_YEAR}/?format=csv", DOWNLOAD),
    ("admin exchanges/exchangestatistic", "/admin/exchanges/exchangestatistic/", ADMIN),
    ("/api/v1/statistics/ year", f"/api/v1/statistics/?academic_year={STATISTICS_YEAR}", HTML),
    ("admin exchanges/statisticsrelease", "/admin/exchanges/statisticsrelease/", ADMIN),
]
