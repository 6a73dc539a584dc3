"""No double assignment and no agent over capacity under concurrent assignment (PostgreSQL).

Many routing passes and direct assignment attempts run at once against the real pool; every
attempt takes row locks (`FOR UPDATE SKIP LOCKED` on the conversation, `FOR UPDATE` on the
agent's cursor row) and re-counts the agent's load inside the transaction.
"""

from __future__ import annotations

import asyncio
import os
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from kefu.conversations.models import Conversation, Transition
from kefu.routing.engine import route_tenant
from kefu.routing.presence import PresenceStore
from kefu.routing.service import try_assign
from tests.conftest import LiveServer
from tests.factories import Factory
from tests.routing.helpers import capacity, queued, settled

pytestmark = pytest.mark.skipif(
    not os.environ.get("KEFU_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="row-lock concurrency is proven on PostgreSQL (SQLite serialises writes)",
)


async def test_concurrent_assignment_never_doubles_or_overfills(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    agents = [world.agent, world.agent2, world.supervisor, world.admin]
    for login, cap in zip(agents, (1, 2, 2, 3), strict=True):
        await capacity(client, world, login, cap)
    cids = [uuid.UUID((await queued(factory, world, f"#{i}"))[1]) for i in range(20)]
    await settled(server)  # queue entries placed; nobody online yet, nothing assigned
    rt = server.runtime
    store = PresenceStore.of(rt)
    for login in agents:  # online without a kick: the attempts below are the only ones
        await store.put(world.tenant_id, login.user_id, "online", auto=False)
    attempts = [try_assign(rt, world.tenant_id, cid, a.user_id) for cid in cids for a in agents]
    passes = [route_tenant(rt, world.tenant_id) for _ in range(10)]
    work = [*attempts, *passes]
    order = list(range(len(work)))
    order.sort(key=lambda i: (i * 7919) % len(work))  # interleave attempts and passes
    results = await asyncio.gather(*(work[i] for i in order))
    await settled(server)
    assert "assigned" in results
    async with rt.db.sessions() as session:
        loads = dict(
            (
                await session.execute(
                    select(Conversation.assignee_id, func.count())
                    .where(Conversation.id.in_(cids), Conversation.status == "assigned")
                    .group_by(Conversation.assignee_id)
                )
            ).all()
        )
        doubled = (
            await session.execute(
                select(Transition.conversation_id, func.count())
                .where(Transition.conversation_id.in_(cids), Transition.to_status == "assigned")
                .group_by(Transition.conversation_id)
                .having(func.count() > 1)
            )
        ).all()
    caps = {world.agent.user_id: 1, world.agent2.user_id: 2}
    caps |= {world.supervisor.user_id: 2, world.admin.user_id: 3}
    assert loads == caps, "every slot filled exactly, none over capacity"
    assert doubled == [], "no conversation was assigned twice"
    events = [e for e in await factory.events(world.tenant_id) if e.type == "conversation.assigned"]
    assert len(events) == sum(caps.values())
    assert len({e.conversation_id for e in events}) == len(events)
