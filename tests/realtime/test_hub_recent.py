"""The writing process fans out what it just committed without reading it back, but only
when the records follow the feed's last id without a gap; anything else comes from the log."""

from __future__ import annotations

import uuid
from typing import ClassVar

from kefu.realtime.events import Event
from kefu.realtime.hub import TenantFeed
from kefu.realtime.models import EventRecord
from tests.factories import Factory

TENANT = uuid.uuid4()


class _Probe(Event):
    type: ClassVar[str] = "probe.recorded"


def record(event_id: int) -> EventRecord:
    return EventRecord(tenant_id=TENANT, id=event_id, type="message.created", payload={})


def test_contiguous_records_are_taken_in_order_and_gaps_fall_back_to_the_log() -> None:
    feed = TenantFeed(TENANT, last_id=5)
    feed.remember(record(7))
    assert feed.take_recent() == [], "6 is missing (another process, or not committed yet)"
    feed.remember(record(6))
    assert [e.id for e in feed.take_recent()] == [6, 7]


def test_records_already_delivered_are_dropped() -> None:
    feed = TenantFeed(TENANT, last_id=5)
    feed.remember(record(4))  # older than what the feed delivered: ignored
    feed.remember(record(9))
    feed.last_id = 10  # the log was read meanwhile (9 and 10 delivered from it)
    feed.remember(record(11))
    assert [e.id for e in feed.take_recent()] == [11]
    assert feed.recent == {}


async def test_a_rolled_back_transaction_leaves_no_records_to_fan_out(factory: Factory) -> None:
    from kefu.realtime.service import RECORDS, record_event

    world = await factory.world()
    async with factory.rt.db.sessions() as session:
        await record_event(session, factory.rt, world.tenant_id, _Probe())
        assert len(session.info[RECORDS]) == 1
        await session.rollback()
        assert RECORDS not in session.info, "its event id will be allocated again"
