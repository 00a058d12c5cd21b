"""score sheet index: a push reads one contest's scores through its sheets, not every score

Revision ID: 7c3e9f1b2d45
Revises: a2d10b9325c8
Create Date: 2026-12-01 01:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c3e9f1b2d45'
down_revision = 'a2d10b9325c8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_sheet_id'), ['sheet_id'], unique=False)


def downgrade():
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_sheet_id'))
