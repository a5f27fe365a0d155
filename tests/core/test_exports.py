"""Money lists as CSV and XLSX, read back with the csv module and openpyxl (and LibreOffice if present)."""

import csv
import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.http import Http404
from openpyxl import load_workbook

import core.exports
from core.exports import (
    MONEY_FORMAT,
    Column,
    Kind,
    Table,
    csv_bytes,
    download_response,
    sheet_title,
    spreadsheet_text,
    table_download,
    xlsx_bytes,
)

FORMULAS = ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx"]

PAYMENTS = Table(
    "Payments 2026/27",
    [
        Column("School"),
        Column("Paid on", Kind.DATE),
        Column("Amount", Kind.MONEY),
        Column("FTE pupils", Kind.DECIMAL),
        Column("Pupils", Kind.INTEGER),
        Column("Note"),
    ],
    [
        ("St Zoë's C of E Primary", datetime.date(2026, 9, 1), Decimal("1234.50"), Decimal("412.5"), 420, "£ by BACS"),
        ("Refund", datetime.date(2026, 10, 5), Decimal("-20.00"), None, None, None),
        *[(text, None, Decimal("1.00"), None, None, text) for text in FORMULAS],
        ("Big", None, Decimal("1234567.89"), Decimal("0.0"), 0, "#N/A"),
    ],
)


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _sheet(data: bytes, *, data_only: bool = True):
    return load_workbook(io.BytesIO(data), data_only=data_only).worksheets[0]


# --- The one escape ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_is_prefixed_with_an_apostrophe(text):
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Zoë", "£20 refund", "'quoted", "a=b", "", "Budget - spring"])
def test_plain_text_is_left_alone(text):
    assert spreadsheet_text(text) == text


def test_control_characters_cannot_hide_a_formula():
    assert spreadsheet_text("\x01\x02=SUM(A1)") == "'=SUM(A1)"


def test_both_writers_escape_through_the_one_function():
    source = Path(core.exports.__file__).read_text()
    # The formula characters are named once, in spreadsheet_text's tuple; no writer tests them itself.
    assert source.count("FORMULA_STARTS") == 2
    assert source.count('startswith("=")') == 0


def test_the_module_never_makes_a_float():
    source = Path(core.exports.__file__).read_text()
    assert not re.search(r"\bfloat\(", source)


# --- CSV -----------------------------------------------------------------------------------------------


def test_csv_is_utf8_with_a_bom_and_crlf_line_ends():
    data = csv_bytes(PAYMENTS)
    assert data.startswith(b"\xef\xbb\xbfSchool,Paid on,Amount,")
    assert data.count(b"\r\n") == len(PAYMENTS.rows) + 1  # the heading and each row end with CRLF
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "School,Paid on,Amount,FTE pupils,Pupils,Note"
    assert lines[-1] == ""


def test_csv_reads_back_with_numbers_as_plain_numbers():
    rows = _csv_rows(csv_bytes(PAYMENTS))
    assert rows[1] == ["St Zoë's C of E Primary", "2026-09-01", "1234.50", "412.5", "420", "£ by BACS"]
    assert rows[2] == ["Refund", "2026-10-05", "-20.00", "", "", ""]  # negative money is a number, not text
    assert rows[-1] == ["Big", "", "1234567.89", "0.0", "0", "#N/A"]


def test_csv_escapes_formula_looking_text_in_every_text_column():
    rows = _csv_rows(csv_bytes(PAYMENTS))
    escaped = rows[3 : 3 + len(FORMULAS)]
    assert [row[0] for row in escaped] == ["'" + text for text in FORMULAS]
    assert [row[5] for row in escaped] == ["'" + text for text in FORMULAS]
    assert all(row[2] == "1.00" for row in escaped)


def test_csv_money_is_written_in_pence_and_never_as_minus_zero():
    table = Table("t", [Column("Amount", Kind.MONEY)], [(Decimal("12.5"),), (Decimal("-0.00"),), (Decimal("7"),)])
    assert _csv_rows(csv_bytes(table))[1:] == [["12.50"], ["0.00"], ["7.00"]]


# --- What a column accepts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, value",
    [
        (Kind.MONEY, 12.5),
        (Kind.MONEY, 12),
        (Kind.MONEY, "12.50"),
        (Kind.MONEY, Decimal("NaN")),
        (Kind.DECIMAL, 412.5),
        (Kind.INTEGER, True),
        (Kind.INTEGER, Decimal("3")),
        (Kind.DATE, "2026-09-01"),
        (Kind.DATE, datetime.datetime(2026, 9, 1, 12, 0)),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_not_guessed(kind, value):
    with pytest.raises(TypeError):
        csv_bytes(Table("t", [Column("x", kind)], [(value,)]))


def test_money_with_fractions_of_a_penny_is_refused():
    with pytest.raises(ValueError, match="pence"):
        xlsx_bytes(Table("t", [Column("Amount", Kind.MONEY)], [(Decimal("1.005"),)]), title="t")


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="row 1 has 1 values for 2 columns"):
        Table("t", [Column("a"), Column("b")], [("only one",)])


