"""Setting up an event: event, regions, teams, contests, criteria and judges, with guard rails.

Every function validates, records an audit entry, commits and, when the public board changes,
bumps the contest's version and publishes it. Validation failures raise SetupError (HTTP 422)
and change nothing; a change that would touch a contest with scores raises NeedsConfirmation
(HTTP 409) unless the organizer confirmed it.
"""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from .. import realtime
from ..engine import METHODS, NumberTooLarge, parse_score
from ..extensions import db
from ..models import (CONTEST_KINDS, Assignment, Contest, ContestTeam, Criterion, Event, Judge,
                      Region, Score, Sheet, Team)
from ..params import to_id
from . import audit
from .board import mark_changed


class SetupError(Exception):
    """Invalid input: the message is shown to the organizer, nothing is written."""

    status = 422

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NeedsConfirmation(SetupError):
    """The contest already has scores: the organizer must confirm the change."""

    status = 409


def text_field(value, label: str, *, required=True, limit=200) -> str:
    """A trimmed text field, checked for presence and length."""
    value = (value or "").strip()
    if required and not value:
        raise SetupError(_("%(label)s wajib diisi.", label=label))
    if len(value) > limit:
        raise SetupError(_("%(label)s terlalu panjang (paling banyak %(limit)d karakter).",
                           label=label, limit=limit))
    return value


def decimal_field(value, label: str) -> Decimal:
    """A decimal typed the Indonesian or the English way ("0,5" or "0.5")."""
    try:
        number = parse_score(value)
    except NumberTooLarge:
        raise SetupError(_("%(label)s terlalu besar.", label=label)) from None
    except (ValueError, TypeError):
        raise SetupError(_("%(label)s harus berupa angka.", label=label)) from None
    if number != number.quantize(Decimal("0.001")):
        raise SetupError(_("%(label)s: paling banyak tiga angka di belakang koma.", label=label))
    return number


def has_scores(contest: Contest) -> bool:
    """True once any judge has stored a score (draft or submitted) for the contest."""
    return db.session.scalar(
        db.select(Score.id).join(Sheet, Score.sheet_id == Sheet.id)
        .where(Sheet.contest_id == contest.id).limit(1)) is not None


def guard_scored(contest: Contest, confirm: bool, what: str) -> None:
    """Refuse a change to a scored contest unless the organizer confirmed it."""
    if has_scores(contest) and not confirm:
        raise NeedsConfirmation(
            _("Lomba %(contest)s sudah memiliki nilai. Centang konfirmasi untuk mengubah %(what)s; "
              "perubahan ini dicatat di jejak audit.", contest=contest.name, what=what))


def commit_or_fail(message: str) -> None:
    """Commit; a uniqueness clash becomes a clear message instead of a 500."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise SetupError(message) from None


def flush_or_fail(message: str) -> None:
    """Flush to get ids; a uniqueness clash becomes a clear message instead of a 500."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SetupError(message) from None


# --- event and regions -------------------------------------------------------------------------

def active_event() -> Event | None:
    """The event being run now."""
    return db.session.scalar(db.select(Event).filter_by(active=True).limit(1))


def save_event(event: Event | None, *, name, venue, held_on) -> Event:
    """Create the active event or change its name, venue and date."""
    name = text_field(name, _("Nama acara"))
    venue = text_field(venue, _("Tempat"), required=False)
    try:
        day = held_on if isinstance(held_on, date) else date.fromisoformat((held_on or "").strip())
    except ValueError:
        raise SetupError(_("Tanggal acara tidak valid (format TTTT-BB-HH).")) from None
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


def save_overall_mode(event: Event, mode, points=None) -> Event:
    """Rank the juara umum by medals, or by points per award (DESIGN §3, defaults I=5, II=3, III=1)."""
    from ..engine import DEFAULT_AWARDS
    if mode not in OVERALL_MODES:
        raise SetupError(_("Pilih cara menghitung juara umum: medali atau poin."))
    values = {}
    for label in DEFAULT_AWARDS:
        raw = str((points or {}).get(label) or "0").strip()
        value = decimal_field(raw, _("Poin %(award)s", award=label))
        if value < 0 or value > 1000:
            raise SetupError(_("Poin %(award)s antara 0 dan 1000.", award=label))
        values[label] = str(value.normalize()) if value else "0"
    old = {"mode": event.overall_mode, "points": dict(event.award_points or {})}
    event.overall_mode = mode
    if mode == "points":
        event.award_points = values
    new = {"mode": event.overall_mode, "points": dict(event.award_points or {})}
    if new != old:
        audit.record("update", "event_overall", entity_id=event.id, event_id=event.id,
                     old=old, new=new)
    db.session.commit()
    realtime.publish_hall(event)
    return event


