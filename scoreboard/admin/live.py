"""The console following the day live: official standings, what the hall shows, the reveal
warning and reopen requests, refetched when the organizers' Socket.IO room hears of a change."""
from flask import make_response, render_template

from ..models import DISPLAY_STATES, Contest
from ..services import running
from ..services.display_state import reveal_changes, reveal_snapshot_stale
from ..services.public_board import public_board, reveal_groups, rows_from_snapshot
from ..services.sheets import pending_reopens
from ..services.standings import standings_for
from .blueprint import bp
from .sections import get_or_404


def reveal_total(contest: Contest) -> int:
    """How many 'reveal next' steps the frozen board holds (a shared award is one step)."""
    if contest.display_state != "reveal" or not contest.frozen_board:
        return 0
    return len(reveal_groups(rows_from_snapshot(contest.frozen_board)))


def live_context(contest: Contest, standings=None) -> dict:
    """What the console shows live of one contest: both standings, the reveal and its warnings."""
    standings = standings_for(contest) if standings is None else standings
    stale = reveal_snapshot_stale(contest)
    return {"contest": contest, "standings": standings, "display_states": DISPLAY_STATES,
            "ties": running.tied_boundaries(contest, standings),
            "complete": running.is_complete(contest, standings),
            # While the public does not see the live standings, the console shows both.
            "hall": public_board(contest) if contest.display_state != "live" else None,
            "provisional": not all(row.complete for row in standings),
            "reveal_total": reveal_total(contest), "reveal_stale": stale,
            "reveal_changes": reveal_changes(contest) if stale else []}


def fragment(html: str):
    """A console fragment for htmx (the same answer with or without HX-Request)."""
    response = make_response(html)
    response.vary.add("HX-Request")
    return response


@bp.route("/contests/<int:contest_id>/live")
def contest_live(contest_id):
    """The official standings and the hall's view, with the display control and closing note out of band."""
    context = live_context(get_or_404(Contest, contest_id))
    # The display control rides along (hx-swap-oob): a late save during a reveal must show
    # its warning at the top of the page, beside the buttons that act on it.
    return fragment(render_template("admin/_live.html", **context)
                    + render_template("admin/_display_control.html", oob=True, **context)
                    + render_template("admin/_closing_note.html", oob=True, **context))


@bp.route("/contests/<int:contest_id>/reopens")
def contest_reopens(contest_id):
    """The contest's undecided reopen requests."""
    contest = get_or_404(Contest, contest_id)
    return fragment(render_template("admin/_reopens.html", contest=contest,
                                    reopens=pending_reopens(contest)))
