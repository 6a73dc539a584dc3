"""Events the knowledge base publishes."""

from __future__ import annotations

import uuid
from typing import ClassVar

from kefu.realtime.events import Event


class KbPublished(Event):
    """A version went live (publish or rollback): every process reloads the bot's index."""

    type: ClassVar[str] = "kb.published"
    version_id: uuid.UUID
    number: int
    rolled_back: bool