def test_rows_may_come_from_a_generator():
    table = Table("t", [Column("n", Kind.INTEGER)], ((n,) for n in range(3)))
    assert _csv_rows(csv_bytes(table)) == [["n"], ["0"], ["1"], ["2"]]
    assert [c.value for c in _sheet(xlsx_bytes(table, title="t"))["A"]] == ["n", 0, 1, 2]


# --- XLSX ----------------------------------------------------------------------------------------------


def test_xlsx_holds_values_and_no_formula_cell():
    data = xlsx_bytes(PAYMENTS, title="Payments")
    for data_only in (True, False):
        sheet = _sheet(data, data_only=data_only)
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert cells
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        assert not [cell.coordinate for cell in cells if isinstance(cell.value, str) and cell.value.startswith("=")]


def test_xlsx_escapes_formula_looking_text():
    sheet = _sheet(xlsx_bytes(PAYMENTS, title="Payments"), data_only=False)
    first = 4  # heading row, Zoë, the refund
    # An XML parser may read a bare carriage return in text as a line feed (openpyxl's own reader does,
    # lxml keeps it); the apostrophe before it is what matters.
    expected = ["'" + text for text in FORMULAS]

    def read(column):
        return [sheet.cell(row=first + i, column=column).value.replace("\n", "\r") for i in range(len(FORMULAS))]

    assert read(1) == expected
    assert read(6) == expected
    assert sheet.cell(row=first + len(FORMULAS), column=6).value == "#N/A"  # text, not an error value
    assert sheet.cell(row=first + len(FORMULAS), column=6).data_type == "s"


def test_xlsx_money_is_a_number_in_pounds():
    sheet = _sheet(xlsx_bytes(PAYMENTS, title="Payments"))
    amounts = [row[2] for row in sheet.iter_rows(min_row=2)]
    for cell in amounts:
        assert cell.data_type == "n"
        assert isinstance(cell.value, int | float | Decimal)
        assert cell.number_format == MONEY_FORMAT
    assert Decimal(str(amounts[0].value)) == Decimal("1234.50")
    assert Decimal(str(amounts[1].value)) == Decimal("-20.00")  # a refund stays a negative number
    assert Decimal(str(amounts[-1].value)) == Decimal("1234567.89")
    assert "£" in MONEY_FORMAT and "#,##0.00" in MONEY_FORMAT


def test_xlsx_dates_integers_and_fte_are_real_values():
    sheet = _sheet(xlsx_bytes(PAYMENTS, title="Payments"))
    paid = sheet["B2"]
    assert paid.is_date and paid.value.date() == datetime.date(2026, 9, 1)
    assert paid.number_format == "dd/mm/yyyy"
    assert sheet["D2"].value == 412.5 and sheet["D2"].number_format == "#,##0.0"
    assert sheet["E2"].value == 420 and sheet["E2"].number_format == "#,##0"


def test_xlsx_none_is_an_empty_cell():
    sheet = _sheet(xlsx_bytes(PAYMENTS, title="Payments"))
    assert sheet["D3"].value is None and sheet["F3"].value is None


def test_xlsx_keeps_non_ascii_text():
    sheet = _sheet(xlsx_bytes(PAYMENTS, title="Payments"))
    assert sheet["A2"].value == "St Zoë's C of E Primary"
    assert sheet["F2"].value == "£ by BACS"


def test_xlsx_heading_is_bold_frozen_and_columns_are_sized():
    sheet = _sheet(xlsx_bytes(PAYMENTS, title="Payments"))
    assert [cell.value for cell in sheet[1]] == ["School", "Paid on", "Amount", "FTE pupils", "Pupils", "Note"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["C1"].alignment.horizontal == "right"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert widths["A"] >= len("St Zoë's C of E Primary")
    assert widths["C"] >= len("£1,234,567.89")
    assert all(8 <= width <= 60 for width in widths.values())


def test_xlsx_has_one_sheet_per_table_and_the_workbook_properties():
    budget = Table("Budget lines", [Column("Line"), Column("Planned", Kind.MONEY)], [("Conference", Decimal("500"))])
    book = load_workbook(io.BytesIO(xlsx_bytes(PAYMENTS, budget, title="Heart of Manchester 2026/27")))
    assert book.sheetnames == ["Payments 2026 27", "Budget lines"]
    assert book.properties.title == "Heart of Manchester 2026/27"
    assert book.properties.creator == "Commonroom"
    assert book.properties.language == "en-GB"
    assert book["Budget lines"]["B2"].value == 500


def test_xlsx_text_is_cut_to_what_excel_opens():
    sheet = _sheet(xlsx_bytes(Table("t", [Column("Note")], [("x" * 40000,)]), title="t"))
    assert len(sheet["A2"].value) == 32767


def test_a_workbook_needs_a_table():
    with pytest.raises(ValueError):
        xlsx_bytes(title="Empty")


def test_an_empty_table_is_a_heading_row():
    sheet = _sheet(xlsx_bytes(Table("Nothing yet", [Column("Amount", Kind.MONEY)]), title="t"))
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["Amount"]]


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Payments [2026/27]: *draft?*", "Payments 2026 27 draft"),
        ("A" * 40, "A" * 31),
        ("'quoted'", "quoted"),
        ("[]:*?/\\", "Sheet"),
        ("history", "history (list)"),
        ("Contributions from schools in 2026-27", "Contributions from schools in 2"),
    ],
)
def test_sheet_titles_are_ones_excel_accepts(title, expected):
    assert sheet_title(title) == expected
    assert len(sheet_title(title)) <= 31


