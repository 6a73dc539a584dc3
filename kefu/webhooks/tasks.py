"""Deliver new durable events to the tenants' webhook endpoints."""

from __future__ import annotations

from kefu.core.jobs import PeriodicJob
from kefu.webhooks.service import deliver_webhooks

JOBS = [PeriodicJob("webhooks_deliver", 5.0, deliver_webhooks)]
