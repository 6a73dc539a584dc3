"""routing: prioritise angry contacts (settings, queue entry boost, sentiment flags)

Revision ID: 0004c_routing_sentiment
Revises: 0004b_routing_index
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kefu.core.db

revision: str = "0004c_routing_sentiment"
down_revision: str | None = "0004b_routing_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("routing_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "prioritise_negative", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(
            sa.Column("negative_priority", sa.Integer(), nullable=False, server_default="20")
        )
    with op.batch_alter_table("queue_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("negative", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "sentiment_flags",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", kefu.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_sentiment_flags_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_sentiment_flags_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_sentiment_flags_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_sentiment_flags")),
    )
    op.create_index(
        op.f("ix_sentiment_flags_tenant_id"), "sentiment_flags", ["tenant_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sentiment_flags_tenant_id"), table_name="sentiment_flags")
    op.drop_table("sentiment_flags")
    with op.batch_alter_table("queue_entries", schema=None) as batch_op:
        batch_op.drop_column("negative")
    with op.batch_alter_table("routing_settings", schema=None) as batch_op:
        batch_op.drop_column("negative_priority")
        batch_op.drop_column("prioritise_negative")