def test_sheet_titles_are_unique_whatever_their_case():
    tables = [Table(name, [Column("a")]) for name in ("Payments", "PAYMENTS", "Payments", "X" * 40, "X" * 35)]
    names = load_workbook(io.BytesIO(xlsx_bytes(*tables, title="t"))).sheetnames
    assert names == ["Payments", "PAYMENTS (2)", "Payments (3)", "X" * 31, "X" * 27 + " (2)"]


# --- The download --------------------------------------------------------------------------------------


def test_csv_download_headers():
    response = download_response(csv_bytes(PAYMENTS), filename="payments-2026-27", kind="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="payments-2026-27.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_xlsx_download_with_a_non_ascii_name_has_an_ascii_fallback_and_filename_star():
    response = download_response(xlsx_bytes(PAYMENTS, title="t"), filename="Zoë's £ budget.xlsx", kind="xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    plain, star = disposition.split("; filename*=")
    assert plain == 'attachment; filename="Zoe\'s _ budget.xlsx"'
    assert star.startswith("UTF-8''") and " " not in star
    assert unquote(star.removeprefix("UTF-8''")) == "Zoë's _ budget.xlsx"
    disposition.encode("ascii")  # a header is ASCII


def test_a_download_name_cannot_carry_a_path_or_break_the_header():
    response = download_response(b"", filename='../../etc/"x"\r\nSet-Cookie: a=b', kind="csv")
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert disposition.count('"') == 2
    assert disposition.endswith('.csv"')


@pytest.mark.parametrize("filename", ["", ".xlsx", "../", " . "])
def test_an_empty_download_name_is_export(filename):
    assert download_response(b"", filename=filename, kind="xlsx")["Content-Disposition"] == (
        'attachment; filename="export.xlsx"'
    )


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        download_response(b"", filename="x", kind="pdf")


# --- LibreOffice, where the machine has it -------------------------------------------------------------


def test_libreoffice_reads_the_workbook_as_the_csv_says(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    table = Table(
        "Payments",
        [Column("School"), Column("Paid on", Kind.DATE), Column("Amount", Kind.MONEY)],
        [("Zoë", datetime.date(2026, 9, 1), Decimal("1234.50")), ("=SUM(A1)", None, Decimal("-20.00"))],
    )
    (tmp_path / "payments.xlsx").write_bytes(xlsx_bytes(table, title="Payments"))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,2057,false,true,true,false",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "payments.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "payments.csv").read_text("utf-8"), newline="")))
    # Formatted as shown: the amounts in pounds, the escaped text as text, nothing left blank.
    assert rows == [["School", "Paid on", "Amount"], ["Zoë", "01/09/2026", "£1,234.50"], ["'=SUM(A1)", "", "-£20.00"]]


def test_a_list_downloads_in_the_format_its_url_names_and_no_other():
    response = table_download(PAYMENTS, fmt="csv", filename="payments-2026-27")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="payments-2026-27.csv"'
    assert _csv_rows(response.content) == _csv_rows(csv_bytes(PAYMENTS))
    workbook = load_workbook(io.BytesIO(table_download(PAYMENTS, fmt="xlsx", filename="payments").content))
    assert workbook.active.title == "Payments 2026 27" and workbook.properties.title == "Payments 2026/27"
    for fmt in ("pdf", "CSV", "", "xlsx "):
        with pytest.raises(Http404):
            table_download(PAYMENTS, fmt=fmt, filename="payments")


def test_a_reference_is_a_whole_number_shown_without_a_thousands_separator():
    table = Table("Schools", [Column("School"), Column("URN", Kind.REFERENCE)], [("Ashford Primary", 100123)])
    sheet = _sheet(xlsx_bytes(table, title="Schools"))
    cell = sheet.cell(row=2, column=2)
    assert (cell.value, cell.number_format) == (100123, "0")  # a number, read as 100123, not 100,123
    assert _csv_rows(csv_bytes(table))[1] == ["Ashford Primary", "100123"]
    with pytest.raises(TypeError):
        csv_bytes(Table("Schools", [Column("URN", Kind.REFERENCE)], [("100123",)]))