def add_region(event: Event, name) -> Region:
    """Add a kecamatan."""
    name = text_field(name, _("Nama kecamatan"), limit=120)
    region = Region(event=event, name=name)
    db.session.add(region)
    flush_or_fail(_("Kecamatan %(region)s sudah ada.", region=name))
    audit.record("create", "region", entity_id=region.id, event_id=event.id, new={"name": name})
    commit_or_fail(_("Kecamatan %(region)s sudah ada.", region=name))
    return region


def delete_region(region: Region) -> None:
    """Remove a kecamatan that no team belongs to."""
    if db.session.scalar(db.select(Team.id).filter_by(region_id=region.id).limit(1)):
        raise SetupError(_("Kecamatan %(region)s masih dipakai oleh tim; pindahkan timnya dulu.",
                           region=region.name))
    audit.record("delete", "region", entity_id=region.id, event_id=region.event_id,
                 old={"name": region.name})
    db.session.delete(region)
    db.session.commit()


def region_named(event: Event, name: str) -> Region | None:
    """The event's region of that name (case-insensitive)."""
    wanted = name.strip().casefold()
    return next((r for r in event.regions if r.name.casefold() == wanted), None)


# --- teams -------------------------------------------------------------------------------------

def team_values(team: Team) -> dict:
    """A team as the audit trail records it."""
    return {"name": team.name, "region": team.region.name if team.region else None,
            "village": team.village, "members": team.members}


def save_team(event: Event, team: Team | None, *, name, region_id, village="", members="") -> Team:
    """Create or edit a team (name, kecamatan, village, members)."""
    name = text_field(name, _("Nama tim"))
    village = text_field(village, _("Desa/kelurahan"), required=False)
    members = text_field(members, _("Anggota"), required=False, limit=5000)
    region = db.session.get(Region, to_id(region_id)) if to_id(region_id) else None
    if region is None or region.event_id != event.id:
        raise SetupError(_("Pilih kecamatan tim."))
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
    for contest in contests:
        mark_changed(contest)
    commit_or_fail(_("Tim %(team)s sudah ada.", team=name))
    for contest in contests:
        realtime.publish_standings(contest)
    return team


def delete_team(team: Team) -> None:
    """Remove a team that no judge has scored yet."""
    if db.session.scalar(db.select(Sheet.id).filter_by(team_id=team.id).limit(1)):
        raise SetupError(_("Tim %(team)s sudah dinilai; tim yang sudah dinilai tidak dapat dihapus.",
                           team=team.name))
    audit.record("delete", "team", entity_id=team.id, event_id=team.event_id, team_id=team.id,
                 old=team_values(team))
    db.session.delete(team)
    db.session.commit()


# --- contests ----------------------------------------------------------------------------------

def contest_values(contest: Contest) -> dict:
    """A contest's settings as the audit trail records them (criteria by name, as sheets are)."""
    names = {criterion.id: criterion.name for criterion in contest.criteria}
    return {"name": contest.name, "kind": contest.kind, "method": contest.method,
            "status": contest.status,
            "tie_break": [names.get(criterion_id, criterion_id) for criterion_id in contest.tie_break or []],
            "award_labels": list(contest.award_labels or [])}


def parse_award_labels(text: str, count) -> list[str]:
    """Award labels, one per line (or comma separated), cut to the award count."""
    raw = (text or "").replace(",", "\n").splitlines()
    labels = [label.strip() for label in raw if label.strip()]
    if any(len(label) > 60 for label in labels):
        raise SetupError(_("Nama penghargaan terlalu panjang (paling banyak 60 karakter)."))
    if str(count or "").strip():
        try:
            count = int(str(count).strip())
        except ValueError:
            raise SetupError(_("Jumlah penghargaan harus bilangan bulat.")) from None
        if not 0 <= count <= 20:
            raise SetupError(_("Jumlah penghargaan antara 0 dan 20."))
        from ..engine import DEFAULT_AWARDS
        base = labels or list(DEFAULT_AWARDS)
        if count > len(base):
            raise SetupError(_("Tuliskan satu nama penghargaan untuk setiap juara."))
        labels = base[:count]
    return labels


