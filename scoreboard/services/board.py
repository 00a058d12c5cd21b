"""What the public may see of a contest: the board behind the projector, phones and API."""
from dataclasses import dataclass, field

from ..models import Contest
from .standings import BoardRow, standings_for


@dataclass
class PublicBoard:
    """A contest's board as the public sees it at one version."""

    contest: Contest
    version: int
    rows: list[BoardRow] = field(default_factory=list)

    def rows_json(self) -> list[dict]:
        """Rows in the public contract's shape."""
        return [row.as_public() for row in self.rows]


def mark_changed(contest: Contest) -> None:
    """Bump the contest's version in the current transaction (atomic in SQL, no lost update)."""
    contest.version = Contest.version + 1


def public_board(contest: Contest) -> PublicBoard:
    """The board the public may see now."""
    return PublicBoard(contest=contest, version=contest.version, rows=standings_for(contest))
