"""Every periodic job of every domain, for the in-process runner and `kefu worker`."""

from kefu.analytics.tasks import JOBS as ANALYTICS_JOBS
from kefu.bot.tasks import JOBS as BOT_JOBS
from kefu.channels.email.tasks import JOBS as EMAIL_JOBS
from kefu.conversations.tasks import JOBS as CONVERSATION_JOBS
from kefu.core.jobs import PeriodicJob
from kefu.quality.tasks import JOBS as QUALITY_JOBS
from kefu.realtime.tasks import JOBS as REALTIME_JOBS
from kefu.routing.tasks import JOBS as ROUTING_JOBS
from kefu.tickets.tasks import JOBS as TICKET_JOBS
from kefu.webhooks.tasks import JOBS as WEBHOOK_JOBS

ALL_JOBS: list[PeriodicJob] = [
    *CONVERSATION_JOBS,
    *REALTIME_JOBS,
    *BOT_JOBS,
    *QUALITY_JOBS,
    *ANALYTICS_JOBS,
    *TICKET_JOBS,
    *EMAIL_JOBS,
    *ROUTING_JOBS,
    *WEBHOOK_JOBS,
]
