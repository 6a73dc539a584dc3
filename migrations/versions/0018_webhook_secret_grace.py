"""webhook secret rotation with a grace period: the previous secret and until when it signs too

Revision ID: 0018_webhook_secret_grace
Revises: 0017_webhook_deliveries
Create Date: 2026-11-27 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kefu.core.db

revision: str = "0018_webhook_secret_grace"
down_revision: str | None = "0017_webhook_deliveries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        # sealed like `secret` (kefu.core.sealing): the column holds the sealed form
        batch.add_column(sa.Column("previous_secret", sa.String(300), nullable=True))
        batch.add_column(
            sa.Column(
                "previous_secret_until", kefu.core.db.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.drop_column("previous_secret_until")
        batch.drop_column("previous_secret")
