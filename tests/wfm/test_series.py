"""CSV import and local-time bucketing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from kefu.wfm.series import CsvImportError, bucket, read_contacts_csv


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "contacts.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_buckets_in_tenant_time_zone(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "timestamp,queue,contacts,aht_seconds\n"
        "2026-11-11T00:10:00+00:00,sales,3,100\n"  # 08:10 in Shanghai
        "2026-11-11T08:20:00,sales,1,200\n"  # naive: already Shanghai wall-clock
        "2026-11-11T08:40:00,sales,2,\n"
        "2026-11-11T09:00:00,service,5,60\n",
    )
    series = bucket(read_contacts_csv(p, "Asia/Shanghai"), 30, "Asia/Shanghai")
    sales = series["sales"]
    assert sales.days == (date(2026, 11, 11),)
    assert sales.slots == (8 * 60, 8 * 60 + 30)
    np.testing.assert_allclose(sales.volume, [[4.0, 2.0]])
    assert sales.aht[0, 0] == pytest.approx((3 * 100 + 200) / 4)
    assert np.isnan(sales.aht[0, 1])
    assert set(series) == {"sales", "service"}


@pytest.mark.parametrize(
    ("line", "column", "needle"),
    [
        ("2026-11-11T08:00:00,sales,abc", "contacts", "not a number"),
        ("2026-11-11T08:00:00,sales,-2", "contacts", ">= 0"),
        ("11/11/2026 08:00,sales,2", "timestamp", "ISO 8601"),
        ("2026-11-11T08:00:00,,2", "queue", "missing"),
        ("2026-11-11T08:00:00,sales,2,0", "aht_seconds", "> 0"),
    ],
)
def test_bad_rows_name_row_and_column(tmp_path: Path, line: str, column: str, needle: str) -> None:
    p = _write(
        tmp_path,
        "timestamp,queue,contacts,aht_seconds\n2026-11-11T07:30:00,sales,1,\n" + line + "\n",
    )
    with pytest.raises(CsvImportError) as err:
        read_contacts_csv(p, "Asia/Shanghai")
    assert err.value.row == 3
    assert err.value.column == column
    assert needle in str(err.value)
    assert str(err.value).startswith(f"row 3, column '{column}'")


def test_missing_header_column(tmp_path: Path) -> None:
    p = _write(tmp_path, "time,queue,contacts\n2026-11-11T08:00:00,sales,1\n")
    with pytest.raises(CsvImportError, match="column 'timestamp'"):
        read_contacts_csv(p, "UTC")


def test_interval_must_be_supported(tmp_path: Path) -> None:
    p = _write(tmp_path, "timestamp,queue,contacts\n2026-11-11T08:00:00,sales,1\n")
    with pytest.raises(ValueError):
        bucket(read_contacts_csv(p, "UTC"), 45, "UTC")
