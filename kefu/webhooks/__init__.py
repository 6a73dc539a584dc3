"""Outbound webhooks: signed deliveries of the tenant's durable events (`docs/webhooks.md`)."""
