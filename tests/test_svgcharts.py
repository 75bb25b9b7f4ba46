"""Inline SVG bar charts: well-formed XML, bars proportional to values, labels escaped, nothing referenced outside."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from summarizer.svgcharts import bar_chart, bar_length, grouped_bars


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "svg" and root.get("role") == "img"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter("rect") if e.get("class") == "bar"]


def texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter("text") if e.get("class") == cls]


def test_a_bar_chart_is_an_accessible_image_with_one_bar_and_one_value_text_per_row() -> None:
    root = parse(bar_chart([("trips", 0.8), ("summits", 0.25)], title="F1 per category"))
    title = root.find("title")
    assert title is not None and title.text == "F1 per category"
    assert root.get("aria-labelledby") == title.get("id")
    assert texts(root, "label") == ["trips", "summits"]
    assert texts(root, "value") == ["0.80", "0.25"]
    assert [b.get("data-value") for b in bars(root)] == ["0.8", "0.25"]


def test_bar_widths_are_proportional_to_the_values() -> None:
    root = parse(bar_chart([("a", 1.0), ("b", 0.5), ("c", 0.25), ("d", 0.0)], title="t"))
    widths = [float(b.get("width", "nan")) for b in bars(root)]
    assert widths[0] > 100
    assert widths[1:] == pytest.approx([widths[0] / 2, widths[0] / 4, 0.0])


def test_max_value_sets_the_scale_and_longer_values_are_clamped() -> None:
    root = parse(bar_chart([("a", 2.0), ("b", 1.0), ("c", 5.0), ("d", -1.0)], title="t", max_value=2.0))
    a, b, c, d = (float(x.get("width", "nan")) for x in bars(root))
    assert b == pytest.approx(a / 2) and c == a and d == 0.0
    assert bar_length(0.5, 0.0, 100) == 0.0


def test_a_missing_value_is_written_and_has_no_bar() -> None:
    root = parse(bar_chart([("q1", 0.5), ("q4", None)], title="t"))
    assert len(bars(root)) == 1 and texts(root, "value") == ["0.50", "n/a"]


def test_labels_and_titles_are_text_never_markup() -> None:
    label = '<b>x</b> & "q" <script>y</script>'
    svg = bar_chart([(label, 0.5)], title="<i>title</i>", colours=['red" onload="x'])
    root = parse(svg)
    assert texts(root, "label") == [label]
    assert root.find("title") is not None and root.find("title").text == "<i>title</i>"  # type: ignore[union-attr]
    assert not [e for e in root.iter() if e.tag in ("b", "i", "script")]
    assert all(not name.startswith("on") for e in root.iter() for name in e.attrib)


def test_a_long_label_is_cut_with_the_full_label_as_its_tooltip() -> None:
    label = "a very long field label that does not fit the label column"
    root = parse(bar_chart([(label, 0.5)], title="t"))
    (text,) = [e for e in root.iter("text") if e.get("class") == "label"]
    assert text.find("title") is not None and text.find("title").text == label  # type: ignore[union-attr]
    assert (text.find("title").tail or "").endswith("…")  # type: ignore[union-attr]


def groups() -> list[tuple[str, list[tuple[str, float | None]]]]:
    return [("trips", [("P", 1.0), ("R", 0.5), ("F1", 0.667)]), ("<b>x</b>", [("P", 0.2), ("R", None), ("F1", 0.0)])]


def test_grouped_bars_draw_each_series_alike_and_apart_from_the_others() -> None:
    root = parse(grouped_bars(groups(), ["#56B4E9", "#D55E00", "#000000"], "P/R/F1"))
    drawn = bars(root)
    assert len(drawn) == 5  # the missing value has no bar
    fills = [b.get("fill") for b in drawn]
    assert fills[0] == fills[3] == "#56B4E9"  # P solid
    assert fills[1] != fills[0] and fills[2] != fills[1] and fills[2] == fills[4]
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for fill in fills[1:3]:  # the others: a pattern of the chart's own
        assert fill is not None and (m := re.fullmatch(r"url\(#([\w-]+)\)", fill)) and m.group(1) in ids
        assert root.find(f".//pattern[@id='{m.group(1)}']") is not None
    assert texts(root, "value") == ["P 1.00", "R 0.50", "F1 0.67", "P 0.20", "R n/a", "F1 0.00"]
    legend = root.find("g[@class='legend']")
    assert legend is not None and ["".join(t.itertext()) for t in legend.iter("text")] == ["P", "R", "F1"]
    assert texts(root, "label") == ["trips", "<b>x</b>"]


def test_grouped_bar_widths_are_proportional_to_the_values() -> None:
    root = parse(grouped_bars([("g", [("A", 0.8), ("B", 0.4)])], ["#999999", "#D55E00"], "A vs B"))
    a, b = (float(x.get("width", "nan")) for x in bars(root))
    assert b == pytest.approx(a / 2)


def test_charts_load_nothing_and_two_charts_share_no_id() -> None:
    one = grouped_bars(groups(), ["#56B4E9", "#D55E00"], "one")
    two = grouped_bars(groups(), ["#56B4E9", "#D55E00"], "two")
    for svg in (one, two, bar_chart([("a", 1.0)], title="three")):
        assert "http" not in svg and "href" not in svg and "xmlns" not in svg
        assert re.findall(r"url\((?!#)", svg) == []
    id_sets = [{e.get("id") for e in parse(svg).iter() if e.get("id")} for svg in (one, two)]
    assert id_sets[0] and not id_sets[0] & id_sets[1]
    assert one == grouped_bars(groups(), ["#56B4E9", "#D55E00"], "one")  # the same chart is the same string
