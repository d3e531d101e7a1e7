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
