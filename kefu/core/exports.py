"""Writing report tables as CSV (UTF-8 with BOM, for Excel) or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Literal

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def write_rows(
    fmt: Literal["csv", "xlsx"], header: Sequence[str], rows: Sequence[Sequence[object]]
) -> tuple[bytes, str]:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return ("\ufeff" + buf.getvalue()).encode("utf-8"), MEDIA["csv"]
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("report")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), MEDIA["xlsx"]
