"""Setting up one contest: its settings, criteria, the teams entered and the panel of judges.

Like services/setup.py: every function validates, records an audit entry, bumps the contest's
version when the public board changes and ends on the publishing path; a change to a contest
that already has scores needs the organizer's confirmation (409 otherwise).
"""
from flask_babel import gettext as _

from ..engine import DEFAULT_AWARDS, METHODS
from ..extensions import db
from ..models import CONTEST_KINDS, Assignment, Contest, ContestTeam, Criterion, Event, Score, Sheet
from ..params import to_id
from . import audit
from .errors import ServiceError, rolls_back
from .publish import commit, mark_changed
from .fields import decimal_field, int_field, text_field
from .setup import commit_or_fail, flush_or_fail, guard_scored, has_scores

# The most awards a contest gives, and the highest place a criterion may be given in its list
# (both far inside the INTEGER columns: 10**20 was a 500 on SQLite, 3,000,000,000 on PostgreSQL).
MAX_AWARDS = 20
MAX_POSITION = 9999


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
        raise ServiceError(422, _("Nama penghargaan terlalu panjang (paling banyak 60 karakter)."))
    if str(count or "").strip():
        count = int_field(count, _("Jumlah penghargaan"), 0, MAX_AWARDS)
        base = labels or list(DEFAULT_AWARDS)
        if count > len(base):
            raise ServiceError(422, _("Tuliskan satu nama penghargaan untuk setiap juara."))
        labels = base[:count]
    return labels


@rolls_back
def save_contest(event: Event, contest: Contest | None, *, name, kind="rubric", method="mean",
                 status=None, tie_break=(), award_labels="", award_count="",
                 confirm=False) -> Contest:
    """Create a contest or change its settings (kind, method, tie-break, awards, draft/open)."""
    name = text_field(name, _("Nama lomba"))
    if kind not in CONTEST_KINDS:
        raise ServiceError(422, _("Jenis lomba tidak dikenal."))
    if method not in METHODS:
        raise ServiceError(422, _("Metode penilaian tidak dikenal."))
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
        raise ServiceError(422, _("Status di sini hanya draf atau dibuka; kunci dan umumkan di halaman lomba."))
    if contest.status in ("closed", "published") and status:
        raise ServiceError(422, _("Lomba sudah dikunci; buka kuncinya dulu."))
    criterion_ids = {c.id for c in contest.criteria}
    # A value that is no id (None here) is unknown too.
    tie = [to_id(x) for x in tie_break if str(x).strip()]
    if any(cid not in criterion_ids for cid in tie):
        raise ServiceError(422, _("Kriteria penentu seri harus kriteria lomba ini."))
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
    commit_or_fail(_("Lomba %(contest)s sudah ada.", contest=name), contest)
    return contest


def criterion_values(criterion: Criterion) -> dict:
    """A criterion as the audit trail records it."""
    return {"name": criterion.name, "description": criterion.description,
            "weight": str(criterion.weight), "min": str(criterion.min_score),
            "max": str(criterion.max_score), "step": str(criterion.step),
            "position": criterion.position}


@rolls_back
def save_criterion(contest: Contest, criterion: Criterion | None, *, name, description="",
                   weight="1", min_score="0", max_score="100", step="1", position=None,
                   confirm=False) -> Criterion:
    """Add or change a criterion: name, description, weight, range, step and order."""
    if contest.kind != "rubric":
        raise ServiceError(422, _("Lomba cerdas cermat tidak memakai kriteria."))
    name = text_field(name, _("Nama kriteria"))
    description = text_field(description, _("Keterangan"), required=False, limit=2000)
    weight = decimal_field(weight, _("Bobot"))
    low, high = (decimal_field(min_score, _("Nilai minimum")),
                 decimal_field(max_score, _("Nilai maksimum")))
    step = decimal_field(step, _("Langkah"))
    if weight <= 0:
        raise ServiceError(422, _("Bobot harus lebih dari 0."))
    if low >= high:
        raise ServiceError(422, _("Nilai minimum harus lebih kecil dari nilai maksimum."))
    if step <= 0:
        raise ServiceError(422, _("Langkah harus lebih dari 0."))
    if (high - low) % step:
        raise ServiceError(422, _("Rentang nilai harus habis dibagi langkahnya."))
    if position in (None, ""):
        order = criterion.position if criterion else len(contest.criteria) + 1
    else:
        order = int_field(position, _("Urutan"), 0, MAX_POSITION)
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
            raise ServiceError(422, _("Ada nilai yang sudah tersimpan di luar rentang baru ini."))
    criterion.name, criterion.description, criterion.weight = name, description, weight
    criterion.min_score, criterion.max_score, criterion.step = low, high, step
    criterion.position = order
    flush_or_fail(_("Kriteria %(criterion)s sudah ada di lomba ini.", criterion=name))
    audit.record("create" if old is None else "update", "criterion", entity_id=criterion.id,
                 event_id=contest.event_id, contest_id=contest.id, old=old,
                 new=criterion_values(criterion))
    mark_changed(contest)
    commit_or_fail(_("Kriteria %(criterion)s sudah ada di lomba ini.", criterion=name), contest)
    return criterion


@rolls_back
def delete_criterion(criterion: Criterion, confirm=False) -> None:
    """Remove a criterion (its scores go with it, so a scored contest needs confirmation)."""
    contest = criterion.contest
    guard_scored(contest, confirm, _("kriteria"))
    audit.record("delete", "criterion", entity_id=criterion.id, event_id=contest.event_id,
                 contest_id=contest.id, old=criterion_values(criterion))
    contest.tie_break = [cid for cid in (contest.tie_break or []) if cid != criterion.id]
    db.session.delete(criterion)
    mark_changed(contest)
    commit(contest)


@rolls_back
def set_entries(contest: Contest, team_ids, confirm=False) -> None:
    """Choose which of the event's teams take part in the contest."""
    # A value that is no id (None here) is unknown too, never silently dropped.
    wanted = {to_id(t) for t in team_ids if str(t).strip()}
    teams = {t.id: t for t in contest.event.teams}
    if wanted - set(teams):
        raise ServiceError(422, _("Tim tidak dikenal."))
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
    commit(contest)


@rolls_back
def set_panel(contest: Contest, judge_ids, head_id=None, scorekeeper_ids=(), confirm=False) -> None:
    """Assign the contest's judges, its ketua juri and (for a quiz) its scorekeepers."""
    judges = {j.id: j for j in contest.event.judges}
    wanted = {to_id(j) for j in judge_ids if str(j).strip()}
    keepers = {to_id(j) for j in scorekeeper_ids if str(j).strip()}
    head = to_id(head_id)
    if head is None and str(head_id or "").strip():
        raise ServiceError(422, _("Juri tidak dikenal."))
    if head is not None:
        wanted.add(head)
    if (wanted | keepers) - set(judges):
        raise ServiceError(422, _("Juri tidak dikenal."))
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
    commit(contest)
