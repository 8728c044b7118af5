"""Spreadsheet downloads that open safely: CSV with semicolons (Dutch Excel) and a BOM so
UTF-8 is recognised, and .xlsx workbooks (openpyxl) that Excel opens without an import
step. In both, no cell is something a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from starlette.responses import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that starts like a formula gets a leading apostrophe (shown as text, not run).
    Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(rows: Iterable[Sequence[object]], *, filename: str) -> Response:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return Response(
        "\ufeff" + buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def xlsx_response(rows: Iterable[Sequence[object]], *, filename: str, sheet: str) -> Response:
    """One worksheet: the first row bold and frozen, columns wide enough to read."""
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = BAD_SHEET_CHARS.sub(" ", sheet)[:31]
    widths: dict[int, int] = {}
    for number, row in enumerate(rows):
        cells = [_xlsx_cell(cell) for cell in row]
        page.append(cells)
        for column, cell in enumerate(cells, start=1):
            widths[column] = max(widths.get(column, 0), min(50, len(str(cell))))
        if number == 0:
            for cell in page[1]:
                cell.font = Font(bold=True)
    page.freeze_panes = "A2"
    for column, width in widths.items():
        letter = page.cell(row=1, column=column).column_letter
        page.column_dimensions[letter].width = width + 2
    buf = io.BytesIO()
    book.save(buf)
    return Response(
        buf.getvalue(),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _xlsx_cell(value: object) -> object:
    """Numbers stay numbers; text is stored as text (openpyxl would store a leading "=" as a
    formula, so such text gets the same apostrophe as in CSV)."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    return safe_cell(str(value))
