"""session generations: a logout, a new password or the organizer's "end judge sessions" raises
an account's generation, and every session signed with an older one stops working

Revision ID: 5b7e2c9d1a40
Revises: 0c54b45f684e
Create Date: 2026-11-30 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e2c9d1a40'
down_revision = '0c54b45f684e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizer') as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0',
                                      nullable=False))
    with op.batch_alter_table('judge') as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('judge') as batch_op:
        batch_op.drop_column('session_generation')
    with op.batch_alter_table('organizer') as batch_op:
        batch_op.drop_column('session_generation')
