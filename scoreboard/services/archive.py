"""The event archive: the whole event as one JSON document, and back (docs/archive.md).

Things refer to each other by name (team, judge, region, criterion, contest, quiz round), never by
database id, so an archive loads into any database and exporting it again gives the same document.
Judges' access codes are never exported: an imported judge gets a new code from the organizer.
The piagam settings (officials, border, logo) and the codes of printed piagam travel with the
event, so a piagam printed on one machine verifies on the other.
"""
from __future__ import annotations

import base64
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from ..extensions import db
from ..document_models import Certificate, PiagamSettings
from ..models import (Assignment, AuditEntry, Contest, ContestTeam, Criterion, Event, Judge,
                      Penalty, QuizEntry, QuizRound, Region, ReopenRequest, Score, Sheet, Team)
from . import audit
from .archive_format import ArchiveError, num as _num, parse_when as _parse_when, when as _when
from .archive_stage import (build_proposals, build_time_limit, build_timer, export_proposals,
                            export_time_limit, export_timer)
from .errors import ServiceError

FORMAT = "papan-skor-langsung/event"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "event-schema.json"


def export_event(event: Event) -> dict:
    """The whole event as a JSON-ready dict (no secrets, no database ids)."""
    teams = {team.id: team.name for team in event.teams}
    judges = {judge.id: judge.name for judge in event.judges}
    contests = {contest.id: contest.name for contest in event.contests}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "event": {
            "name": event.name, "venue": event.venue, "held_on": event.held_on.isoformat(),
            "timezone": event.timezone, "active": event.active,
            "overall_mode": event.overall_mode, "award_points": event.award_points or {},
            "hall_view": event.hall_view,
            "hall_contest": contests.get(event.hall_contest_id),
        },
        "regions": [region.name for region in event.regions],
        "teams": [{"name": t.name, "region": t.region.name, "village": t.village, "members": t.members}
                  for t in sorted(event.teams, key=lambda t: t.name)],
        "judges": [{"name": j.name, "home_region": j.home_region.name if j.home_region else None,
                    "assignments": sorted(({"contest": a.contest.name, "role": a.role}
                                           for a in j.assignments), key=lambda a: a["contest"])}
                   for j in event.judges],
        "contests": [_export_contest(contest)
                     for contest in sorted(event.contests, key=lambda c: (c.position, c.name))],
        "audit": [_export_audit(entry, contests, teams, judges) for entry in audit.trail(event)],
        "piagam": _export_piagam(event),
        "certificates": _export_certificates(event),
    }


def _export_piagam(event: Event) -> dict | None:
    settings = db.session.scalar(db.select(PiagamSettings).filter_by(event_id=event.id))
    if settings is None:
        return None
    return {"city": settings.city, "border": settings.border, "officials": settings.officials,
            "logo_png": base64.b64encode(settings.logo_png).decode("ascii") if settings.logo_png else None}


def _export_certificates(event: Event) -> list[dict]:
    contest_ids = [c.id for c in event.contests]
    certificates = db.session.scalars(db.select(Certificate).where(Certificate.contest_id.in_(contest_ids)))
    return sorted(({"code": c.code, "contest": c.contest.name, "team": c.team.name, "kind": c.kind,
                    "award": c.award, "rank": c.rank, "issued_at": _when(c.issued_at)}
                   for c in certificates), key=lambda c: c["code"])


def _export_contest(contest: Contest) -> dict:
    criteria = {c.id: c.name for c in contest.criteria}
    sheets = db.session.scalars(db.select(Sheet).filter_by(contest_id=contest.id)).all()
    penalties = db.session.scalars(db.select(Penalty).filter_by(contest_id=contest.id)
                                   .order_by(Penalty.created_at, Penalty.id)).all()
    entries = db.session.scalars(db.select(QuizEntry).filter_by(contest_id=contest.id)
                                 .order_by(QuizEntry.created_at, QuizEntry.id)).all()
    return {
        "name": contest.name, "kind": contest.kind, "method": contest.method,
        "status": contest.status, "position": contest.position,
        "tie_break": [criteria[c] for c in (contest.tie_break or []) if c in criteria],
        "award_labels": list(contest.award_labels or []),
        "display_state": contest.display_state, "version": contest.version,
        "frozen_board": contest.frozen_board, "reveal_step": contest.reveal_step,
        "now_performing": contest.now_performing.name if contest.now_performing else None,
        "draw_seed": contest.draw_seed, "publish_note": contest.publish_note,
        "criteria": [{"name": c.name, "description": c.description, "weight": _num(c.weight),
                      "min": _num(c.min_score), "max": _num(c.max_score), "step": _num(c.step),
                      "position": c.position} for c in contest.criteria],
        "entries": [{"team": e.team.name, "order_no": e.order_no, "performed": e.performed,
                     "timer": export_timer(e)}
                    for e in sorted(contest.entries, key=lambda e: (e.order_no is None, e.order_no or 0,
                                                                   e.team.name))],
        "rounds": [{"name": r.name, "position": r.position, "buttons": list(r.buttons or [])}
                   for r in contest.rounds],
        "sheets": sorted((_export_sheet(sheet) for sheet in sheets),
                         key=lambda s: (s["judge"], s["team"])),
        "penalties": [{"team": p.team.name, "points": _num(p.points), "reason": p.reason,
                       "entered_by": p.entered_by, "created_at": _when(p.created_at)} for p in penalties],
        "quiz_entries": [{"team": q.team.name, "round": q.round.name if q.round else None,
                          "question": q.question, "points": _num(q.points), "note": q.note,
                          "entered_by": q.entered_by, "created_at": _when(q.created_at),
                          "undone": q.undone} for q in entries],
        "time_limit": export_time_limit(contest),
        "proposed_penalties": export_proposals(contest, penalties),
    }


