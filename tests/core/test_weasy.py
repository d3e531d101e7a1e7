"""The one PDF renderer (core/weasy.py): a tagged PDF/UA-1 with the page's title and language,
in the shared print style, and nothing fetched but SENDcase's own static files."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from sendcase.core import weasy

PAGE = '<!DOCTYPE html><html lang="en-GB"><head><title>A title</title></head><body>{}</body></html>'


def test_a_tagged_pdf_with_title_and_language() -> None:
    reader = PdfReader(io.BytesIO(weasy.html_to_pdf(PAGE.format("<h1>Heading</h1>"))))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB" and "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata is not None and reader.metadata.title == "A title"


@pytest.mark.parametrize(
    "html",
    [
        '<img src="http://example.org/x.png" alt="">',
        '<img src="https://example.org/x.png" alt="">',
        '<link rel="stylesheet" href="https://example.org/a.css">',
        '<p style="background: url(https://example.org/a.png)">x</p>',
        '<img src="file:///etc/passwd" alt="">',
        '<img src="../../../../../etc/hosts" alt="">',
        '<img src="sendcase/../../core/print.css" alt="">',
        '<img src="data:image/png;base64,AAAA" alt="">',
    ],
    ids=["http", "https", "stylesheet", "css-url", "file", "relative-escape", "dot-dot", "data"],
)
def test_any_url_outside_our_static_files_is_refused(html: str) -> None:
    with pytest.raises(weasy.RefusedFetch, match="refused"):
        weasy.html_to_pdf(PAGE.format(html))


def test_our_own_static_files_may_be_loaded(tmp_path, monkeypatch) -> None:
    svg = tmp_path / "dot.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>')
    monkeypatch.setattr(weasy, "STATIC_DIR", tmp_path.resolve())
    assert weasy.allowed_file(svg.as_uri()) == svg.resolve()
    assert weasy.allowed_file((tmp_path / "missing.svg").as_uri()) is None
    assert weasy.allowed_file("http://example.org/dot.svg") is None
    assert weasy.allowed_file(svg.as_uri().replace("file://", "file://elsewhere")) is None
    html = f'<img src="{svg.as_uri()}" alt="A dot">'
    assert weasy.html_to_pdf(PAGE.format(html)).startswith(b"%PDF")
