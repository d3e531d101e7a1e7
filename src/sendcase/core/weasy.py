"""The one way SENDcase makes a PDF: HTML to a tagged, accessible PDF (PDF/UA-1: a structure
tree, the title and the language from the page's <html lang> and <title>) with WeasyPrint.
Plans and letters (documents.render), the committee report (reporting.pdf), the chronology and
the bulletin (inspection), the subject access index (information.bundle).

Every PDF shares one print style (`print.css` beside this module); a document adds its own
(page size, type sizes) as `css`. The style sheets are given here rather than in the
templates, so no template carries an inline <style> (tests/core/test_middleware_security_headers.py).

The HTML is our own templates' output, and nothing is fetched from anywhere: a URL in it (an
image, a style sheet, a font) is refused and stops the render, unless it is a file in SENDcase's
own bundled static directory.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:  # weasyprint is a slow import; only the code that makes a PDF pays for it
    import weasyprint

PRINT_CSS = Path(__file__).with_name("print.css")
# SENDcase's own static files (the only files a PDF may load, e.g. a bundled font or image).
STATIC_DIR = (Path(__file__).parent.parent / "static").resolve()


def allowed_file(url: str) -> Path | None:
    """The bundled static file a `file:` URL names, or None for any other URL (http, https,
    data, a file anywhere else, a path that climbs out with ..)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if path.is_relative_to(STATIC_DIR) and path.is_file() else None


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher  # slow import, as above

    class OwnStaticOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if allowed_file(url) is None:
                raise ValueError(f"PDFs load nothing but SENDcase's own files; refused {url}")
            return super().fetch(url, headers)

    return OwnStaticOnly


def url_fetcher() -> Any:
    """WeasyPrint's fetcher, refusing (fatally: the render stops) every URL but our own
    static files."""
    return _fetcher_class()(fail_on_errors=True, allow_redirects=False)


@functools.cache
def _sheet(path: Path) -> weasyprint.CSS:
    """A style sheet parsed once per process (they are our own files, fixed at deploy)."""
    import weasyprint  # slow import, as above

    return weasyprint.CSS(string=path.read_text(encoding="utf-8"), url_fetcher=url_fetcher())


class RefusedFetch(ValueError):
    """The HTML or a style sheet named something to fetch that is not our own static file."""


def html_to_pdf(html: str, css: Path | None = None) -> bytes:
    """A tagged PDF (PDF/UA-1) from a complete HTML page with its lang and title, in the shared
    print style plus the document's own `css`. Raises RefusedFetch if the page names anything
    outside SENDcase's static files."""
    import weasyprint  # slow import, as above
    from weasyprint.urls import FatalURLFetchingError  # slow import, as above

    sheets = [_sheet(p) for p in (PRINT_CSS, css) if p is not None]
    page = weasyprint.HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=url_fetcher()
    )
    try:
        pdf = page.write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1")
    # WeasyPrint's fatal fetch error is a BaseException: turned into an ordinary error here,
    # so that a view's error handling (and a test's) sees it.
    except FatalURLFetchingError as exc:
        raise RefusedFetch(str(exc.__cause__ or exc)) from exc
    return bytes(pdf or b"")
