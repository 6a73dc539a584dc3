"""quality inspection

Revision ID: 0009_quality
Revises: 0007_bot_flows
Create Date: 2026-11-27 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import kefu.core.db

revision: str = "0009_quality"
down_revision: str | None = "0007_bot_flows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "qa_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_qa_rules_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_rules")),
    )
    op.create_index(op.f("ix_qa_rules_tenant_id"), "qa_rules", ["tenant_id"], unique=False)
    op.create_table(
        "qa_results",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("hits", JSON, nullable=False),
        sa.Column("inspected_at", kefu.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("override_score", sa.Float(), nullable=True),
        sa.Column("override_comment", sa.Text(), nullable=False),
        sa.Column("overridden_by", sa.Uuid(), nullable=True),
        sa.Column("overridden_at", kefu.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_qa_results_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_qa_results_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_results")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_qa_results_conversation_id")),
    )
    op.create_index(op.f("ix_qa_results_tenant_id"), "qa_results", ["tenant_id"], unique=False)
    op.create_index(op.f("ix_qa_results_agent_id"), "qa_results", ["agent_id"], unique=False)
    op.create_index(op.f("ix_qa_results_stale"), "qa_results", ["stale"], unique=False)


def downgrade() -> None:
    op.drop_table("qa_results")
    op.drop_table("qa_rules")
