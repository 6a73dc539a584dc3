"""Interval contact series: CSV import and bucketing into day × interval matrices.

The CSV has a header ``timestamp,queue,contacts[,aht_seconds]``.  Timestamps are ISO 8601;
those without an offset are wall-clock times in the tenant's time zone, those with an offset
are converted to it.  Buckets (15, 30 or 60 minutes) are cut in the tenant's local time.

A :class:`DaySeries` keeps one row per day *with data* and one column per interval of the day
that ever had data (a contact centre's opening hours); days absent from the source (holidays,
closures, gaps) are absent here too, never filled with zeros.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

__all__ = ["ContactRecord", "CsvImportError", "DaySeries", "bucket", "read_contacts_csv"]

FloatArray = NDArray[np.float64]
INTERVALS = (5, 10, 15, 30, 60)
REQUIRED = ("timestamp", "queue", "contacts")


class CsvImportError(ValueError):
    """A bad CSV cell; ``row`` is the 1-based line number in the file (the header is line 1)."""

    def __init__(self, row: int, column: str, message: str) -> None:
        super().__init__(f"row {row}, column {column!r}: {message}")
        self.row = row
        self.column = column
        self.message = message


@dataclass(frozen=True, slots=True)
class ContactRecord:
    timestamp: datetime  # timezone-aware
    queue: str
    contacts: float
    aht_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class DaySeries:
    """Contacts of one queue as a (days × intervals-of-day) matrix, in the tenant's time zone."""

    queue: str
    interval_minutes: int
    days: tuple[date, ...]
    slots: tuple[int, ...]  # minute of the day each column starts at
    volume: FloatArray
    aht: FloatArray  # contact-weighted mean AHT per cell, NaN where unknown

    def head(self, n: int) -> DaySeries:
        """The first n days."""
        days, vol, aht = self.days[:n], self.volume[:n], self.aht[:n]
        return DaySeries(self.queue, self.interval_minutes, days, self.slots, vol, aht)

    def slot_label(self, j: int) -> str:
        m = self.slots[j]
        return f"{m // 60:02d}:{m % 60:02d}"


def _number(raw: str, row: int, column: str, *, positive: bool) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise CsvImportError(row, column, f"not a number: {raw!r}") from None
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise CsvImportError(row, column, f"must be {'> 0' if positive else '>= 0'}: {raw!r}")
    return value


def _timestamp(raw: str, row: int, tz: ZoneInfo) -> datetime:
    try:
        ts = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CsvImportError(row, "timestamp", f"not an ISO 8601 date-time: {raw!r}") from None
    return ts.replace(tzinfo=tz) if ts.tzinfo is None else ts.astimezone(tz)


def _record(cells: dict[str, str], row: int, tz: ZoneInfo) -> ContactRecord:
    for col in REQUIRED:
        if not (cells.get(col) or "").strip():
            raise CsvImportError(row, col, "missing value")
    aht_raw = (cells.get("aht_seconds") or "").strip()
    return ContactRecord(
        timestamp=_timestamp(cells["timestamp"], row, tz),
        queue=cells["queue"].strip(),
        contacts=_number(cells["contacts"], row, "contacts", positive=False),
        aht_seconds=_number(aht_raw, row, "aht_seconds", positive=True) if aht_raw else None,
    )


def read_contacts_csv(path: Path, tz: str) -> list[ContactRecord]:
    """Parse a contacts CSV; the first bad cell raises :class:`CsvImportError`."""
    zone = ZoneInfo(tz)
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in reader.fieldnames or []]
        for col in REQUIRED:
            if col not in header:
                raise CsvImportError(1, col, "column missing from the header")
        reader.fieldnames = header
        return [_record(cells, reader.line_num, zone) for cells in reader]


def _cells(
    records: Iterable[ContactRecord], interval_minutes: int, zone: ZoneInfo
) -> dict[str, dict[tuple[date, int], tuple[float, float, float]]]:
    """queue -> (day, slot) -> (contacts, contacts with AHT, AHT x contacts)."""
    out: dict[str, dict[tuple[date, int], tuple[float, float, float]]] = {}
    for r in records:
        local = r.timestamp.astimezone(zone)
        slot = (local.hour * 60 + local.minute) // interval_minutes * interval_minutes
        key = (local.date(), slot)
        cells = out.setdefault(r.queue, {})
        c, ca, w = cells.get(key, (0.0, 0.0, 0.0))
        if r.aht_seconds is not None:
            ca, w = ca + r.contacts, w + r.contacts * r.aht_seconds
        cells[key] = (c + r.contacts, ca, w)
    return out


def _matrix(
    queue: str, cells: dict[tuple[date, int], tuple[float, float, float]], interval: int
) -> DaySeries:
    days = sorted({d for d, _ in cells})
    slots = sorted({s for _, s in cells})
    di = {d: i for i, d in enumerate(days)}
    si = {s: j for j, s in enumerate(slots)}
    vol = np.zeros((len(days), len(slots)))
    aht = np.full((len(days), len(slots)), np.nan)
    for (d, s), (c, ca, w) in cells.items():
        vol[di[d], si[s]] = c
        if ca > 0:
            aht[di[d], si[s]] = w / ca
    return DaySeries(queue, interval, tuple(days), tuple(slots), vol, aht)


def bucket(
    records: Sequence[ContactRecord], interval_minutes: int, tz: str
) -> dict[str, DaySeries]:
    """Sum records into local-time buckets of ``interval_minutes``, one series per queue."""
    if interval_minutes not in INTERVALS:
        raise ValueError(f"interval_minutes must be one of {INTERVALS}")
    cells = _cells(records, interval_minutes, ZoneInfo(tz))
    return {q: _matrix(q, c, interval_minutes) for q, c in sorted(cells.items())}
