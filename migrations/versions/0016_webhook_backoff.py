"""webhook back-off: failed passes in a row and the time of the next try

Revision ID: 0016_webhook_backoff
Revises: 0015_sealed_secrets
Create Date: 2026-11-27 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kefu.core.db

revision: str = "0016_webhook_backoff"
down_revision: str | None = "0015_sealed_secrets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("retry_at", kefu.core.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.drop_column("retry_at")
        batch.drop_column("failures")