def save_contest(event: Event, contest: Contest | None, *, name, kind="rubric", method="mean",
                 status=None, tie_break=(), award_labels="", award_count="",
                 confirm=False) -> Contest:
    """Create a contest or change its settings (kind, method, tie-break, awards, draft/open)."""
    name = text_field(name, _("Nama lomba"))
    if kind not in CONTEST_KINDS:
        raise SetupError(_("Jenis lomba tidak dikenal."))
    if method not in METHODS:
        raise SetupError(_("Metode penilaian tidak dikenal."))
    labels = parse_award_labels(award_labels, award_count)
    if contest is None:
        contest = Contest(event=event, name=name, kind=kind, method=method, status="draft",
                          position=len(event.contests) + 1, award_labels=labels)
        db.session.add(contest)
        flush_or_fail(_("Lomba %(contest)s sudah ada.", contest=name))
        audit.record("create", "contest", entity_id=contest.id, event_id=event.id,
                     contest_id=contest.id, new=contest_values(contest))
        commit_or_fail(_("Lomba %(contest)s sudah ada.", contest=name))
        return contest
    if status not in (None, "", "draft", "open"):
        raise SetupError(_("Status di sini hanya draf atau dibuka; kunci dan umumkan di halaman lomba."))
    if contest.status in ("closed", "published") and status:
        raise SetupError(_("Lomba sudah dikunci; buka kuncinya dulu."))
    criterion_ids = {c.id for c in contest.criteria}
    try:
        tie = [int(x) for x in tie_break if str(x).strip()]
    except ValueError:
        raise SetupError(_("Kriteria penentu seri tidak dikenal.")) from None
    if any(cid not in criterion_ids for cid in tie):
        raise SetupError(_("Kriteria penentu seri harus kriteria lomba ini."))
    old = contest_values(contest)
    if (kind != contest.kind or method != contest.method) and has_scores(contest):
        guard_scored(contest, confirm, _("jenis atau metode penilaian"))
    contest.name, contest.kind, contest.method = name, kind, method
    contest.tie_break, contest.award_labels = tie, labels
    if status:
        contest.status = status
    new = contest_values(contest)
    if new != old:
        audit.record("update", "contest", entity_id=contest.id, event_id=event.id,
                     contest_id=contest.id, old=old, new=new)
        mark_changed(contest)
    commit_or_fail(_("Lomba %(contest)s sudah ada.", contest=name))
    realtime.publish_standings(contest)
    return contest


# --- criteria ----------------------------------------------------------------------------------

def criterion_values(criterion: Criterion) -> dict:
    """A criterion as the audit trail records it."""
    return {"name": criterion.name, "description": criterion.description,
            "weight": str(criterion.weight), "min": str(criterion.min_score),
            "max": str(criterion.max_score), "step": str(criterion.step),
            "position": criterion.position}


def save_criterion(contest: Contest, criterion: Criterion | None, *, name, description="",
                   weight="1", min_score="0", max_score="100", step="1", position=None,
                   confirm=False) -> Criterion:
    """Add or change a criterion: name, description, weight, range, step and order."""
    if contest.kind != "rubric":
        raise SetupError(_("Lomba cerdas cermat tidak memakai kriteria."))
    name = text_field(name, _("Nama kriteria"))
    description = text_field(description, _("Keterangan"), required=False, limit=2000)
    weight = decimal_field(weight, _("Bobot"))
    low, high = (decimal_field(min_score, _("Nilai minimum")),
                 decimal_field(max_score, _("Nilai maksimum")))
    step = decimal_field(step, _("Langkah"))
    if weight <= 0:
        raise SetupError(_("Bobot harus lebih dari 0."))
    if low >= high:
        raise SetupError(_("Nilai minimum harus lebih kecil dari nilai maksimum."))
    if step <= 0:
        raise SetupError(_("Langkah harus lebih dari 0."))
    if (high - low) % step:
        raise SetupError(_("Rentang nilai harus habis dibagi langkahnya."))
    if position in (None, ""):
        order = criterion.position if criterion else len(contest.criteria) + 1
    else:
        try:
            order = int(str(position))
        except ValueError:
            raise SetupError(_("Urutan harus bilangan bulat.")) from None
    guard_scored(contest, confirm, _("kriteria"))
    old = criterion_values(criterion) if criterion else None
    if criterion is None:
        criterion = Criterion(contest=contest)
        db.session.add(criterion)
    if criterion.id and has_scores(contest):
        outside = db.session.scalar(
            db.select(Score.id).where(Score.criterion_id == criterion.id,
                                      (Score.value < low) | (Score.value > high)).limit(1))
        if outside:
            db.session.rollback()
            raise SetupError(_("Ada nilai yang sudah tersimpan di luar rentang baru ini."))
    criterion.name, criterion.description, criterion.weight = name, description, weight
    criterion.min_score, criterion.max_score, criterion.step = low, high, step
    criterion.position = order
    flush_or_fail(_("Kriteria %(criterion)s sudah ada di lomba ini.", criterion=name))
    audit.record("create" if old is None else "update", "criterion", entity_id=criterion.id,
                 event_id=contest.event_id, contest_id=contest.id, old=old,
                 new=criterion_values(criterion))
    mark_changed(contest)
    commit_or_fail(_("Kriteria %(criterion)s sudah ada di lomba ini.", criterion=name))
    realtime.publish_standings(contest)
    return criterion


