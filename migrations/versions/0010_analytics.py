"""analytics facts

Revision ID: 0010_analytics
Revises: 0009_quality
Create Date: 2026-11-27 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kefu.core.db

revision: str = "0010_analytics"
down_revision: str | None = "0009_quality"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dt = kefu.core.db.UTCDateTime(timezone=True)
    op.create_table(
        "conversation_facts",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", dt, nullable=False),
        sa.Column("first_queued_at", dt, nullable=True),
        sa.Column("had_bot", sa.Boolean(), nullable=False),
        sa.Column("self_service", sa.Boolean(), nullable=False),
        sa.Column("abandoned", sa.Boolean(), nullable=False),
        sa.Column("transfers", sa.Integer(), nullable=False),
        sa.Column("messages_contact", sa.Integer(), nullable=False),
        sa.Column("messages_agent", sa.Integer(), nullable=False),
        sa.Column("messages_bot", sa.Integer(), nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=True),
        sa.Column("first_response_seconds", sa.Integer(), nullable=True),
        sa.Column("handle_seconds", sa.Integer(), nullable=True),
        sa.Column("resolution_seconds", sa.Integer(), nullable=True),
        sa.Column("synced_at", dt, nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_facts_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_conversation_facts_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_conversation_facts")),
    )
    op.create_index(
        "ix_conversation_facts_tenant_created", "conversation_facts", ["tenant_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_table("conversation_facts")