def _export_sheet(sheet: Sheet) -> dict:
    reopens = db.session.scalars(db.select(ReopenRequest).filter_by(sheet_id=sheet.id)
                                 .order_by(ReopenRequest.requested_at, ReopenRequest.id)).all()
    return {
        "judge": sheet.judge.name, "team": sheet.team.name, "state": sheet.state,
        "version": sheet.version, "updated_at": _when(sheet.updated_at),
        "submitted_at": _when(sheet.submitted_at),
        "scores": {s.criterion.name: _num(s.value)
                   for s in sorted(sheet.scores, key=lambda s: (s.criterion.position, s.criterion.name))},
        "reopen_requests": [{"reason": r.reason, "status": r.status,
                             "requested_at": _when(r.requested_at), "decided_by": r.decided_by,
                             "decision_reason": r.decision_reason, "decided_at": _when(r.decided_at)}
                            for r in reopens],
    }


def _export_audit(entry: AuditEntry, contests: dict, teams: dict, judges: dict) -> dict:
    return {"at": _when(entry.at), "actor": entry.actor, "remote_addr": entry.remote_addr,
            "action": entry.action, "entity": entry.entity, "entity_id": entry.entity_id,
            "contest": contests.get(entry.contest_id), "team": teams.get(entry.team_id),
            "judge": judges.get(entry.judge_id), "old": entry.old_value, "new": entry.new_value}


def load_schema() -> dict:
    """The archive's JSON Schema, kept in docs/event-schema.json."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _place(path) -> str:
    """event.contests[0].sheets[2] from a jsonschema path."""
    text = "dokumen"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def validate_document(document: Any) -> None:
    """Raise ArchiveError naming the first place where the document breaks the schema."""
    validator = Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        error = errors[0]
        raise ArchiveError(_place(error.absolute_path), f"tidak sesuai skema: {error.message}")


def import_event(document: Any) -> Event:
    """Load an archive into the database in one transaction; on any error nothing is written."""
    validate_document(document)
    name = document["event"]["name"]
    if db.session.scalar(db.select(Event).filter_by(name=name)) is not None:
        raise ArchiveError("dokumen.event.name", f"acara {name!r} sudah ada di basis data")
    try:
        event = _build(document)
        db.session.flush()
    except ArchiveError:
        db.session.rollback()
        raise
    except Exception as exc:  # a database constraint (score out of range, duplicate name, …)
        db.session.rollback()
        raise ArchiveError("dokumen", f"ditolak oleh basis data: {exc.__class__.__name__}: "
                                      f"{str(exc).splitlines()[0]}") from exc
    db.session.commit()
    return event


def import_file(path: str | Path) -> Event:
    """Read and import an archive file."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"baris {exc.lineno} kolom {exc.colno}", f"bukan JSON yang sah: {exc.msg}") from exc
    return import_event(document)


def _lookup(table: dict, key, place: str, what: str):
    if key not in table:
        raise ArchiveError(place, f"{what} {key!r} tidak ada di dokumen")
    return table[key]


def _unique(names: list[str], place: str, what: str) -> None:
    seen = set()
    for index, name in enumerate(names):
        if name in seen:
            raise ArchiveError(f"{place}[{index}]", f"{what} {name!r} muncul dua kali")
        seen.add(name)


