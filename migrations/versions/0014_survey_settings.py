"""per-tenant CSAT survey wording (question and thank-you text in zh-CN and en)

Revision ID: 0014_survey_settings
Revises: 0013_ticket_csat
Create Date: 2026-11-27 04:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import kefu.core.db

revision: str = "0014_survey_settings"
down_revision: str | None = "0013_ticket_csat"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "survey_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("question", JSON, nullable=False),
        sa.Column("thanks", JSON, nullable=False),
        sa.Column("updated_at", kefu.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_survey_settings_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_survey_settings")),
    )


def downgrade() -> None:
    op.drop_table("survey_settings")
