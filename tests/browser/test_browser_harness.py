"""The harness can fail: axe-core finds a known violation in a page built to have one."""

import pytest

pytestmark = pytest.mark.browser


def test_axe_reports_a_serious_violation(anonymous_page, assert_accessible):
    page = anonymous_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><img src="x.png"><input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_the_content_security_policy_blocks_inline_script_and_the_harness_sees_it(
    anonymous_page, assert_accessible
):
    page = anonymous_page()
    page.goto("/accounts/sign-in/")
    assert_accessible(page)  # the page itself breaks no rule of the policy
    page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.injected = true"; document.body.appendChild(s); }"""
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.injected") is None  # the inline script did not run
    with pytest.raises(AssertionError, match="Content Security Policy violations"):
        assert_accessible(page)


def test_govuk_frontend_starts_from_its_own_files_under_the_policy(anonymous_page):
    page = anonymous_page()
    page.goto("/accounts/sign-in/")
    page.wait_for_selector("[data-govuk-button-init]", state="attached")
    classes = page.evaluate("() => document.body.className")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
