"""webhook delivery log: one row per event per POST attempt

Revision ID: 0017_webhook_deliveries
Revises: 0016_webhook_backoff
Create Date: 2026-11-27 15:40:44
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kefu.core.db

revision: str = "0017_webhook_deliveries"
down_revision: str | None = "0016_webhook_backoff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "webhook_deliveries"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", kefu.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("redelivery", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_webhook_deliveries_tenant_id_tenants")
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_webhook_deliveries_webhook_id_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index(op.f("ix_webhook_deliveries_attempted_at"), TABLE, ["attempted_at"])
    op.create_index(op.f("ix_webhook_deliveries_tenant_id"), TABLE, ["tenant_id"])
    op.create_index(
        "ix_webhook_deliveries_webhook_recent", TABLE, ["webhook_id", "attempted_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_webhook_recent", table_name=TABLE)
    op.drop_index(op.f("ix_webhook_deliveries_tenant_id"), table_name=TABLE)
    op.drop_index(op.f("ix_webhook_deliveries_attempted_at"), table_name=TABLE)
    op.drop_table(TABLE)
