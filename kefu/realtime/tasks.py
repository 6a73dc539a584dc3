"""Background jobs of the event log: pruning past the retention window."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from kefu.core.context import Runtime
from kefu.core.db import rows_affected, utcnow
from kefu.core.jobs import PeriodicJob
from kefu.realtime.models import EventRecord


async def prune_events(rt: Runtime) -> int:
    """Clients that were away longer than the retention get `resync_required`."""
    cutoff = utcnow() - timedelta(days=rt.settings.event_retention_days)
    async with rt.db.sessions() as session:
        result = await session.execute(delete(EventRecord).where(EventRecord.created_at < cutoff))
        await session.commit()
    return rows_affected(result)


JOBS = [PeriodicJob("prune_events", 3600.0, prune_events)]
