"""CSAT answers for solved tickets: nullable conversation_id, unique nullable ticket_id

Revision ID: 0013_ticket_csat
Revises: 0012_analytics_covering
Create Date: 2026-11-27 04:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_ticket_csat"
down_revision: str | None = "0012_analytics_covering"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0005_tickets"


def upgrade() -> None:
    with op.batch_alter_table("csat_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket_id", sa.Uuid(), nullable=True))
        batch_op.alter_column("conversation_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.create_unique_constraint(batch_op.f("uq_csat_responses_ticket_id"), ["ticket_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_csat_responses_ticket_id_tickets"), "tickets", ["ticket_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("csat_responses", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_csat_responses_ticket_id_tickets"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_csat_responses_ticket_id"), type_="unique")
        batch_op.alter_column("conversation_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_column("ticket_id")
