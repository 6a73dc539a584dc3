"""`kefu secrets reseal`: seal every stored credential again under the newest key.

After a rotation (the new `KEFU_SECRET_KEY`, the old one in `KEFU_SECRET_KEY_PREVIOUS`), values
sealed under the old key still open, but only while the old key stays configured. Resealing
rewrites each `Sealed` column value under the new key (and seals values stored in plain text
before sealing existed), so the old key can then be dropped. A maintenance command across all
tenants, like `kefu db upgrade`; it reads and writes the stored form, never the plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, Table, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.sealing import Sealed, sealed_anew


@dataclass(frozen=True, slots=True)
class ResealReport:
    """How many stored values were sealed again, and how many no configured key opens."""

    resealed: int
    unreadable: int


async def reseal_all(session: AsyncSession) -> ResealReport:
    """Reseal every non-null value of every `Sealed` column, in the session's transaction."""
    from kefu.models import metadata

    resealed = unreadable = 0
    for table in metadata.sorted_tables:
        for column in (c for c in table.columns if isinstance(c.type, Sealed)):
            done, failed = await _reseal_column(session, table, column.name)
            resealed, unreadable = resealed + done, unreadable + failed
    return ResealReport(resealed, unreadable)


async def _reseal_column(session: AsyncSession, table: Table, name: str) -> tuple[int, int]:
    (key,) = table.primary_key.columns
    stored = type_coerce(table.c[name], String)  # the sealed form, not opened
    rows = (await session.execute(select(key, stored).where(table.c[name].is_not(None)))).all()
    done = failed = 0
    for row_id, value in rows:
        fresh = sealed_anew(value)
        if fresh is None:
            failed += 1
            continue
        values = {name: type_coerce(fresh, String)}
        await session.execute(update(table).where(key == row_id).values(values))
        done += 1
    return done, failed
