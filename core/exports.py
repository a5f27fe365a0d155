"""Every list of records as CSV and XLSX downloads: money lists, meetings, members, people, bookings...

Every app describes its list once as a `Table` of typed `Column`s and calls `csv_bytes` or `xlsx_bytes`,
then `download_response` (`table_download` does both for one table). Two rules hold for every export,
so they live here and nowhere else:

- Text a spreadsheet could run as a formula (starting with = + - @, a tab or a carriage return) is
  prefixed with an apostrophe by `spreadsheet_text`, the one escape both writers use (OWASP's "CSV
  injection"). Numbers and dates are never escaped: a refund of -£20.00 stays a number.
- Money is Decimal in whole pence from the database to the file, never float. The workbook holds real
  values and no formula cells, so a reader without a calculation engine shows every figure.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal
from urllib.parse import quote

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.files import XLSX, safe_stem

PENNY = Decimal("0.01")

# Pounds with a thousands separator, the minus sign before the pound sign, as UK finance staff write it.
MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
DATE_FORMAT = "dd/mm/yyyy"
INTEGER_FORMAT = "#,##0"
REFERENCE_FORMAT = "0"  # a URN is 100123, not 100,123

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX}

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or run it via DDE).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel's limits on a sheet's name.
SHEET_TITLE_LENGTH = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Excel will not open a workbook with a longer text in a cell.
CELL_TEXT_LENGTH = 32767

_WIDEST_COLUMN = 60
_NARROWEST_COLUMN = 8


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # Decimal in whole pence
    DATE = "date"  # datetime.date (a datetime is refused: the caller knows which local day it means)
    INTEGER = "integer"
    REFERENCE = "reference"  # a whole number that names something (a URN): no thousands separator
    DECIMAL = "decimal"  # a Decimal that is not money, such as FTE pupils


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind = Kind.TEXT
    places: int = 1  # decimal places shown for a DECIMAL column (FTE is counted to one place)

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.MONEY, Kind.INTEGER, Kind.REFERENCE, Kind.DECIMAL)


@dataclass(frozen=True)
class Table:
    """A titled list: `rows` are tuples of Python values in the columns' order; None is an empty cell."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]] = field(default=())

    def __post_init__(self):
        # A generator of rows is kept as tuples: the same table may be written as CSV and as XLSX.
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"{self.title}: row {number} has {len(row)} values for {len(self.columns)} columns")


def spreadsheet_text(value: object) -> str:
    """Text as it may safely stand in a cell: prefixed with ' where a spreadsheet would take it for a
    formula. Control characters that XML cannot carry are dropped first, so they cannot hide an '='."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(column: Column, value: object) -> str | Decimal | int | datetime.date | None:
    """The value a cell of `column` holds: escaped text, or the number or date itself. A value of the
    wrong type is refused rather than guessed at, so a float can never slip into a money column."""
    if value is None:
        return None
    if column.kind is Kind.TEXT:
        return spreadsheet_text(value)
    if column.kind is Kind.DATE:
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise TypeError(f"{column.heading}: a date column takes datetime.date, not {type(value).__name__}")
        return value
    if column.kind in (Kind.INTEGER, Kind.REFERENCE):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{column.heading}: an integer column takes int, not {type(value).__name__}")
        return value
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"{column.heading}: a {column.kind} column takes a finite Decimal, not {value!r}")
    if column.kind is Kind.MONEY:
        pence = value.quantize(PENNY)
        if pence != value:
            raise ValueError(f"{column.heading}: {value} is not a whole number of pence")
        return pence if pence else PENNY * 0  # never "-0.00"
    return value


def _csv_text(value: str | Decimal | int | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"  # plain digits, no exponent and no currency sign, so it stays a number
    if isinstance(value, datetime.date):
        return value.isoformat()  # ISO 8601: read as a date by every spreadsheet in every locale
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """The table as RFC 4180 CSV: a heading row, CRLF line ends, UTF-8 with a byte order mark so that
    Excel reads £ and accented names correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_text(column.heading) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [_csv_text(cell_value(column, value)) for column, value in zip(table.columns, row, strict=True)]
        )
    return out.getvalue().encode("utf-8-sig")


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: none of []:*?/\\, no apostrophe at either end, at most 31
    characters, never empty and never Excel's reserved "History"."""
    name = "".join(ch for ch in title if unicodedata.category(ch)[0] != "C")
    name = _SHEET_TITLE_FORBIDDEN.sub(" ", name)
    name = " ".join(name.split()).strip("'")[:SHEET_TITLE_LENGTH].strip(" '")
    if name.casefold() == "history":
        name = f"{name} (list)"
    return name or "Sheet"


def _unique_title(title: str, taken: set[str]) -> str:
    """Sheet names are unique regardless of case: a repeated one gets " (2)", " (3)"..., cut to fit."""
    name, number = title, 1
    while name.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        name = title[: SHEET_TITLE_LENGTH - len(suffix)].rstrip(" '") + suffix
    taken.add(name.casefold())
    return name


