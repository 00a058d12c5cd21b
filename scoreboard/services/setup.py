"""Setting up an event: the event, kecamatan, teams and judges, and the guard rails every setup
use case shares (services/contest_setup.py sets up each contest).

Every function validates, records an audit entry, commits and, when the public board changes,
bumps the contest's version and publishes it. Validation failures raise ServiceError (HTTP 422)
and change nothing; a change that would touch a contest with scores is refused with 409 unless
the organizer confirmed it.
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..engine import DEFAULT_AWARDS
from ..extensions import db
from ..models import Contest, ContestTeam, Event, Judge, Region, Score, Sheet, Team
from ..params import to_id
from . import audit
from .errors import ServiceError, rolls_back
from .fields import decimal_field, text_field
from .publish import commit, commit_hall, mark_changed


def has_scores(contest: Contest) -> bool:
    """True once any judge has stored a score (draft or submitted) for the contest."""
    return db.session.scalar(
        db.select(Score.id).join(Sheet, Score.sheet_id == Sheet.id)
        .where(Sheet.contest_id == contest.id).limit(1)) is not None


def guard_scored(contest: Contest, confirm: bool, what: str) -> None:
    """Refuse a change to a scored contest unless the organizer confirmed it."""
    if has_scores(contest) and not confirm:
        raise ServiceError(409, 
            _("Lomba %(contest)s sudah memiliki nilai. Centang konfirmasi untuk mengubah %(what)s; "
              "perubahan ini dicatat di jejak audit.", contest=contest.name, what=what))


def commit_or_fail(message: str, *contests: Contest) -> None:
    """Commit and push the contests' boards; a uniqueness clash becomes a clear message, not a 500."""
    try:
        commit(*contests)
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(422, message) from None


def commit_boards(contests: list[Contest], clash: str) -> None:
    """A team or judge changed: every contest it is in shows it, so each board gets a new version."""
    for contest in contests:
        mark_changed(contest)
    commit_or_fail(clash, *contests)


def _delete(row, entity: str, *, in_use, refusal: str, **details) -> None:
    """Delete a row of the event that nothing uses yet (`in_use` finds none), with its audit entry."""
    if db.session.scalar(in_use.limit(1)) is not None:
        raise ServiceError(422, refusal)
    audit.record("delete", entity, entity_id=row.id, event_id=row.event_id, **details)
    db.session.delete(row)
    db.session.commit()


