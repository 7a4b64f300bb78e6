"""What the browser tests measure on an admin page at a laptop's width: what scrolls sideways,
and form fields on a page that should read as text. Shared by the width tests (a Viewer's
pages) and the accessibility audit (a superuser's, where it opens them anyway)."""

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery"
# Japanese labels are wider than English ones: pages are measured in both languages.
LOCALES = {"en": "en-US", "ja": "ja-JP"}
# The fields of a form, wherever the admin puts them: fieldsets and inlines.
FORM_FIELDS = "#content-main fieldset :is(input:not([type=hidden]), select, textarea)"

# What scrolls sideways: the page itself, or a box inside it that scrolls (Django's list
# scrolls its table inside the page, hiding columns at the right).
SIDEWAYS = """() => {
  const root = document.documentElement;
  const found = [];
  if (root.scrollWidth > root.clientWidth) {
    found.push(`the page: ${root.scrollWidth} px wide in ${root.clientWidth} px`);
  }
  const content = document.querySelector("#content");
  const padding = parseFloat(getComputedStyle(content).paddingRight);
  const edge = content.getBoundingClientRect().right - padding;
  const past = new Set();
  for (const box of content.querySelectorAll("*")) {
    const name = box.id ? `#${box.id}` : `${box.tagName.toLowerCase()}.${box.className}`;
    const overflow = getComputedStyle(box).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && box.scrollWidth > box.clientWidth) {
      found.push(`${name}: shows ${box.clientWidth} of ${box.scrollWidth} px`);
    }
    // Or sticks out of the page's content, under the edge of its module.
    const right = box.getBoundingClientRect().right;
    if (right > edge + 1) {
      past.add(box);
      if (!past.has(box.parentElement)) {
        found.push(`${name}: ends at ${Math.round(right)} px, past the content's ${edge} px`);
      }
    }
  }
  return found;
}"""


def sideways(page, *, admin_home=False):
    """What scrolls sideways on the page, one line each. Django's home puts its recent actions
    in #content's right padding on purpose (a negative margin): inside the screen, though past
    the content's edge, so on the admin's home that one is not counted."""
    return [
        found
        for found in page.evaluate(SIDEWAYS)
        if not (admin_home and found.startswith("#content-related:"))
    ]


def as_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def reads_as_text(page, kind, model, user):
    """Whether a page that must read as text (an old version; a record the user may not change)
    shows form fields: False when it is fine or not such a page."""
    read_only = kind == "version" or (
        kind == "change" and not admin.site._registry[model].has_change_permission(as_request(user))
    )
    return read_only and page.locator(FORM_FIELDS).count() > 0


def log_in(browser, live_server, username, locale="en-US", viewport=LAPTOP):
    """A new browser context logged in to the admin, in the browser language given (the admin's
    language until staff choose one), after a wrong password (the lockout's lists get rows)."""
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    for name, password in (("nobody", "wrong"), (username, PASSWORD)):
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", name)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("input[type=submit]")
    assert page.url == f"{live_server.url}{reverse('admin:index')}"
    return context, page
