"""The shared headless-browser harness: Debian's Chromium driven by Playwright, axe-core for WCAG.

Fixtures for any area's browser tests (reporting and SEN2 pages can join the axe walk):

* ``browser``: one headless Chromium for the session (never downloaded: /usr/bin/chromium);
* ``signed_in_page(user, javascript=True)``: a page signed in through the real screens, with
  the password and a TOTP code computed from the person's authenticator key;
* ``anonymous_page(javascript=True)``: a page with nobody signed in;
* ``assert_accessible(page)``: runs axe-core in the page and fails on serious or critical
  violations (WCAG 2.0, 2.1 and 2.2 A and AA rules).

Mark browser tests ``@pytest.mark.browser``. Set SENDCASE_SCREENSHOTS=<folder> to keep
screenshots that tests take with ``screenshot(page, name)``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def settle_after_clicks(locator_class: Any) -> None:
    """Every click waits until the page it leads to has loaded.

    Playwright's click returns once a navigation it starts has begun, before the new page is
    parsed, so a title or an element read at once can be the blank of the page being loaded
    (seen once: a title of '' after a form's submit, with two test processes on 2 cores). A click
    that leads nowhere waits for nothing: the page it is on has long loaded. Called once, by the
    session's `browser` fixture."""
    click = locator_class.click

    def click_and_settle(self: Any, *args: Any, **kwargs: Any) -> None:
        click(self, *args, **kwargs)
        self.page.wait_for_load_state("load")

    locator_class.click = click_and_settle


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci")
    from playwright.sync_api import Locator, sync_playwright

    settle_after_clicks(Locator)
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def _contexts(browser: Any) -> Iterator[list[Any]]:
    contexts: list[Any] = []
    yield contexts
    for context in contexts:
        context.close()


@pytest.fixture
def anonymous_page(
    browser: Any, live_server: Any, transactional_db: None, _contexts: list[Any]
) -> Callable[..., Any]:
    def make(*, javascript: bool = True) -> Any:
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        # Every page keeps the Content Security Policy violations it meets (check_accessible
        # fails on any): an inline script or style, or a source the policy does not allow.
        context.add_init_script(CSP_WATCH)
        _contexts.append(context)
        return context.new_page()

    return make


@pytest.fixture
def signed_in_page(anonymous_page: Callable[..., Any]) -> Callable[..., Any]:
    from sendcase.accounts.testing import confirmed_device, current_code

    def sign_in(user: Any, *, javascript: bool = True, password: str = PASSWORD) -> Any:
        device = confirmed_device(user)
        page = anonymous_page(javascript=javascript)
        page.goto("/accounts/sign-in/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/accounts/verify/**")
        page.fill("#id_token", current_code(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: "/accounts/" not in url)
        return page

    return sign_in


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:3])
        lines.append(f"{v['impact']}: {v['id']}: {v['help']} ({targets})")
    return "\n".join(lines)


CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def csp_violations(page: Any) -> list[str]:
    """What the Content Security Policy blocked on this page (needs JavaScript on)."""
    return list(page.evaluate("() => window.__cspViolations || []"))


def check_accessible(page: Any) -> list[dict[str, Any]]:
    violations = csp_violations(page)
    assert not violations, f"{page.url}: Content Security Policy violations: {violations}"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's policy (no inline script) would
        # refuse axe added as a <script> tag, as it must refuse any inline script.
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


# Narrow screens every page must fit without scrolling sideways (WCAG 1.4.10 reflow: 320 CSS px).
NARROW_WIDTHS = (375, 320)

OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    const inside = el.parentElement && el.parentElement.closest(".app-table-scroll");
    const spills = box.left + el.scrollWidth > width + 1 && getComputedStyle(el).overflowX === "visible";
    if ((box.right > width + 1 || spills) && !inside) {
      wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} ends at ${Math.round(box.right)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}
"""


def sideways_scroll(page: Any, width: int) -> str:
    """What makes the page wider than `width` CSS pixels, or "" when it fits."""
    page.set_viewport_size({"width": width, "height": 900})
    seen = page.evaluate(OVERFLOW)
    if seen["scroll"] <= seen["width"]:
        return ""
    return f"{seen['scroll']} px wide at {width} px: " + "; ".join(seen["wide"])


@pytest.fixture
def assert_accessible() -> Callable[[Any], None]:
    """axe at desktop width and at 375 px, and no sideways scrolling at 375 or 320 px."""

    def check(page: Any) -> None:
        bad = check_accessible(page)
        assert not bad, f"{page.url}:\n{_describe(bad)}"
        desktop = page.viewport_size
        try:
            for width in NARROW_WIDTHS:
                wide = sideways_scroll(page, width)
                assert not wide, f"{page.url} scrolls sideways: {wide}"
                if width == NARROW_WIDTHS[0]:
                    bad = check_accessible(page)
                    assert not bad, f"{page.url} at {width} px:\n{_describe(bad)}"
        finally:
            if desktop:
                page.set_viewport_size(desktop)

    return check


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path | None]:
    def take(page: Any, name: str) -> Path | None:
        folder = os.environ.get("SENDCASE_SCREENSHOTS")
        if not folder:
            return None
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
