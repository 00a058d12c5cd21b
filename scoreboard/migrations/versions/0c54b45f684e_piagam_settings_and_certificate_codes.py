"""piagam settings (officials, border, place, logo) and the verification codes of printed piagam

Revision ID: 0c54b45f684e
Revises: c418a941dad0
Create Date: 2026-11-30 10:27:39.363322

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0c54b45f684e'
down_revision = 'c418a941dad0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('piagam_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('border', sa.String(length=16), nullable=False),
    sa.Column('officials', sa.JSON(), nullable=False),
    sa.Column('logo_png', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint("border IN ('ganda', 'garis', 'tanpa')", name='piagam_border_known'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('award', sa.String(length=120), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('award', 'participation')", name='certificate_kind_known'),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code'),
    sa.UniqueConstraint('contest_id', 'team_id', 'kind', 'award', 'rank')
    )


def downgrade():
    op.drop_table('certificate')
    op.drop_table('piagam_settings')
