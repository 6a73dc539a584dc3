"""Email jobs: poll every active IMAP mailbox; send (and retry) the outbox."""

from __future__ import annotations

import logging

from sqlalchemy import select

from kefu.channels.email.imap import poll_mailbox
from kefu.channels.email.models import Mailbox
from kefu.channels.email.outbox import deliver_pending
from kefu.core.context import Runtime
from kefu.core.jobs import PeriodicJob

log = logging.getLogger(__name__)


async def poll_all(rt: Runtime) -> int:
    async with rt.db.sessions() as session:
        stmt = select(Mailbox).where(Mailbox.active.is_(True), Mailbox.imap_host.is_not(None))
        mailboxes = list((await session.execute(stmt)).scalars())
    fetched = 0
    for mailbox in mailboxes:
        try:
            fetched += (await poll_mailbox(rt, mailbox))["fetched"]
        except Exception:  # one broken mailbox must not stop the others
            log.warning("IMAP poll of mailbox %s failed", mailbox.id)
    return fetched


JOBS = [
    PeriodicJob("email_imap_poll", 60.0, poll_all),
    PeriodicJob("email_outbox", 30.0, deliver_pending),
]
