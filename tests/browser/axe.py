"""axe-core in the page: WCAG 2.1 A/AA violations, for the accessibility audit and any browser
test that checks a page it has brought to a state of its own (the API's documentation after a
request).

axe-core comes from the npm package (package.json; `npm ci`, which bin/test runs when it is
missing) and is evaluated in the page by Playwright from that local file, never a CDN: a
DevTools evaluation is not subject to the page's Content-Security-Policy, which stays on.
"""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Every success criterion of WCAG 2.0 and 2.1 at levels A and AA, as axe-core tags them.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((violation) => ({
    rule: violation.id,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in the project (bin/test does it).")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, source, where):
    """axe-core's WCAG 2.1 A/AA violations on the page, one line per element."""
    page.evaluate(source)
    return [
        f"{where}: {violation['rule']} ({violation['help']}) at {target}"
        for violation in page.evaluate(RUN_AXE, WCAG_21_AA)
        for target in violation["targets"]
    ]
