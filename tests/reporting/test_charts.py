"""The server-drawn charts: well-formed SVG, GOV.UK typography at a readable size, a title."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from sendcase.reporting.charts import Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_a_chart_is_svg_in_govuk_typography_and_readable_sizes() -> None:
    svg = bar_chart(
        [Bar("2023", 41.5, compare=50.3), Bar("2024 <&>", None)],
        title="Plans issued within 20 weeks",
        maximum=100,
        unit="%",
        compare_label="England",
    )
    root = ElementTree.fromstring(str(svg))  # noqa: S314 - our own SVG, made in this test
    assert "arial" in root.get("font-family", "") and "GDS Transport" in root.get("font-family", "")
    assert root.find(f"{SVG}title").text == "Plans issued within 20 weeks"
    sizes = [int(t.get("font-size")) for t in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 13
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "2024 <&>" in labels and "41.5%" in labels
    assert not re.search(r'font-family="[^"]*"[^ >]', str(svg))
