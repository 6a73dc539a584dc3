"""Durable real-time events of live alerting (for supervisors' banners and webhook consumers)."""

from __future__ import annotations

from typing import ClassVar

from kefu.analytics.schemas import AlertRuleOut
from kefu.realtime.events import Event


class AlertRaised(Event):
    """A rule's condition started to hold: `value` is the live figure that crossed it."""

    type: ClassVar[str] = "alert.raised"
    rule: AlertRuleOut
    value: float | None


class AlertCleared(Event):
    """A raised rule's condition no longer holds (or the rule was disabled or deleted)."""

    type: ClassVar[str] = "alert.cleared"
    rule: AlertRuleOut
    value: float | None
