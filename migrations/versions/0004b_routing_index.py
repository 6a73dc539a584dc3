"""routing: index on conversations (status, assigned_at) for the first-response job

Revision ID: 0004b_routing_index
Revises: 0004_routing
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004b_routing_index"
down_revision: str | None = "0004_routing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversations_status_assigned", ["status", "assigned_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_status_assigned")
