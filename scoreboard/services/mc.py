"""What the MC reads (DESIGN §8): who is on stage and who is next, the reveal's sentences in step
with the hall screen, and after publishing the winners of each contest and the juara umum.

Everything here is built from the public board's gate (public_board.py): the boards the hall
screen shows, never the live standings behind a freeze or a reveal. The MC's page is refreshed
by the same pushes as the hall, so it is never ahead of the hall.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..i18n import number, points
from ..models import Contest, Event
from .public_board import PublicBoard, PublicRow, overall_board, public_board, reveal_groups


@dataclass
class McView:
    """The MC's page at one moment."""

    event: Event
    contest: Contest | None = None          # the contest on the hall screen
    board: PublicBoard | None = None        # its public board (what the hall shows)
    reveal: list[str] = field(default_factory=list)   # sentences the hall has revealed, in order
    results: list[tuple[Contest, list[str]]] = field(default_factory=list)  # published contests
    overall: list[str] = field(default_factory=list)  # juara umum, in reading order


def _score(contest: Contest, row: PublicRow) -> str:
    value = Decimal(row.score) if row.score else Decimal(0)
    return points(value) if contest.kind == "quiz" else number(value)


def _names(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s dan %(last)s", first=", ".join(names[:-1]), last=names[-1])


def award_sentence(contest: Contest, group: list[PublicRow]) -> str:
    """The sentence to read for one award: "Juara III Lomba Yel-Yel diraih oleh Tim Kecamatan
    Halong dengan nilai 36,44" (a shared award names every team)."""
    scores = []
    for row in group:
        score = _score(contest, row)
        if score not in scores:
            scores.append(score)
    values = {"award": group[0].award, "contest": contest.name,
              "teams": _names([row.team for row in group]), "score": _names(scores)}
    if len(group) > 1:
        return _("%(award)s %(contest)s diraih bersama oleh %(teams)s dengan nilai %(score)s",
                 **values)
    return _("%(award)s %(contest)s diraih oleh %(teams)s dengan nilai %(score)s", **values)


def winners_in_reading_order(contest: Contest, rows: list[PublicRow]) -> list[str]:
    """The awards of a board, lowest first (the order an MC reads them, Juara I last)."""
    return [award_sentence(contest, group) for group in reveal_groups(rows)]


def overall_sentences(event: Event) -> list[str]:
    """The first three places of juara umum, third first, once a contest is published."""
    table = overall_board(event)
    if not table.contests:
        return []
    places: dict[int, list[str]] = {}
    for row in table.rows:
        if row.rank <= 3 and any(row.counts.values()):
            places.setdefault(row.rank, []).append(row.region)
    sentences = []
    for rank in sorted(places, reverse=True):
        regions = _names([_("Kecamatan %(name)s", name=name) for name in places[rank]])
        if rank == 1:
            sentences.append(_("Juara Umum %(event)s diraih oleh %(regions)s",
                               event=event.name, regions=regions))
        else:
            sentences.append(_("Peringkat %(rank)s juara umum diraih oleh %(regions)s",
                               rank=rank, regions=regions))
    return sentences


def hall_contest(event: Event) -> Contest | None:
    """The contest on the hall screen (as display.hall_context chooses it), if any."""
    if event.hall_view == "overall":
        return None
    chosen = db.session.get(Contest, event.hall_contest_id) if event.hall_contest_id else None
    return chosen or (event.contests[0] if event.contests else None)


def mc_view(event: Event) -> McView:
    """Everything the MC's phone shows now, from the boards the hall shows."""
    view = McView(event=event, contest=hall_contest(event))
    if view.contest is not None:
        view.board = public_board(view.contest)
        if view.board.state == "reveal":
            view.reveal = winners_in_reading_order(view.contest, view.board.rows)
    for contest in event.contests:
        if contest.status == "published":
            view.results.append((contest, winners_in_reading_order(
                contest, public_board(contest).rows)))
    view.overall = overall_sentences(event)
    return view


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="papan-skor.mc-link")


def mc_token(event: Event) -> str:
    """The token of the MC's link for an event (shown on the console; read-only)."""
    return _serializer().dumps(event.id)


def event_for_token(token: str) -> Event | None:
    """The event an MC link opens, or None for a token this server did not sign."""
    try:
        event_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(Event, event_id) if isinstance(event_id, int) else None
