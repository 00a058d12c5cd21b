"""quiz teams on stage: the heat (or final) being played, kept on the server for every device

Revision ID: c418a941dad0
Revises: 4e67d041dc29
Create Date: 2026-11-28 03:31:42.943821

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c418a941dad0'
down_revision = '4e67d041dc29'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contest_team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_stage', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('contest_team', schema=None) as batch_op:
        batch_op.drop_column('on_stage')
