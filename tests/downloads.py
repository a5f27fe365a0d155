"""Reading a list's downloads back with independent libraries: Python's csv module and openpyxl."""

import csv
import io

from openpyxl import load_workbook

from core.exports import CSV_CONTENT_TYPE
from core.files import XLSX


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download, heading first."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    """The values of an XLSX download's only sheet, heading first: dates as dates, numbers as numbers."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
