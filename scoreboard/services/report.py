"""The laporan kegiatan: what the office sends up to the agency after the event.

One loader gathers it: the event, participants per kecamatan, each contest's panel, method and
published results (the same rows as the results files), the juara umum, penalties, and how the
day ran from the audit trail. The console page and the PDF both show this one structure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale

from ..extensions import db
from ..labels import METHOD_LABELS, STATUS_LABELS
from ..models import AuditEntry, Contest, Event, Judge, Penalty, Team
from .piagam import place_name, settings_for
from . import audit
from .results import ContestResults, overall_table, results_for

SUBMISSIONS = {"rubric": "sheet.submit", "quiz": "quiz_tap"}


@dataclass
class RegionLine:
    """A kecamatan's participants: its teams and how many contest entries they made."""

    region: str
    teams: list[str]
    entries: int


@dataclass
class DayNote:
    """One decision of the day worth reporting: a reopen, an override, a correction.

    `kind` is the audit action ("sheet.reopen", "unlock", "publish", …); `subject` names who or
    what it was about (judge and team, shared awards, publishing before complete)."""

    at: datetime
    contest: str
    kind: str
    actor: str
    subject: str
    reason: str


@dataclass
class ContestReport:
    """A contest as the report shows it; `results` only once it is published."""

    contest: Contest
    method: str
    status: str
    panel: list[tuple[str, str]]  # (role: head, judge or scorekeeper; name)
    results: ContestResults | None
    first_submission: datetime | None = None
    last_submission: datetime | None = None
    submissions: int = 0
    notes: list[DayNote] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.results is not None


@dataclass
class EventReport:
    """Everything the laporan kegiatan prints, loaded once."""

    event: Event
    place: str
    regions: list[RegionLine]
    contests: list[ContestReport]
    overall: list
    penalties: list[Penalty]
    signer: dict | None

    @property
    def team_count(self) -> int:
        return sum(len(line.teams) for line in self.regions)

    @property
    def published(self) -> list[ContestReport]:
        return [c for c in self.contests if c.published]

    @property
    def notes(self) -> list[DayNote]:
        return sorted((note for c in self.contests for note in c.notes), key=lambda n: n.at)


def report_for(event: Event) -> EventReport:
    """Load the whole report of an event."""
    entries: dict[int, int] = {}
    for contest in event.contests:
        for team in contest.teams:
            entries[team.id] = entries.get(team.id, 0) + 1
    teams_by_region: dict[str, list[Team]] = {region.name: [] for region in event.regions}
    for team in sorted(event.teams, key=lambda t: t.name):
        teams_by_region.setdefault(team.region.name, []).append(team)
    regions = [RegionLine(region=name, teams=[t.name for t in teams],
                          entries=sum(entries.get(t.id, 0) for t in teams))
               for name, teams in teams_by_region.items()]
    trail = audit.trail(event)
    judges = {judge.id: judge for judge in event.judges}
    teams = {team.id: team for team in event.teams}
    contests = [_contest_report(contest, trail, judges, teams) for contest in event.contests]
    penalties = list(db.session.scalars(
        db.select(Penalty).where(Penalty.contest_id.in_([c.id for c in event.contests]))
        .order_by(Penalty.created_at, Penalty.id)))
    settings = settings_for(event)
    signer = next((o for o in settings.officials or [] if o.get("name")), None)
    return EventReport(event=event, place=place_name(event, settings), regions=regions,
                       contests=contests, overall=overall_table(event), penalties=penalties,
                       signer=signer)


def _contest_report(contest: Contest, trail: list[AuditEntry], judges: dict[int, Judge],
                    teams: dict[int, Team]) -> ContestReport:
    with force_locale("id"):  # an official document stays Indonesian whoever downloads it
        method = (str(METHOD_LABELS.get(contest.method, contest.method)) if contest.kind == "rubric"
                  else "cerdas cermat: jumlah poin")
        status = str(STATUS_LABELS.get(contest.status, contest.status))
    seats = sorted(contest.assignments, key=lambda a: (("head", "judge", "scorekeeper", "timekeeper", "mc").index(a.role),
                                                       a.judge.name))
    report = ContestReport(contest=contest, method=method, status=status,
                           panel=[(a.role, a.judge.name) for a in seats],
                           results=results_for(contest) if contest.status == "published" else None)
    mine = [entry for entry in trail if entry.contest_id == contest.id]
    submitted = [entry.at for entry in mine if entry.action == SUBMISSIONS[contest.kind]]
    if submitted:
        report.first_submission, report.last_submission = min(submitted), max(submitted)
        report.submissions = len(submitted)
    report.notes = [note for entry in mine
                    if (note := _day_note(contest, entry, judges, teams)) is not None]
    return report


def _day_note(contest: Contest, entry: AuditEntry, judges: dict[int, Judge],
              teams: dict[int, Team]) -> DayNote | None:
    """The audit entry as a line of "how the day ran", or None for routine entries."""
    new = entry.new_value if isinstance(entry.new_value, dict) else {}
    judge = judges[entry.judge_id].name if entry.judge_id in judges else ""
    team = teams[entry.team_id].name if entry.team_id in teams else ""
    reason = str(new.get("reason") or "")
    if entry.action in ("sheet.reopen", "sheet.reopen_refused"):
        subject = f"{judge} → {team}"
    elif entry.action == "quiz_correct":
        subject = team
    elif entry.action in ("unlock", "unpublish"):
        subject = ""
    elif entry.action == "publish" and (new.get("override_reason") or new.get("shared_awards")):
        subject = "; ".join(" = ".join(group) for group in new.get("shared_awards") or [])
        reason = str(new.get("override_reason") or "")
    else:
        return None
    return DayNote(at=entry.at, contest=contest.name, kind=entry.action, actor=entry.actor,
                   subject=subject, reason=reason)