def delete_criterion(criterion: Criterion, confirm=False) -> None:
    """Remove a criterion (its scores go with it, so a scored contest needs confirmation)."""
    contest = criterion.contest
    guard_scored(contest, confirm, _("kriteria"))
    audit.record("delete", "criterion", entity_id=criterion.id, event_id=contest.event_id,
                 contest_id=contest.id, old=criterion_values(criterion))
    contest.tie_break = [cid for cid in (contest.tie_break or []) if cid != criterion.id]
    db.session.delete(criterion)
    mark_changed(contest)
    db.session.commit()
    realtime.publish_standings(contest)


# --- teams entered and judges assigned ---------------------------------------------------------

def set_entries(contest: Contest, team_ids, confirm=False) -> None:
    """Choose which of the event's teams take part in the contest."""
    # A value that is no id (None here) is unknown too, never silently dropped.
    wanted = {to_id(t) for t in team_ids if str(t).strip()}
    teams = {t.id: t for t in contest.event.teams}
    if wanted - set(teams):
        raise SetupError(_("Tim tidak dikenal."))
    current = {entry.team_id: entry for entry in contest.entries}
    removed = set(current) - wanted
    if removed and db.session.scalar(db.select(Sheet.id).where(
            Sheet.contest_id == contest.id, Sheet.team_id.in_(removed)).limit(1)):
        guard_scored(contest, confirm, _("peserta"))
    old = sorted(teams[t].name for t in current)
    for team_id in removed:
        contest.entries.remove(current[team_id])
    db.session.flush()
    next_no = max((e.order_no or 0 for e in contest.entries), default=0)
    for team_id in sorted(wanted - set(current)):
        next_no += 1
        contest.entries.append(ContestTeam(team=teams[team_id], order_no=next_no))
    new = sorted(teams[t].name for t in wanted)
    if old != new:
        audit.record("update", "contest_teams", entity_id=contest.id, event_id=contest.event_id,
                     contest_id=contest.id, old=old, new=new)
        mark_changed(contest)
    db.session.commit()
    realtime.publish_standings(contest)


def set_panel(contest: Contest, judge_ids, head_id=None, scorekeeper_ids=(), confirm=False) -> None:
    """Assign the contest's judges, its ketua juri and (for a quiz) its scorekeepers."""
    judges = {j.id: j for j in contest.event.judges}
    wanted = {to_id(j) for j in judge_ids if str(j).strip()}
    keepers = {to_id(j) for j in scorekeeper_ids if str(j).strip()}
    head = to_id(head_id)
    if head is None and str(head_id or "").strip():
        raise SetupError(_("Juri tidak dikenal."))
    if head is not None:
        wanted.add(head)
    if (wanted | keepers) - set(judges):
        raise SetupError(_("Juri tidak dikenal."))
    roles = {j: ("head" if j == head else "judge") for j in wanted}
    roles.update({j: "scorekeeper" for j in keepers - wanted})
    current = {a.judge_id: a for a in contest.assignments}
    old = {judges[j].name: a.role for j, a in sorted(current.items())}
    new = {judges[j].name: role for j, role in sorted(roles.items())}
    if old == new:
        return
    guard_scored(contest, confirm, _("susunan juri"))
    for judge_id, assignment in current.items():
        if judge_id not in roles:
            db.session.delete(assignment)
    db.session.flush()
    # Demote first so the one-head-per-contest index never sees two heads mid-change.
    for judge_id, role in roles.items():
        if judge_id in current and current[judge_id].role == "head" and role != "head":
            current[judge_id].role = role
    db.session.flush()
    for judge_id, role in roles.items():
        if judge_id in current:
            current[judge_id].role = role
        else:
            db.session.add(Assignment(judge_id=judge_id, contest_id=contest.id, role=role))
    audit.record("update", "contest_judges", entity_id=contest.id, event_id=contest.event_id,
                 contest_id=contest.id, old=old, new=new)
    mark_changed(contest)
    db.session.commit()
    db.session.expire(contest)
    realtime.publish_standings(contest)


# --- judges ------------------------------------------------------------------------------------

def save_judge(event: Event, judge: Judge | None, *, name, home_region_id=None,
               confirm=False) -> Judge:
    """Create or edit a judge (name and home kecamatan)."""
    name = text_field(name, _("Nama juri"))
    region = None
    if str(home_region_id or "").strip():
        region = db.session.get(Region, to_id(home_region_id)) if to_id(home_region_id) else None
        if region is None or region.event_id != event.id:
            raise SetupError(_("Kecamatan asal tidak dikenal."))
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
    contests = [a.contest for a in judge.assignments]
    for contest in contests:
        mark_changed(contest)
    commit_or_fail(_("Juri %(judge)s sudah ada.", judge=name))
    for contest in contests:
        realtime.publish_standings(contest)
    return judge
