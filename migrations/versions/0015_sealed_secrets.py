"""webhook signing secrets stored sealed (kefu.core.sealing): the column holds the sealed form;
merges the webhooks and survey-settings heads

Revision ID: 0015_sealed_secrets
Revises: 0013_webhooks, 0014_survey_settings
Create Date: 2026-11-27 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_sealed_secrets"
down_revision: tuple[str, ...] = ("0013_webhooks", "0014_survey_settings")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # mailbox passwords fit their 500 characters sealed (300 plain at most); existing plain
    # values are read as they are and sealed on their next save
    with op.batch_alter_table("webhooks") as batch:
        batch.alter_column(
            "secret", existing_type=sa.String(100), type_=sa.String(300), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("webhooks") as batch:
        batch.alter_column(
            "secret", existing_type=sa.String(300), type_=sa.String(100), existing_nullable=False
        )
