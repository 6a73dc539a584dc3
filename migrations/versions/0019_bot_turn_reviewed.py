"""knowledge-base learning: when an admin reviewed a bot turn the bot could not answer

Revision ID: 0019_bot_turn_reviewed
Revises: 0018_webhook_secret_grace
Create Date: 2026-11-27 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kefu.core.db

revision: str = "0019_bot_turn_reviewed"
down_revision: str | None = "0018_webhook_secret_grace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bot_turns") as batch:
        batch.add_column(
            sa.Column("reviewed_at", kefu.core.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("bot_turns") as batch:
        batch.drop_column("reviewed_at")