def flush_or_fail(message: str) -> None:
    """Flush to get ids; a uniqueness clash becomes a clear message instead of a 500."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(422, message) from None


def active_event() -> Event | None:
    """The event being run now."""
    return db.session.scalar(db.select(Event).filter_by(active=True).limit(1))


@rolls_back
def save_event(event: Event | None, *, name, venue, held_on) -> Event:
    """Create the active event or change its name, venue and date."""
    name = text_field(name, _("Nama acara"))
    venue = text_field(venue, _("Tempat"), required=False)
    try:
        day = held_on if isinstance(held_on, date) else date.fromisoformat((held_on or "").strip())
    except ValueError:
        raise ServiceError(422, _("Tanggal acara tidak valid (format TTTT-BB-HH).")) from None
    old = None
    if event is None:
        for other in db.session.scalars(db.select(Event).filter_by(active=True)):
            other.active = False
        event = Event(name=name, venue=venue, held_on=day, active=True)
        db.session.add(event)
        db.session.flush()
    else:
        old = {"name": event.name, "venue": event.venue, "held_on": event.held_on.isoformat()}
        event.name, event.venue, event.held_on = name, venue, day
    audit.record("create" if old is None else "update", "event", entity_id=event.id,
                 event_id=event.id, old=old,
                 new={"name": name, "venue": venue, "held_on": day.isoformat()})
    commit_or_fail(_("Nama acara sudah dipakai."))
    return event


OVERALL_MODES = ("medals", "points")


@rolls_back
def save_overall_mode(event: Event, mode, points=None) -> Event:
    """Rank the juara umum by medals, or by points per award (rules §3, defaults I=5, II=3, III=1)."""
    if mode not in OVERALL_MODES:
        raise ServiceError(422, _("Pilih cara menghitung juara umum: medali atau poin."))
    values = {}
    for label in DEFAULT_AWARDS:
        raw = str((points or {}).get(label) or "0").strip()
        value = decimal_field(raw, _("Poin %(award)s", award=label))
        if value < 0 or value > 1000:
            raise ServiceError(422, _("Poin %(award)s antara 0 dan 1000.", award=label))
        values[label] = str(value.normalize()) if value else "0"
    old = {"mode": event.overall_mode, "points": dict(event.award_points or {})}
    event.overall_mode = mode
    if mode == "points":
        event.award_points = values
    new = {"mode": event.overall_mode, "points": dict(event.award_points or {})}
    if new != old:
        audit.record("update", "event_overall", entity_id=event.id, event_id=event.id,
                     old=old, new=new)
    commit_hall(event)
    return event


@rolls_back
def add_region(event: Event, name) -> Region:
    """Add a kecamatan."""
    name = text_field(name, _("Nama kecamatan"), limit=120)
    region = Region(event=event, name=name)
    db.session.add(region)
    flush_or_fail(_("Kecamatan %(region)s sudah ada.", region=name))
    audit.record("create", "region", entity_id=region.id, event_id=event.id, new={"name": name})
    commit_or_fail(_("Kecamatan %(region)s sudah ada.", region=name))
    return region


@rolls_back
def delete_region(region: Region) -> None:
    """Remove a kecamatan that no team belongs to."""
    _delete(region, "region", in_use=db.select(Team.id).filter_by(region_id=region.id),
            refusal=_("Kecamatan %(region)s masih dipakai oleh tim; pindahkan timnya dulu.",
                      region=region.name), old={"name": region.name})


def team_values(team: Team) -> dict:
    """A team as the audit trail records it."""
    return {"name": team.name, "region": team.region.name if team.region else None,
            "village": team.village, "members": team.members}


@rolls_back
def save_team(event: Event, team: Team | None, *, name, region_id, village="", members="") -> Team:
    """Create or edit a team (name, kecamatan, village, members)."""
    name = text_field(name, _("Nama tim"))
    village = text_field(village, _("Desa/kelurahan"), required=False)
    members = text_field(members, _("Anggota"), required=False, limit=5000)
    region = db.session.get(Region, to_id(region_id)) if to_id(region_id) else None
    if region is None or region.event_id != event.id:
        raise ServiceError(422, _("Pilih kecamatan tim."))
    old = team_values(team) if team else None
    if team is None:
        team = Team(event=event, name=name, region=region, village=village, members=members)
        db.session.add(team)
    else:
        team.name, team.region, team.village, team.members = name, region, village, members
    flush_or_fail(_("Tim %(team)s sudah ada.", team=name))
    audit.record("create" if old is None else "update", "team", entity_id=team.id,
                 event_id=event.id, team_id=team.id, old=old, new=team_values(team))
    contests = [entry.contest for entry in
                db.session.scalars(db.select(ContestTeam).filter_by(team_id=team.id))]
    commit_boards(contests, _("Tim %(team)s sudah ada.", team=name))
    return team


@rolls_back
def delete_team(team: Team) -> None:
    """Remove a team that no judge has scored yet."""
    _delete(team, "team", in_use=db.select(Sheet.id).filter_by(team_id=team.id),
            refusal=_("Tim %(team)s sudah dinilai; tim yang sudah dinilai tidak dapat dihapus.",
                      team=team.name), old=team_values(team), team_id=team.id)


@rolls_back
def save_judge(event: Event, judge: Judge | None, *, name, home_region_id=None,
               confirm=False) -> Judge:
    """Create or edit a judge (name and home kecamatan)."""
    name = text_field(name, _("Nama juri"))
    region = None
    if str(home_region_id or "").strip():
        region = db.session.get(Region, to_id(home_region_id)) if to_id(home_region_id) else None
        if region is None or region.event_id != event.id:
            raise ServiceError(422, _("Kecamatan asal tidak dikenal."))
    old = ({"name": judge.name, "home_region": judge.home_region.name if judge.home_region else None}
           if judge else None)
    if judge is None:
        judge = Judge(event=event, name=name, home_region=region)
        db.session.add(judge)
    else:
        if judge.home_region_id != (region.id if region else None):
            # The home region decides conflicts of interest, hence completeness and averages.
            for assignment in judge.assignments:
                guard_scored(assignment.contest, confirm, _("kecamatan asal juri"))
        judge.name, judge.home_region = name, region
    flush_or_fail(_("Juri %(judge)s sudah ada.", judge=name))
    audit.record("create" if old is None else "update", "judge", entity_id=judge.id,
                 event_id=event.id, judge_id=judge.id, old=old,
                 new={"name": name, "home_region": region.name if region else None})
    commit_boards([a.contest for a in judge.assignments], _("Juri %(judge)s sudah ada.", judge=name))
    return judge
