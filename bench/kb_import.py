"""Knowledge-base import benchmark: 10,000 FAQs from XLSX and CSV through the real import path.

Baseline in the same run: reading and writing the same rows with openpyxl / csv alone and one
bulk INSERT of the same data, so the ratio shows what kefu's validation and ORM cost.

    python bench/kb_import.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rows(n: int) -> list[dict[str, str]]:
    return [
        {
            "id": "",
            "category": f"Category {i % 12} 分类",
            "question_zh": f"第 {i} 号商品怎么退货？",
            "question_en": f"How do I return product {i}?",
            "similar_zh": f"商品{i}能退吗\n{i}号怎么退",
            "similar_en": f"can I send back item {i}\nreturn item {i}",
            "answer_zh": f"商品 {i} 支持七天无理由退货。",
            "answer_en": f"Product {i} can be returned within 7 days.",
            "tags": "returns",
            "enabled": "true",
            "valid_from": "",
            "valid_to": "",
        }
        for i in range(n)
    ]


async def kefu_import(db_url: str, data: bytes, name: str) -> float:
    from kefu.core.auth import Principal
    from kefu.core.db import Database
    from kefu.knowledge.service import import_faqs
    from kefu.knowledge.transfer import parse_rows, read_table
    from kefu.tenants.service import create_tenant

    db = Database(db_url)
    async with db.sessions() as session:
        tenant = await create_tenant(session, "bench")
        await session.commit()
        started = time.perf_counter()
        parsed = parse_rows(read_table(name, data))
        assert not parsed.errors
        await import_faqs(
            session, Principal(tenant_id=tenant.id, role="admin"), parsed.faqs, replace=False
        )
        await session.commit()
        elapsed = time.perf_counter() - started
    await db.dispose()
    return elapsed


async def baseline(db_url: str, data: bytes, name: str) -> float:
    """Parse with the same library, then one executemany INSERT of the raw rows."""
    import aiosqlite

    from kefu.knowledge.transfer import read_table

    path = db_url.split("///", 1)[1]
    started = time.perf_counter()
    table = read_table(name, data)
    async with aiosqlite.connect(path) as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS raw (q TEXT, a TEXT, s TEXT)")
        await conn.executemany(
            "INSERT INTO raw VALUES (?, ?, ?)",
            [(r["question_zh"], r["answer_zh"], r["similar_zh"]) for r in table],
        )
        await conn.commit()
    return time.perf_counter() - started


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n = 2_000 if args.quick else 10_000
    from kefu.core.migrate import upgrade
    from kefu.knowledge.transfer import write_table

    tmp = Path(tempfile.mkdtemp(prefix="kefu-kb-bench-"))
    db_url = f"sqlite+aiosqlite:///{tmp / 'kb.db'}"
    await asyncio.to_thread(upgrade, db_url)
    table = rows(n)
    worst = 0.0
    for fmt in ("xlsx", "csv"):
        data = write_table(fmt, table)  # type: ignore[arg-type]
        k = await kefu_import(db_url, data, f"faqs.{fmt}")
        b = await baseline(db_url, data, f"faqs.{fmt}")
        worst = max(worst, k)
        print(f"  {fmt}: kefu {k:.2f} s, baseline {b:.2f} s, ratio {k / b:.1f}x for {n} FAQs")
    print(f"kb_import: {n} FAQs imported in {worst:.2f} s (slowest format)")


if __name__ == "__main__":
    asyncio.run(main())
