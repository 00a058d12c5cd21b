"""stage timer, time limits, proposed penalties, timekeeper and mc seats

Times are milliseconds on the server's clock; scores and points thousandths (models.Exact).

Revision ID: a2d10b9325c8
Revises: 5b7d2f0a9c13
Create Date: 2026-11-30 13:31:49.768788

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2d10b9325c8'
down_revision = '5b7d2f0a9c13'
branch_labels = None
depends_on = None


OLD_ROLES = "role IN ('judge', 'head', 'scorekeeper')"
NEW_ROLES = "role IN ('judge', 'head', 'scorekeeper', 'timekeeper', 'mc')"


def _seat_roles(check: str) -> None:
    """Replace the seat-role check (SQLite copies the table; the partial head index is kept)."""
    with op.batch_alter_table('assignment', schema=None, recreate='auto') as batch_op:
        batch_op.drop_constraint('role_known', type_='check')
        batch_op.create_check_constraint('role_known', check)


def upgrade():
    op.create_table('time_limit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('min_seconds', sa.Integer(), nullable=True),
    sa.Column('max_seconds', sa.Integer(), nullable=True),
    sa.Column('step_seconds', sa.Integer(), nullable=False),
    sa.Column('points_per_step', sa.BigInteger(), nullable=False),
    sa.Column('cap', sa.BigInteger(), nullable=True),
    sa.CheckConstraint('cap IS NULL OR cap > 0', name='time_cap_positive'),
    sa.CheckConstraint('max_seconds IS NULL OR max_seconds > 0', name='time_max_known'),
    sa.CheckConstraint('min_seconds IS NULL OR max_seconds IS NULL OR min_seconds < max_seconds', name='time_range_ordered'),
    sa.CheckConstraint('min_seconds IS NULL OR min_seconds >= 0', name='time_min_known'),
    sa.CheckConstraint('points_per_step > 0', name='time_points_positive'),
    sa.CheckConstraint('step_seconds > 0', name='time_step_positive'),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contest_id')
    )
    op.create_table('entry_timer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('started_ms', sa.BigInteger(), nullable=True),
    sa.Column('paused_at_ms', sa.BigInteger(), nullable=True),
    sa.Column('paused_total_ms', sa.BigInteger(), nullable=False),
    sa.Column('stopped_ms', sa.BigInteger(), nullable=True),
    sa.Column('duration_ms', sa.BigInteger(), nullable=True),
    sa.Column('last_tap_ms', sa.BigInteger(), nullable=True),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.CheckConstraint('duration_ms IS NULL OR duration_ms >= 0', name='timer_duration_positive'),
    sa.CheckConstraint('paused_total_ms >= 0', name='timer_paused_positive'),
    sa.ForeignKeyConstraint(['entry_id'], ['contest_team.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id')
    )
    op.create_table('proposed_penalty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.BigInteger(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('outside_seconds', sa.Integer(), nullable=False),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('penalty_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("side IN ('over', 'under')", name='proposal_side_known'),
    sa.CheckConstraint("status IN ('proposed', 'confirmed', 'dismissed', 'withdrawn')", name='proposal_status_known'),
    sa.CheckConstraint('points > 0', name='proposal_positive'),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['penalty_id'], ['penalty.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )


    _seat_roles(NEW_ROLES)


def downgrade():
    _seat_roles(OLD_ROLES)
    op.drop_table('proposed_penalty')
    op.drop_table('entry_timer')
    op.drop_table('time_limit')
