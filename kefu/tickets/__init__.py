"""Tickets: SLA clocks, history, views, follow-ups and the requester page."""
