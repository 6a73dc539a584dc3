"""covering indexes for the dashboard queries over conversation facts

Revision ID: 0012_analytics_covering
Revises: 0011_analytics_alerts
Create Date: 2026-11-27 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_analytics_covering"
down_revision: str | None = "0011_analytics_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CREATED = [
    "tenant_id",
    "created_at",
    "channel",
    "team_id",
    "agent_id",
    "messages_contact",
    "messages_agent",
    "messages_bot",
    "self_service",
    "had_bot",
    "first_queued_at",
    "first_response_seconds",
    "handle_seconds",
    "resolution_seconds",
    "wait_seconds",
    "abandoned",
]
QUEUED = [
    "tenant_id",
    "first_queued_at",
    "channel",
    "team_id",
    "agent_id",
    "wait_seconds",
    "abandoned",
]


def upgrade() -> None:
    op.create_index("ix_conversation_facts_created_cover", "conversation_facts", CREATED)
    op.create_index("ix_conversation_facts_queued_cover", "conversation_facts", QUEUED)


def downgrade() -> None:
    op.drop_index("ix_conversation_facts_queued_cover", table_name="conversation_facts")
    op.drop_index("ix_conversation_facts_created_cover", table_name="conversation_facts")
