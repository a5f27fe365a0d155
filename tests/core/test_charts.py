"""The finance report's charts: well-formed SVG a screen reader can name, bars in proportion to the
money (checked with Decimal), people's text escaped, and a real WeasyPrint PDF that poppler reads."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from core import charts
from core.charts import bars, comparison_bars

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _bars(root: ET.Element, series: str | None = None) -> list[ET.Element]:
    found = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "cr-chart__bar"]
    return [rect for rect in found if series is None or rect.get("data-series") == series]


def _texts(root: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


def _budget(**kwargs) -> str:
    rows = [
        ("Staffing", Decimal("12000"), Decimal("13450.50")),
        ("Training", Decimal("2500"), Decimal("1200.25")),
        ("Supply cover", Decimal("4000"), Decimal("0")),
    ]
    return comparison_bars(
        **{"title": "Spending against budget", "description": "Autumn term spending by line.", "rows": rows} | kwargs
    )


def test_the_chart_is_an_image_named_by_its_title_and_described_by_its_data():
    root = _parse(_budget())
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Spending against budget"
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    # The text alternative carries every amount the bars show, not just the caller's sentence.
    assert desc.text.startswith("Autumn term spending by line.")
    assert "Staffing: planned £12,000.00, actual £13,450.50." in desc.text
    assert "Supply cover: planned £4,000.00, actual £0.00." in desc.text


def test_one_bar_per_amount_with_its_value_written_beside_it():
    root = _parse(_budget())
    assert len(_bars(root)) == 6
    assert len(_bars(root, "0")) == len(_bars(root, "1")) == 3
    texts = _texts(root)
    for amount in ("£12,000.00", "£13,450.50", "£2,500.00", "£1,200.25", "£4,000.00", "£0.00"):
        assert amount in texts
    assert {"Staffing", "Training", "Supply cover", "Planned", "Actual"} <= set(texts)


def test_bar_lengths_are_in_proportion_to_the_money():
    rows = [("A", Decimal("1000"), Decimal("250")), ("B", Decimal("1234.50"), Decimal("7.25"))]
    root = _parse(comparison_bars(title="t", description="d", rows=rows))
    values = [Decimal("1000"), Decimal("1234.50"), Decimal("250"), Decimal("7.25")]
    widths = [Decimal(rect.get("width")) for rect in _bars(root, "0") + _bars(root, "1")]
    per_pound = [width / value for width, value in zip(widths, values, strict=True)]
    # Coordinates are written to the hundredth of a pixel: the scale agrees to that, across every bar.
    assert max(per_pound) - min(per_pound) < Decimal("0.01") / values[-1]
    # Every bar starts on the zero line.
    assert len({rect.get("x") for rect in _bars(root)}) == 1


def test_the_two_series_differ_by_fill_not_colour():
    root = _parse(_budget())
    hatch = root.find(f"{SVG}defs/{SVG}pattern")
    assert {rect.get("fill") for rect in _bars(root, "0")} == {f"url(#{hatch.get('id')})"}
    assert {rect.get("stroke") for rect in _bars(root, "0")} == {"#0b0c0c"}
    assert {rect.get("fill") for rect in _bars(root, "1")} == {"#0b0c0c"}
    # The legend shows the same two fills beside the series' names.
    legend = root.find(f"{SVG}g[@class='cr-chart__legend']")
    assert [rect.get("fill") for rect in legend.iter(f"{SVG}rect")] == [f"url(#{hatch.get('id')})", "#0b0c0c"]
    assert _texts(legend) == ["Planned", "Actual"]
    sizes = {int(text.get("font-size")) for text in root.iter(f"{SVG}text")}
    assert min(sizes) >= 12


def test_people_s_text_is_escaped_and_cannot_break_the_svg():
    svg = comparison_bars(
        title='Income & <script>alert("x")</script>',
        description="Lines <b>typed</b> by the treasurer",
        rows=[("R&D <test>", Decimal("10"), Decimal("5")), ("Tab\x0bbed\x00 line", Decimal("1"), Decimal("2"))],
        labels=('Budget\'s "plan"', "Spent & gone"),
    )
    root = _parse(svg)
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}title").text == 'Income & <script>alert("x")</script>'
    texts = _texts(root)
    assert "R&D <test>" in texts
    assert "Tabbed line" in texts  # characters XML cannot hold are dropped, not allowed to spoil the file
    assert {'Budget\'s "plan"', "Spent & gone"} <= set(texts)
    assert "R&amp;D &lt;test&gt;" in svg


def test_nothing_but_zeros_draws_an_empty_chart_without_dividing_by_zero():
    root = _parse(comparison_bars(title="t", description="d", rows=[("Only", Decimal("0"), Decimal("0"))]))
    assert [rect.get("width") for rect in _bars(root)] == ["0", "0"]
    assert _texts(root).count("£0.00") == 2
    assert "£0" in _texts(root)  # the scale shows its zero


def test_no_rows_still_makes_a_chart_that_says_so():
    root = _parse(bars(title="Outstanding", description="Nothing is owed.", rows=[]))
    assert _bars(root) == []
    assert "There is nothing to show." in root.find(f"{SVG}desc").text


def test_one_row_fills_the_scale():
    root = _parse(bars(title="t", description="d", rows=[("Hill Primary", Decimal("450"))], label="Outstanding"))
    (bar,) = _bars(root)
    assert Decimal(bar.get("width")) > 0
    assert root.find(f"{SVG}g[@class='cr-chart__legend']") is None  # one series needs no key
    assert "Hill Primary: outstanding £450.00." in root.find(f"{SVG}desc").text


def test_a_negative_amount_runs_left_of_zero_with_its_sign():
    rows = [("Refunds", Decimal("500"), Decimal("-320")), ("Staffing", Decimal("12000"), Decimal("13450.50"))]
    root = _parse(comparison_bars(title="t", description="d", rows=rows))
    zero = next(Decimal(line.get("x1")) for line in root.iter(f"{SVG}line") if line.get("stroke-width") == "1.5")
    refund = _bars(root, "1")[0]
    assert Decimal(refund.get("x")) + Decimal(refund.get("width")) == zero
    assert Decimal(refund.get("x")) < zero
    assert "-£320.00" in _texts(root)
    # A small negative does not take a whole round step of the scale: no "-£5,000" tick.
    assert not [text for text in _texts(root) if text.startswith("-£") and text != "-£320.00"]


def test_the_scale_is_marked_at_round_amounts():
    ticks = [text for text in _texts(_parse(_budget())) if re.fullmatch(r"£[\d,]+", text)]
    assert ticks == ["£0", "£5,000", "£10,000", "£15,000"]
    assert charts._scale(Decimal(0), Decimal("0.7"), room=Decimal(500), label=Decimal(100))[2] == [
        Decimal("0"),
        Decimal("0.2"),
        Decimal("0.4"),
        Decimal("0.6"),
        Decimal("0.8"),
    ]


def test_a_long_name_wraps_to_two_lines_and_the_description_keeps_it_whole():
    name = "Continuing professional development for support staff across all partnership schools"
    root = _parse(bars(title="t", description="d", rows=[(name, Decimal("1"))]))
    spans = [span.text for span in root.iter(f"{SVG}tspan")]
    assert len(spans) == 2 and spans[1].endswith("…")
    assert all(len(span) <= 30 for span in spans)
    assert name in root.find(f"{SVG}desc").text


def test_two_charts_on_one_page_do_not_share_ids():
    first, second = _parse(_budget()), _parse(_budget(title="Income against budget"))
    assert first.find(f"{SVG}title").get("id") != second.find(f"{SVG}title").get("id")
    assert first.find(f"{SVG}defs/{SVG}pattern").get("id") != second.find(f"{SVG}defs/{SVG}pattern").get("id")


def test_amounts_must_be_decimal_not_float():
    with pytest.raises(TypeError):
        bars(title="t", description="d", rows=[("A", 1.5)])
    with pytest.raises(ValueError):
        bars(title="t", description="d", rows=[("A", Decimal("NaN"))])
    assert "float(" not in Path(charts.__file__).read_text()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm, pdftotext) is not installed")
def test_weasyprint_draws_the_chart_in_a_pdf_that_reads_as_text_and_as_an_image(tmp_path):
    from meetings.pack import pdf_from_html

    chart = _budget(
        rows=[("R&D <test>", Decimal("2500"), Decimal("-120.75")), ("Staffing", Decimal("9000"), Decimal("9876.54"))]
    )
    outstanding = bars(title="Contributions outstanding", description="d", rows=[("Hill Primary", Decimal("450"))])
    html = (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Finance report</title></head>'
        f"<body><h1>Finance report</h1>{chart}{outstanding}</body></html>"
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(pdf_from_html(html))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for shown in ("£2,500.00", "-£120.75", "£9,000.00", "£9,876.54", "£450.00", "Planned", "Actual", "R&D <test>"):
        assert shown in text
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    png = (tmp_path / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 1000


# --- Heat maps ----------------------------------------------------------------------------------------

MARKS = {
    "present": charts.Mark("P", "Present", "#cce2d8"),
    "absent": charts.Mark("X", "Absent", "#942514", ink="#ffffff"),
}


def _heat(**kwargs) -> str:
    rows = [("Hill Primary", ["present", "absent", None]), ('R&D <School> "Academy"', ["absent", "absent", "present"])]
    columns = ["4 Sep", "9 Oct", "6 Nov"]
    arguments = {"title": "Attendance", "description": "Three meetings.", "columns": columns, "rows": rows}
    return charts.heat_map(**arguments | {"marks": MARKS} | kwargs)


def _cells(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "cr-chart__cell"]


def test_a_heat_map_is_an_image_with_a_cell_per_row_and_column_each_with_its_letter():
    root = _parse(_heat())
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Attendance"
    cells = _cells(root)
    assert [(c.get("data-row"), c.get("data-column"), c.get("data-value")) for c in cells] == [
        ("0", "0", "present"),
        ("0", "1", "absent"),
        ("0", "2", ""),
        ("1", "0", "absent"),
        ("1", "1", "absent"),
        ("1", "2", "present"),
    ]
    # Read without colour: every recorded cell (and the legend) writes its letter; a blank cell none.
    letters = [t.text for t in root.iter(f"{SVG}text") if t.text in ("P", "X")]
    assert letters == ["P", "X"] + ["P", "X", "X", "X", "P"]
    texts = _texts(root)
    assert "Present" in texts and "Absent" in texts and "Not recorded" in texts  # the legend
    assert [t.text for t in root.iter(f"{SVG}tspan")][:2] == ["4", "Sep"]  # a column's label in two lines


def test_a_heat_maps_text_alternative_counts_each_rows_marks_and_escapes_names():
    svg = _heat()
    root = _parse(svg)
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Three meetings.")
    assert "Hill Primary: present 1, absent 1, not recorded 1." in desc
    assert 'R&D <School> "Academy": present 1, absent 2.' in desc
    assert "<School>" not in svg  # escaped in the markup, whole in the parsed text


def test_a_heat_map_refuses_rows_of_the_wrong_length_or_unknown_marks():
    with pytest.raises(ValueError):
        _heat(rows=[("A", ["present"])])
    with pytest.raises(ValueError):
        _heat(rows=[("A", ["present", "late", None])])


def test_a_heat_map_of_many_meetings_grows_wider_rather_than_cramming_them():
    columns = [f"{day} Jan" for day in range(1, 31)]
    root = _parse(_heat(columns=columns, rows=[("A", ["present"] * 30)]))
    assert int(root.get("width")) > charts.WIDTH
    assert all(Decimal(c.get("width")) >= charts.MIN_CELL for c in _cells(root))
