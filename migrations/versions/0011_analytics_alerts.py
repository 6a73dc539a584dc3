"""analytics settings, order counts and alert rules

Revision ID: 0011_analytics_alerts
Revises: 0010_analytics
Create Date: 2026-11-28 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kefu.core.db

revision: str = "0011_analytics_alerts"
down_revision: str | None = "0010_analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dt = kefu.core.db.UTCDateTime(timezone=True)
    op.create_table(
        "analytics_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("service_level_seconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_analytics_settings_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_analytics_settings")),
    )
    op.create_table(
        "order_counts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_order_counts_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "day", name=op.f("pk_order_counts")),
    )
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("firing_since", dt, nullable=True),
        sa.Column("last_value", sa.Float(), nullable=True),
        sa.Column("created_at", dt, nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_alert_rules_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_rules")),
    )
    op.create_index(op.f("ix_alert_rules_tenant_id"), "alert_rules", ["tenant_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_alert_rules_tenant_id"), table_name="alert_rules")
    op.drop_table("alert_rules")
    op.drop_table("order_counts")
    op.drop_table("analytics_settings")