def _build(document: dict) -> Event:
    data = document["event"]
    event = Event(name=data["name"], venue=data["venue"], held_on=date.fromisoformat(data["held_on"]),
                  timezone=data["timezone"], active=data["active"], overall_mode=data["overall_mode"],
                  award_points=data["award_points"], hall_view=data["hall_view"])
    db.session.add(event)
    _unique(document["regions"], "dokumen.regions", "kecamatan")
    regions = {}
    for name in document["regions"]:
        regions[name] = Region(name=name, event=event)
        db.session.add(regions[name])
    _unique([t["name"] for t in document["teams"]], "dokumen.teams", "tim")
    teams = {}
    for i, t in enumerate(document["teams"]):
        region = _lookup(regions, t["region"], f"dokumen.teams[{i}].region", "kecamatan")
        teams[t["name"]] = Team(name=t["name"], region=region, event=event, village=t["village"],
                                members=t["members"])
        db.session.add(teams[t["name"]])
    _unique([c["name"] for c in document["contests"]], "dokumen.contests", "lomba")
    contests: dict[str, Contest] = {}
    for i, c in enumerate(document["contests"]):
        contests[c["name"]] = _build_contest(event, c, teams, f"dokumen.contests[{i}]")
    _unique([j["name"] for j in document["judges"]], "dokumen.judges", "juri")
    judges = {}
    for i, j in enumerate(document["judges"]):
        place = f"dokumen.judges[{i}]"
        home = (_lookup(regions, j["home_region"], f"{place}.home_region", "kecamatan")
                if j["home_region"] is not None else None)
        judge = Judge(name=j["name"], event=event, home_region=home)
        for k, a in enumerate(j["assignments"]):
            contest = _lookup(contests, a["contest"], f"{place}.assignments[{k}].contest", "lomba")
            judge.assignments.append(Assignment(contest=contest, role=a["role"]))
        judges[j["name"]] = judge
        db.session.add(judge)
    db.session.flush()
    if data["hall_contest"] is not None:
        event.hall_contest_id = _lookup(contests, data["hall_contest"], "dokumen.event.hall_contest",
                                        "lomba").id
    for i, c in enumerate(document["contests"]):
        _build_records(contests[c["name"]], c, teams, judges, f"dokumen.contests[{i}]")
    for i, a in enumerate(document["audit"]):
        place = f"dokumen.audit[{i}]"
        contest = _lookup(contests, a["contest"], f"{place}.contest", "lomba") if a["contest"] else None
        team = _lookup(teams, a["team"], f"{place}.team", "tim") if a["team"] else None
        judge = _lookup(judges, a["judge"], f"{place}.judge", "juri") if a["judge"] else None
        db.session.add(AuditEntry(
            at=_parse_when(a["at"]), actor=a["actor"], remote_addr=a["remote_addr"], action=a["action"],
            entity=a["entity"], entity_id=a["entity_id"], event_id=event.id,
            contest_id=contest.id if contest else None, team_id=team.id if team else None,
            judge_id=judge.id if judge else None, old_value=a["old"], new_value=a["new"]))
    _build_piagam(event, document, contests, teams)
    return event


def _build_piagam(event: Event, document: dict, contests: dict, teams: dict) -> None:
    """The piagam settings and printed codes (absent from archives made before piagam existed)."""
    settings = document.get("piagam")
    if settings is not None:
        # the logo is re-encoded only when an archive carries one
        from .piagam import reencode_logo
        logo = None
        if settings["logo_png"] is not None:
            try:  # drawn again like an upload: an archive is no way to smuggle in another file
                logo = reencode_logo(base64.b64decode(settings["logo_png"], validate=True))
            except (ValueError, ServiceError) as exc:
                raise ArchiveError("dokumen.piagam.logo_png",
                                   getattr(exc, "message", "bukan gambar PNG yang sah")) from None
        db.session.add(PiagamSettings(event=event, city=settings["city"], border=settings["border"],
                                      officials=settings["officials"], logo_png=logo))
    codes = set()
    for i, c in enumerate(document.get("certificates", [])):
        place = f"dokumen.certificates[{i}]"
        if c["code"] in codes or db.session.scalar(db.select(Certificate).filter_by(code=c["code"])):
            raise ArchiveError(f"{place}.code", f"kode piagam {c['code']!r} sudah dipakai")
        codes.add(c["code"])
        db.session.add(Certificate(
            code=c["code"], contest=_lookup(contests, c["contest"], f"{place}.contest", "lomba"),
            team=_lookup(teams, c["team"], f"{place}.team", "tim"), kind=c["kind"], award=c["award"],
            rank=c["rank"], issued_at=_parse_when(c["issued_at"])))


