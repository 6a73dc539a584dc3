"""Request-scoped database session and the commit boundary (publish after commit)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.context import runtime_of

AfterCommit = Callable[[], Awaitable[None]]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with runtime_of(request).db.sessions() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_session)]


def after_commit(session: AsyncSession, key: str, callback: AfterCommit) -> None:
    """Run `callback` once after the session's next successful commit (keyed to dedupe)."""
    hooks: dict[str, AfterCommit] = session.info.setdefault("after_commit", {})
    hooks.setdefault(key, callback)


async def commit(session: AsyncSession) -> None:
    """Commit the unit of work, then release what waited for it (events, jobs)."""
    await session.commit()
    hooks: dict[str, AfterCommit] = session.info.pop("after_commit", {})
    for hook in hooks.values():
        await hook()


async def rollback(session: AsyncSession) -> None:
    await session.rollback()
    session.info.pop("after_commit", None)
