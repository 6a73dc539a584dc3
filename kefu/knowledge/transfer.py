"""Import and export of FAQs as CSV or XLSX: one row per FAQ, phrasings one per line in a cell."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from kefu.core.errors import Invalid
from kefu.core.i18n import translate
from kefu.knowledge.schemas import ImportErrorOut

Format = Literal["csv", "xlsx"]
COLUMNS = [
    "id", "category", "question_zh", "question_en", "similar_zh", "similar_en",
    "answer_zh", "answer_en", "tags", "enabled", "valid_from", "valid_to",
]  # fmt: skip
REQUIRED = {"question_zh", "question_en", "answer_zh", "answer_en"}
MAX_ROWS = 50_000
TRUE = {"", "1", "true", "yes", "y", "是", "启用"}
FALSE = {"0", "false", "no", "n", "否", "停用"}
LIMITS = {
    "question_zh": 500,
    "question_en": 500,
    "answer_zh": 5000,
    "answer_en": 5000,
    "category": 200,
}


@dataclass
class ParsedFaq:
    row: int
    id: uuid.UUID | None
    category: str
    question_zh: str
    question_en: str
    similar_zh: list[str]
    similar_en: list[str]
    answer_zh: str
    answer_en: str
    tags: list[str]
    enabled: bool
    valid_from: datetime | None
    valid_to: datetime | None


@dataclass
class Parsed:
    faqs: list[ParsedFaq] = field(default_factory=list)
    errors: list[ImportErrorOut] = field(default_factory=list)


def split_lines(cell: str) -> list[str]:
    parts = cell.replace("|", "\n").splitlines()
    seen: dict[str, None] = {}
    for part in parts:
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


def read_table(filename: str, data: bytes) -> list[dict[str, str]]:
    """Rows as dicts keyed by the header (first row). Refuses files that are neither format."""
    name = filename.lower()
    if name.endswith(".csv"):
        text = data.decode("utf-8-sig", errors="strict")
        return [dict(r) for r in csv.DictReader(io.StringIO(text))]
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    raise Invalid("import_format")


def _read_xlsx(data: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:
        raise Invalid("import_format") from exc
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, ())]
    return [
        {h: "" if v is None else _cell(v) for h, v in zip(header, values, strict=False) if h}
        for values in rows
        if any(v not in (None, "") for v in values)
    ]


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def row_error(row: int, column: str, code: str, **params: int | str) -> ImportErrorOut:
    """A row problem with its stable code; `reason` is English until the API translates it."""
    reason = translate(code, "en", dict(params))
    return ImportErrorOut(row=row, column=column, code=code, reason=reason, params=params)


def _date(raw: str, column: str, row: int, errors: list[ImportErrorOut]) -> datetime | None:
    if not raw.strip():
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        errors.append(row_error(row, column, "import_not_date"))
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _check_row(r: dict[str, str], row: int, errors: list[ImportErrorOut]) -> None:
    for column, limit in LIMITS.items():
        if len(r.get(column, "")) > limit:
            errors.append(row_error(row, column, "import_too_long", limit=limit))
    if not (r.get("question_zh", "").strip() or r.get("question_en", "").strip()):
        errors.append(row_error(row, "question_zh", "import_no_question"))
    for lang in ("zh", "en"):
        if r.get(f"question_{lang}", "").strip() and not r.get(f"answer_{lang}", "").strip():
            errors.append(row_error(row, f"answer_{lang}", "import_no_answer"))
    if r.get("enabled", "").strip().lower() not in TRUE | FALSE:
        errors.append(row_error(row, "enabled", "import_not_bool"))


def _parse_id(raw: str, row: int, errors: list[ImportErrorOut]) -> uuid.UUID | None:
    if not raw.strip():
        return None
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        errors.append(row_error(row, "id", "import_bad_id"))
        return None


def parse_rows(rows: list[dict[str, str]]) -> Parsed:
    """Validate every row; report each problem with its row (as a spreadsheet counts) and column."""
    out = Parsed()
    if len(rows) > MAX_ROWS:
        out.errors.append(row_error(MAX_ROWS + 2, "", "import_too_many_rows", limit=MAX_ROWS))
        return out
    header = set(rows[0]) if rows else set()
    for column in sorted(REQUIRED - header):
        out.errors.append(row_error(1, column, "import_missing_column"))
    if out.errors or not rows:
        if not rows:
            out.errors.append(row_error(2, "", "import_no_rows"))
        return out
    for i, r in enumerate(rows, start=2):
        r = {k: (v or "") for k, v in r.items() if k}
        _check_row(r, i, out.errors)
        out.faqs.append(_to_faq(r, i, out.errors))
    return out


def _to_faq(r: dict[str, str], row: int, errors: list[ImportErrorOut]) -> ParsedFaq:
    return ParsedFaq(
        row=row,
        id=_parse_id(r.get("id", ""), row, errors),
        category=r.get("category", "").strip(),
        question_zh=r.get("question_zh", "").strip(),
        question_en=r.get("question_en", "").strip(),
        similar_zh=split_lines(r.get("similar_zh", "")),
        similar_en=split_lines(r.get("similar_en", "")),
        answer_zh=r.get("answer_zh", "").strip(),
        answer_en=r.get("answer_en", "").strip(),
        tags=split_lines(r.get("tags", "").replace(",", "\n")),
        enabled=r.get("enabled", "").strip().lower() not in FALSE,
        valid_from=_date(r.get("valid_from", ""), "valid_from", row, errors),
        valid_to=_date(r.get("valid_to", ""), "valid_to", row, errors),
    )


def write_table(fmt: Format, rows: list[dict[str, str]]) -> bytes:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("faqs")
    sheet.append(COLUMNS)
    for r in rows:
        sheet.append([r.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TEMPLATE_ROW = {
    "category": "Shipping 配送",
    "question_zh": "多久发货？",
    "question_en": "When will my order ship?",
    "similar_zh": "什么时候发货\n几天能发货",
    "similar_en": "how soon do you ship\nwhen do you send my order",
    "answer_zh": "付款后 48 小时内发货。",
    "answer_en": "Orders ship within 48 hours of payment.",
    "tags": "shipping",
    "enabled": "true",
}