def _shown(column: Column, value: str | Decimal | int | datetime.date | None) -> str:
    """Roughly what a spreadsheet shows for a value, to size the column."""
    if value is None:
        return ""
    if column.kind is Kind.MONEY:
        return f"-£{-value:,}" if value < 0 else f"£{value:,}"
    if column.kind is Kind.DATE:
        return "00/00/0000"
    if column.kind is Kind.INTEGER:
        return f"{value:,}"
    if column.kind is Kind.REFERENCE:
        return str(value)
    if column.kind is Kind.DECIMAL:
        return f"{value:,.{column.places}f}"
    return max(str(value).splitlines() or [""], key=len)


def _number_format(column: Column) -> str | None:
    if column.kind is Kind.MONEY:
        return MONEY_FORMAT
    if column.kind is Kind.DATE:
        return DATE_FORMAT
    if column.kind is Kind.INTEGER:
        return INTEGER_FORMAT
    if column.kind is Kind.REFERENCE:
        return REFERENCE_FORMAT
    if column.kind is Kind.DECIMAL:
        return "#,##0." + "0" * column.places if column.places > 0 else INTEGER_FORMAT
    return None


def _fill_sheet(sheet, table: Table) -> None:
    bold = Font(bold=True)
    right = Alignment(horizontal="right")
    formats = [_number_format(column) for column in table.columns]
    widths = [len(column.heading) for column in table.columns]

    for number, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=number, value=spreadsheet_text(column.heading))
        cell.data_type = "s"
        cell.font = bold
        if column.numeric:
            cell.alignment = right  # over the figures it heads

    for row_number, row in enumerate(table.rows, start=2):
        for number, (column, raw) in enumerate(zip(table.columns, row, strict=True), start=1):
            value = cell_value(column, raw)
            if value is None:
                continue
            if column.kind is Kind.TEXT:
                value = value[:CELL_TEXT_LENGTH]
            cell = sheet.cell(row=row_number, column=number, value=value)
            if column.kind is Kind.TEXT:
                cell.data_type = "s"  # text such as "#N/A" is text, not an error value
            elif formats[number - 1]:
                cell.number_format = formats[number - 1]
            widths[number - 1] = max(widths[number - 1], len(_shown(column, value)))

    sheet.freeze_panes = "A2"  # the heading row stays in view while scrolling
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = min(
            max(width + 2, _NARROWEST_COLUMN), _WIDEST_COLUMN
        )


def xlsx_bytes(*tables: Table, title: str) -> bytes:
    """A workbook with one sheet per table: a bold, frozen heading row, sized columns, amounts as
    numbers in pounds, dates as dates; every cell a value, none a formula."""
    if not tables:
        raise ValueError("A workbook needs at least one table")
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = ILLEGAL_CHARACTERS_RE.sub("", title)
    workbook.properties.creator = "Commonroom"
    workbook.properties.lastModifiedBy = "Commonroom"
    workbook.properties.language = "en-GB"
    taken: set[str] = set()
    for table in tables:
        _fill_sheet(workbook.create_sheet(title=_unique_title(sheet_title(table.title), taken)), table)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ascii_fallback(stem: str) -> str:
    """The name for clients that ignore filename*: accents dropped (Zoë -> Zoe), anything else non-ASCII
    or awkward in a quoted header value replaced."""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9 ._()&,+'-]", "_", plain).strip(" ._")
    return plain or "export"


def download_response(content: bytes, *, filename: str, kind: Literal["csv", "xlsx"]) -> HttpResponse:
    """An attachment download of an export, named per RFC 6266: a plain ASCII `filename` for every
    client and, when the name is not plain ASCII, `filename*` in UTF-8 for those that read it."""
    if kind not in CONTENT_TYPES:
        raise ValueError(f"Unknown export kind {kind!r}")
    extension = f".{kind}"
    if filename.lower().endswith(extension):
        filename = filename[: -len(extension)]
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    # With nothing before the extension, ".csv" would read as a hidden file called "csv".
    stem = safe_stem(f"{last}{extension}", default="export") if last.strip(" .") else "export"
    fallback = _ascii_fallback(stem)
    disposition = f'attachment; filename="{fallback}{extension}"'
    if fallback != stem:
        disposition += f"; filename*=UTF-8''{quote(stem + extension, safe='')}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"  # money lists are nobody's shared cache's business
    return response


def table_download(table: Table, *, fmt: str, filename: str) -> HttpResponse:
    """One table as the download a list page's link asks for: `fmt` comes from the URL ("csv" or
    "xlsx"), and any other format names no file (404)."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    content = csv_bytes(table) if fmt == "csv" else xlsx_bytes(table, title=table.title)
    return download_response(content, filename=filename, kind=fmt)
