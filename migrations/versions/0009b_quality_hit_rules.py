"""quality: the ids of the rules with a hit, for the results filter

Revision ID: 0009b_quality_hit_rules
Revises: 0009_quality

Results inspected before this revision are marked stale so the job fills the column in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009b_quality_hit_rules"
down_revision: str | None = "0009_quality"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("qa_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hit_rule_ids", sa.Text(), nullable=False, server_default=""))
    op.execute(sa.text("UPDATE qa_results SET stale = :yes").bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table("qa_results", schema=None) as batch_op:
        batch_op.drop_column("hit_rule_ids")
