"""Every table, imported once so that Alembic and tests see the whole schema."""

from kefu.analytics import models as analytics
from kefu.assist import models as assist
from kefu.bot import models as bot
from kefu.bot.flows import models as bot_flows
from kefu.channels import models as channels
from kefu.channels.email import models as email
from kefu.contacts import models as contacts
from kefu.conversations import models as conversations
from kefu.core import business_hours_db as business_hours
from kefu.core.db import Base
from kefu.knowledge import models as knowledge
from kefu.quality import models as quality
from kefu.realtime import models as realtime
from kefu.routing import models as routing
from kefu.surveys import models as surveys
from kefu.tenants import models as tenants
from kefu.tickets import models as tickets
from kefu.webhooks import models as webhooks
from kefu.wfm import models as wfm

metadata = Base.metadata

__all__ = [
    "analytics",
    "assist",
    "bot",
    "bot_flows",
    "business_hours",
    "channels",
    "contacts",
    "conversations",
    "email",
    "knowledge",
    "metadata",
    "quality",
    "realtime",
    "routing",
    "surveys",
    "tenants",
    "tickets",
    "webhooks",
    "wfm",
]
