"""Every table, imported once so that Alembic and tests see the whole schema."""

from kefu.bot import models as bot
from kefu.channels import models as channels
from kefu.contacts import models as contacts
from kefu.conversations import models as conversations
from kefu.core.db import Base
from kefu.knowledge import models as knowledge
from kefu.realtime import models as realtime
from kefu.tenants import models as tenants

metadata = Base.metadata

__all__ = [
    "bot",
    "channels",
    "contacts",
    "conversations",
    "knowledge",
    "metadata",
    "realtime",
    "tenants",
]
