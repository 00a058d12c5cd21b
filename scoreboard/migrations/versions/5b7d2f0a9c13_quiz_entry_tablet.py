"""quiz entry tablet: which scorekeeper tablet tapped an entry, so undo takes back that tablet's tap

Revision ID: 5b7d2f0a9c13
Revises: 5b7e2c9d1a40
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7d2f0a9c13'
down_revision = '5b7e2c9d1a40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tablet', sa.String(length=32), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('quiz_entry', schema=None) as batch_op:
        batch_op.drop_column('tablet')