def _build_contest(event: Event, c: dict, teams: dict, place: str) -> Contest:
    contest = Contest(name=c["name"], event=event, kind=c["kind"], method=c["method"], status=c["status"],
                      position=c["position"], award_labels=c["award_labels"],
                      display_state=c["display_state"], version=c["version"],
                      frozen_board=c["frozen_board"], reveal_step=c["reveal_step"],
                      draw_seed=c["draw_seed"], publish_note=c["publish_note"])
    db.session.add(contest)
    _unique([x["name"] for x in c["criteria"]], f"{place}.criteria", "kriteria")
    for x in c["criteria"]:
        contest.criteria.append(Criterion(
            name=x["name"], description=x["description"], weight=Decimal(x["weight"]),
            min_score=Decimal(x["min"]), max_score=Decimal(x["max"]), step=Decimal(x["step"]),
            position=x["position"]))
    _unique([e["team"] for e in c["entries"]], f"{place}.entries", "tim")
    for k, e in enumerate(c["entries"]):
        team = _lookup(teams, e["team"], f"{place}.entries[{k}].team", "tim")
        entry = ContestTeam(team=team, order_no=e["order_no"], performed=e["performed"])
        build_timer(entry, e.get("timer"))
        contest.entries.append(entry)
    _unique([r["name"] for r in c["rounds"]], f"{place}.rounds", "babak")
    for r in c["rounds"]:
        contest.rounds.append(QuizRound(name=r["name"], position=r["position"], buttons=r["buttons"]))
    build_time_limit(contest, c.get("time_limit"))
    if c["now_performing"] is not None:
        if c["now_performing"] not in {e["team"] for e in c["entries"]}:
            raise ArchiveError(f"{place}.now_performing", f"tim {c['now_performing']!r} tidak ikut lomba ini")
        contest.now_performing = teams[c["now_performing"]]
    return contest


def _build_records(contest: Contest, c: dict, teams: dict, judges: dict, place: str) -> None:
    criteria = {x.name: x for x in contest.criteria}
    rounds = {r.name: r for r in contest.rounds}
    entered = {e["team"] for e in c["entries"]}
    contest.tie_break = [_lookup(criteria, name, f"{place}.tie_break[{k}]", "kriteria").id
                         for k, name in enumerate(c["tie_break"])]

    def team_in_contest(name: str, where: str) -> Team:
        team = _lookup(teams, name, where, "tim")
        if name not in entered:
            raise ArchiveError(where, f"tim {name!r} tidak ikut lomba ini")
        return team

    seen = set()
    for k, s in enumerate(c["sheets"]):
        where = f"{place}.sheets[{k}]"
        judge = _lookup(judges, s["judge"], f"{where}.judge", "juri")
        team = team_in_contest(s["team"], f"{where}.team")
        if (s["judge"], s["team"]) in seen:
            raise ArchiveError(where, "lembar nilai juri dan tim ini muncul dua kali")
        seen.add((s["judge"], s["team"]))
        sheet = Sheet(contest=contest, judge=judge, team=team, state=s["state"], version=s["version"],
                      updated_at=_parse_when(s["updated_at"]), submitted_at=_parse_when(s["submitted_at"]))
        for criterion_name, value in s["scores"].items():
            criterion = _lookup(criteria, criterion_name, f"{where}.scores.{criterion_name}", "kriteria")
            number = Decimal(value)
            if not criterion.min_score <= number <= criterion.max_score:
                raise ArchiveError(f"{where}.scores.{criterion_name}",
                                   f"nilai {value} di luar rentang {criterion.min_score}–{criterion.max_score}")
            sheet.scores.append(Score(judge_id=judge.id, team_id=team.id, criterion=criterion, value=number))
        for r in s["reopen_requests"]:
            db.session.add(ReopenRequest(
                sheet=sheet, reason=r["reason"], status=r["status"],
                requested_at=_parse_when(r["requested_at"]), decided_by=r["decided_by"],
                decision_reason=r["decision_reason"], decided_at=_parse_when(r["decided_at"])))
        db.session.add(sheet)
    penalties = []
    for k, p in enumerate(c["penalties"]):
        team = team_in_contest(p["team"], f"{place}.penalties[{k}].team")
        penalties.append(Penalty(contest_id=contest.id, team=team, points=Decimal(p["points"]),
                                 reason=p["reason"], entered_by=p["entered_by"],
                                 created_at=_parse_when(p["created_at"])))
    db.session.add_all(penalties)
    db.session.add_all(build_proposals(contest, c.get("proposed_penalties", []), team_in_contest,
                                       penalties, place))
    for k, q in enumerate(c["quiz_entries"]):
        team = team_in_contest(q["team"], f"{place}.quiz_entries[{k}].team")
        quiz_round = (_lookup(rounds, q["round"], f"{place}.quiz_entries[{k}].round", "babak")
                      if q["round"] is not None else None)
        db.session.add(QuizEntry(contest_id=contest.id, team=team, round=quiz_round,
                                 question=q["question"], points=Decimal(q["points"]), note=q["note"],
                                 entered_by=q["entered_by"], created_at=_parse_when(q["created_at"]),
                                 undone=q["undone"]))
