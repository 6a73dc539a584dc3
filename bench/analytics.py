"""Dashboard query benchmark: 100k conversations / 1M messages of generated history, then the
reports' queries timed on SQLite and (when KEFU_TEST_POSTGRES_URL is set) PostgreSQL.

Baseline in the same run: the same summary computed the naive way, straight from the
conversations and messages tables on every request (what facts avoid).

    python bench/analytics.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = datetime(2026, 8, 1, tzinfo=UTC)
DAYS = 90


def _conversations(
    tenant_id: uuid.UUID, inbox_id: uuid.UUID, contact_id: uuid.UUID, n: int
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(7)
    convs, facts = [], []
    for _ in range(n):
        cid = uuid.uuid4()
        created = START + timedelta(seconds=rng.randrange(DAYS * 86400))
        wait = rng.choice([None, *range(1, 120)])
        queued = created + timedelta(seconds=5) if rng.random() < 0.6 else None
        convs.append(
            {
                "id": cid,
                "tenant_id": tenant_id,
                "inbox_id": inbox_id,
                "contact_id": contact_id,
                "channel": "widget",
                "status": "resolved",
                "priority": 0,
                "last_seq": 10,
                "created_at": created,
                "updated_at": created,
                "queued_at": queued,
                "resolved_at": created + timedelta(seconds=600),
                "first_agent_reply_at": (queued + timedelta(seconds=wait))
                if queued and wait
                else None,
            }
        )
        facts.append(
            {
                "conversation_id": cid,
                "tenant_id": tenant_id,
                "channel": "widget",
                "status": "resolved",
                "created_at": created,
                "first_queued_at": queued,
                "had_bot": True,
                "self_service": queued is None,
                "abandoned": bool(queued and wait is None),
                "transfers": 0,
                "messages_contact": 5,
                "messages_agent": 3 if queued else 0,
                "messages_bot": 2,
                "wait_seconds": wait if queued else None,
                "first_response_seconds": wait,
                "handle_seconds": 600,
                "resolution_seconds": 600,
                "synced_at": created,
            }
        )
    return convs, facts


async def generate(db_url: str, n: int, per_conversation: int) -> uuid.UUID:
    from sqlalchemy import insert

    from kefu.analytics.models import ConversationFact
    from kefu.channels.models import Inbox
    from kefu.contacts.models import Contact
    from kefu.conversations.models import Conversation, Message
    from kefu.core.db import Database
    from kefu.tenants.service import create_tenant

    db = Database(db_url)
    async with db.sessions() as session:
        tenant = await create_tenant(session, "analytics bench")
        inbox = Inbox(tenant_id=tenant.id, name="w", widget_key=uuid.uuid4().hex)
        contact = Contact(tenant_id=tenant.id, name="c")
        session.add_all([inbox, contact])
        await session.flush()
        convs, facts = _conversations(tenant.id, inbox.id, contact.id, n)
        for i in range(0, n, 5000):
            await session.execute(insert(Conversation), convs[i : i + 5000])
            await session.execute(insert(ConversationFact), facts[i : i + 5000])
            rows = [
                {
                    "id": uuid.uuid4(),
                    "tenant_id": tenant.id,
                    "conversation_id": c["id"],
                    "seq": s + 1,
                    "sender_type": "contact" if s % 2 else "agent",
                    "body": "hello",
                    "private": False,
                    "attachments": [],
                    "suggestions": [],
                    "created_at": c["created_at"],
                }
                for c in convs[i : i + 5000]
                for s in range(per_conversation)
            ]
            await session.execute(insert(Message), rows)
        await session.commit()
        tenant_id = tenant.id
    await db.dispose()
    return tenant_id


async def naive_summary(session, tenant_id: uuid.UUID, start: datetime, end: datetime) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from kefu.conversations.models import Conversation, Message

    await session.execute(
        select(func.count(), func.avg(Conversation.last_seq)).where(
            Conversation.tenant_id == tenant_id,
            Conversation.created_at >= start,
            Conversation.created_at < end,
        )
    )
    await session.execute(
        select(Message.sender_type, func.count())
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Conversation.tenant_id == tenant_id,
            Conversation.created_at >= start,
            Conversation.created_at < end,
        )
        .group_by(Message.sender_type)
    )
    rows = (
        await session.execute(
            select(Conversation.queued_at, Conversation.first_agent_reply_at).where(
                Conversation.tenant_id == tenant_id,
                Conversation.queued_at >= start,
                Conversation.queued_at < end,
            )
        )
    ).all()
    sum(1 for q, a in rows if a and (a - q).total_seconds() <= 20)


async def time_queries(db_url: str, tenant_id: uuid.UUID) -> tuple[dict[str, float], float]:
    from kefu.analytics import reports, service
    from kefu.core.db import Database

    db = Database(db_url)
    start, end = START + timedelta(days=DAYS - 30), START + timedelta(days=DAYS)
    scope = service.Scope(tenant_id, start, end)
    timings: dict[str, float] = {}
    async with db.sessions() as session:
        for name, run in (
            ("summary", lambda: service.summary(session, scope, 20)),
            ("volume_by_hour", lambda: service.volume(session, scope, "hour", "Asia/Shanghai")),
            ("heatmap", lambda: service.heatmap(session, scope, "Asia/Shanghai")),
            ("top_unanswered", lambda: service.top_unanswered(session, scope, 10)),
            ("breakdown_by_agent", lambda: reports.breakdown(session, scope, "agent", 20)),
            ("top_questions", lambda: reports.top_questions(session, scope, 10)),
        ):
            began = time.perf_counter()
            await run()
            timings[name] = (time.perf_counter() - began) * 1000
        began = time.perf_counter()
        await naive_summary(session, tenant_id, start, end)
        naive = (time.perf_counter() - began) * 1000
    await db.dispose()
    return timings, naive


async def run(label: str, db_url: str, n: int, per: int) -> float:
    from kefu.core.migrate import upgrade

    await asyncio.to_thread(upgrade, db_url)
    began = time.perf_counter()
    tenant_id = await generate(db_url, n, per)
    print(
        f"  {label}: generated {n} conversations / {n * per} messages in {time.perf_counter() - began:.0f} s"
    )
    timings, naive = await time_queries(db_url, tenant_id)
    for name, ms in timings.items():
        print(f"  {label}: {name:15} {ms:8.1f} ms")
    print(
        f"  {label}: naive summary from raw tables {naive:8.1f} ms (summary ratio {timings['summary'] / naive:.2f})"
    )
    return max(timings.values())


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n, per = (10_000, 10) if args.quick else (100_000, 10)
    slowest = await run(
        "sqlite", f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'a.db'}", n, per
    )
    pg = os.environ.get("KEFU_TEST_POSTGRES_URL")
    if pg:
        from tests.conftest import reset_postgres

        url = pg.rsplit("/", 1)[0] + "/kefu_bench_analytics"
        await reset_postgres(url)
        slowest = max(slowest, await run("postgres", url, n, per))
    print(f"analytics: slowest dashboard query = {slowest:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
