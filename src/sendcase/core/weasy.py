"""HTML to a tagged, accessible PDF (PDF/UA-1) with WeasyPrint: the chronology, the subject
access index. The HTML is our own template's output; no remote resources are fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# The CSS every PDF shares; a document adds its own (page size, type sizes) as `css`. Kept out
# of the templates: no template has an inline <style> (tests/core/test_security_headers.py).
COMMON_CSS = Path(__file__).with_name("pdf.css")


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"PDFs are made from our own HTML only; refused to fetch {url}")


def html_to_pdf(html: str, css: Path | None = None) -> bytes:
    import weasyprint  # imported lazily: only the screens that make PDFs pay for it

    sheets = [weasyprint.CSS(string=p.read_text(encoding="utf-8")) for p in (COMMON_CSS, css) if p]
    pdf = weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf(
        stylesheets=sheets, pdf_variant="pdf/ua-1"
    )
    return bytes(pdf or b"")
