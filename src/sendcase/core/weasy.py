"""HTML to a tagged, accessible PDF (PDF/UA-1) with WeasyPrint: the chronology, the subject
access index. The HTML is our own template's output; no remote resources are fetched."""

from __future__ import annotations

from typing import Any


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"PDFs are made from our own HTML only; refused to fetch {url}")


def html_to_pdf(html: str) -> bytes:
    import weasyprint  # imported lazily: only the screens that make PDFs pay for it

    pdf = weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf(pdf_variant="pdf/ua-1")
    return bytes(pdf or b"")
