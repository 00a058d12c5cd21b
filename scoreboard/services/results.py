"""Official results: rows with per-judge detail, and the CSV, XLSX, JSON and PDF files built from them.

Every file carries the same numbers. The recap's fingerprint is the SHA-256 of those numbers in a
canonical JSON form that uses names, never database ids, so an event re-imported on another machine
(services/archive.py) gives the same fingerprint.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask_babel import force_locale

from ..engine import DEFAULT_AWARDS, format_score, format_score_id, round_half_up
from ..extensions import db
from ..labels import METHOD_LABELS, STATUS_LABELS
from ..urls import public_url
from ..models import AuditEntry, Contest, Event, Judge, Penalty, Sheet
from .standings import BoardRow, juara_umum_for, standings_for

FORMATS = ("csv", "xlsx", "pdf", "json")
FIXED_COLUMNS = ("rank", "award", "team", "region", "score", "complete")
XLSX_FIXED_COLUMNS = ("peringkat", "penghargaan", "tim", "kecamatan", "nilai", "lengkap")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A number as the results files write it ("-12.50"): a spreadsheet reads it as that number.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


@dataclass
class ContestResults:
    """A contest's standings with everything an official recap shows."""

    contest: Contest
    rows: list[BoardRow]
    judges: list[Judge]
    penalties: list[Penalty]
    sheets: list[Sheet] = field(default_factory=list)

    @property
    def criteria(self):
        return self.contest.criteria if self.contest.kind == "rubric" else []

    def columns(self) -> list[str]:
        """CSV columns (DESIGN §4): the public ones, then one per judge total and criterion mean."""
        return (list(FIXED_COLUMNS) + [f"juri: {judge.name}" for judge in self.judges]
                + [f"rata-rata: {criterion.name}" for criterion in self.criteria])

    def judge_total(self, row: BoardRow, judge: Judge) -> Decimal | None:
        return row.result.judge_totals.get(judge.id)

    def criterion_mean(self, row: BoardRow, criterion) -> Decimal | None:
        return row.result.criterion_means.get(criterion.id)


def official_rows(contest: Contest) -> list[BoardRow]:
    """The standings as the results files show them.

    Teams sharing a rank are listed by name, not by database id, so an imported event gives
    the same files.
    """
    return sorted(standings_for(contest), key=lambda row: (row.rank, row.team.name))


def results_for(contest: Contest) -> ContestResults:
    """Load a contest's official results: standings, panel, penalties and submitted sheets."""
    penalties = list(db.session.scalars(
        db.select(Penalty).filter_by(contest_id=contest.id).order_by(Penalty.created_at, Penalty.id)))
    sheets = sorted(db.session.scalars(
        db.select(Sheet).filter_by(contest_id=contest.id, state="submitted")),
        key=lambda sheet: (sheet.judge.name, sheet.team.name))
    judges = contest.panel if contest.kind == "rubric" else []
    return ContestResults(contest=contest, rows=official_rows(contest), judges=judges,
                          penalties=penalties, sheets=sheets)


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format_score(value)


def result_records(results: ContestResults) -> list[dict]:
    """One dict per row, keyed by the CSV columns, numbers in the API form ("87.50")."""
    records = []
    for row in results.rows:
        record = row.as_public()
        for judge in results.judges:
            record[f"juri: {judge.name}"] = _plain(results.judge_total(row, judge))
        for criterion in results.criteria:
            record[f"rata-rata: {criterion.name}"] = _plain(results.criterion_mean(row, criterion))
        records.append(record)
    return records


def neutralize(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (numbers stay numbers)."""
    if (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
            and not PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def build_csv(results: ContestResults) -> bytes:
    """The results as UTF-8 CSV with a header row, inert against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = results.columns()
    writer.writerow([neutralize(c) for c in columns])
    for record in result_records(results):
        writer.writerow([neutralize(_csv_cell(record[c])) for c in columns])
    # The BOM lets Excel on a Windows office laptop open the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build_json(results: ContestResults) -> dict:
    """The official live standings in the API's row shape, plus the per-judge detail."""
    contest = results.contest
    return {
        "contest": {"id": contest.id, "name": contest.name, "kind": contest.kind,
                    "method": contest.method, "status": contest.status},
        "event": contest.event.name,
        "version": contest.version,
        "status": contest.status,
        "rows": [row.as_public() for row in results.rows],
        "detail": [
            {"team": row.team.name, "panel": format_score(row.result.panel),
             "penalty": format_score(row.result.penalty),
             "rank_sum": None if row.result.rank_sum is None else format_score(row.result.rank_sum),
             "judges_done": row.result.judges_done, "judges_expected": row.result.judges_expected,
             "judge_totals": {j.name: _plain(results.judge_total(row, j)) for j in results.judges
                              if results.judge_total(row, j) is not None},
             "criterion_means": {c.name: _plain(results.criterion_mean(row, c))
                                 for c in results.criteria if results.criterion_mean(row, c) is not None}}
            for row in results.rows],
        "sheets": [
            {"judge": sheet.judge.name, "team": sheet.team.name, "version": sheet.version,
             "scores": {score.criterion.name: format_score(score.value)
                        for score in sorted(sheet.scores, key=lambda s: s.criterion.position)}}
            for sheet in results.sheets],
        "penalties": [{"team": p.team.name, "points": format_score(p.points), "reason": p.reason}
                      for p in results.penalties],
        "fingerprint": fingerprint(results),
    }


def canonical_numbers(results: ContestResults) -> dict:
    """The numbers a recap prints, by name, in one fixed shape."""
    contest = results.contest
    return {
        "event": contest.event.name,
        "contest": contest.name,
        "method": contest.method,
        "rows": [dict(result_records_row, penalty=format_score(row.result.penalty))
                 for row, result_records_row in zip(results.rows, result_records(results))],
        "penalties": sorted([p.team.name, format_score(p.points), p.reason] for p in results.penalties),
    }


def fingerprint(results: ContestResults) -> str:
    """SHA-256 over the canonical numbers: sorted keys, no spaces, UTF-8."""
    text = json.dumps(canonical_numbers(results), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


VERIFIABLE_STATUSES = ("open", "closed", "published")  # a draft has no recap to check


def find_fingerprint(digest: str) -> Contest | None:
    """The contest whose current numbers have this fingerprint, if any.

    Public and unauthenticated (rate-limited by the route): it computes standings only for
    contests that can have a recap and loads no sheets (the fingerprint covers the standings,
    the panel's columns and the penalties).
    """
    digest = digest.lower()
    contests = db.session.scalars(db.select(Contest).where(Contest.status.in_(VERIFIABLE_STATUSES))
                                  .order_by(Contest.id))
    for contest in contests:
        penalties = list(db.session.scalars(db.select(Penalty).filter_by(contest_id=contest.id)))
        numbers = ContestResults(contest=contest, rows=official_rows(contest),
                                 judges=contest.panel if contest.kind == "rubric" else [],
                                 penalties=penalties)
        if fingerprint(numbers) == digest:
            return contest
    return None


def verify_url(digest: str) -> str:
    """The public page a recap's QR code opens."""
    return public_url("export.verify", digest=digest)


def publish_decision(contest: Contest) -> AuditEntry | None:
    """The audit entry of the organizer's latest publish, while the contest stays published."""
    if contest.status != "published":
        return None
    return db.session.scalar(
        db.select(AuditEntry).filter_by(contest_id=contest.id, action="publish")
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1))


def tie_notes(results: ContestResults) -> list[str]:
    """Ties the recap must explain: broken by tie-break criteria, shared ranks, and the
    organizer's audited choices at publishing (shared awards, publishing before complete)."""
    from ..i18n import wita_datetime

    contest = results.contest
    rows = results.rows
    notes = []
    if contest.kind == "rubric" and contest.method != "rank_sum":
        names = ", ".join(c.name for c in contest.criteria if c.id in (contest.tie_break or []))
        for before, after in zip(rows, rows[1:]):
            if before.score == after.score and before.rank != after.rank:
                notes.append(f"{before.team.name} dan {after.team.name} sama-sama "
                             f"{format_score_id(before.score)}; diputus dengan kriteria "
                             f"{names or 'penentu'}: {before.team.name} di atas.")
    decision = publish_decision(contest)
    new = (decision.new_value or {}) if decision is not None else {}
    signed = f"{decision.actor}, {wita_datetime(decision.at)}" if decision is not None else ""
    shared: dict[int, list[BoardRow]] = {}
    for row in rows:
        if row.scored:
            shared.setdefault(row.rank, []).append(row)
    for rank, group in shared.items():
        if len(group) < 2:
            continue
        note = f"Peringkat {rank} dibagi bersama oleh {', '.join(row.team.name for row in group)}"
        if rank <= len(contest.awards):
            note += f" ({contest.awards[rank - 1]})"
            if new.get("shared_awards"):
                note += f"; diumumkan sebagai penghargaan bersama atas persetujuan {signed}"
            elif contest.status != "published":
                note += "; menunggu keputusan panitia saat pengumuman"
        notes.append(note + ".")
    if new.get("override_reason"):
        notes.append(f"Diumumkan sebelum semua tim lengkap dinilai ({signed}). "
                     f"Alasan: {new['override_reason']}")
    elif contest.publish_note:
        notes.append(f"Catatan panitia: {contest.publish_note}")
    return notes


def overall_table(event: Event):
    """Juara umum over the event's published contests (DESIGN §3)."""
    pairs = []
    for contest in event.contests:
        if contest.status == "published":
            pairs += [(row.region, row.award) for row in official_rows(contest) if row.award]
    return juara_umum_for(event, pairs)


def audit_trail(event: Event) -> list[AuditEntry]:
    """The event's audit entries, oldest first."""
    contest_ids = [c.id for c in event.contests]
    return list(db.session.scalars(
        db.select(AuditEntry)
        .where(db.or_(AuditEntry.event_id == event.id, AuditEntry.contest_id.in_(contest_ids)))
        .order_by(AuditEntry.at, AuditEntry.id)))


# XLSX ----------------------------------------------------------------------------------------

# Excel refuses longer sheet names, and these characters in them.
SHEET_TITLE_LENGTH = 31
SHEET_TITLE_FORBIDDEN = "[]:*?/\\"


def _sheet_title(name: str, number: int | None, used: set[str]) -> str:
    """A sheet name Excel accepts: "2. Lomba Pemahaman Program…", cut at a word, unique in the book."""
    prefix = f"{number}. " if number is not None else ""
    title = " ".join("".join(ch for ch in name if ch not in SHEET_TITLE_FORBIDDEN).split()).strip("'")
    room = SHEET_TITLE_LENGTH - len(prefix)
    if len(title) > room:
        cut = title[:room - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
        title = cut.rstrip(" -·,.") + "…"
    candidate, n = prefix + (title or "Lomba"), 2
    while candidate in used:
        suffix = f" ({n})"
        candidate, n = prefix + title[:room - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def _write_row(sheet, values) -> None:
    """Append a row: numbers with two decimals, text always as inert text."""
    # Strings go in afterwards: append() would turn "=…" into a live formula.
    sheet.append([None if isinstance(v, str) else v for v in values])
    for cell, value in zip(sheet[sheet.max_row], values):
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"
            if value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True
        elif isinstance(value, Decimal):
            cell.number_format = "0.00"


def _finish(sheet) -> None:
    """Frozen header row and column widths that fit the longest value."""
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)


def _num(value: Decimal | None):
    return None if value is None else round_half_up(value)


def build_xlsx(contests: list[Contest], with_audit: bool = True) -> bytes:
    """A workbook: a summary sheet per contest, every judge's scores, juara umum and the audit trail."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    detail = workbook.create_sheet("Nilai juri") if contests else None
    all_results = [results_for(contest) for contest in contests]
    # Several contests are numbered: names cut to Excel's length stay unique and in order.
    numbered = len(all_results) > 1
    for number, results in enumerate(all_results, start=1):
        sheet = workbook.create_sheet(
            _sheet_title(results.contest.name, number if numbered else None, used), len(used) - 1)
        # The office reads this sheet: Indonesian headers (the CSV keeps DESIGN §4's column names).
        _write_row(sheet, list(XLSX_FIXED_COLUMNS) + results.columns()[len(FIXED_COLUMNS):] + ["penalti"])
        for row in results.rows:
            _write_row(sheet, [row.rank, row.award, row.team.name, row.region, _num(row.score),
                               row.complete]
                       + [_num(results.judge_total(row, j)) for j in results.judges]
                       + [_num(results.criterion_mean(row, c)) for c in results.criteria]
                       + [_num(row.result.penalty)])
        for cell in sheet[1]:
            cell.font = bold
        _finish(sheet)
    if detail is not None:
        used.add(detail.title)
        _write_row(detail, ["lomba", "juri", "tim", "kriteria", "bobot", "nilai", "nilai x bobot",
                            "versi lembar"])
        for results in all_results:
            for sheet_row in results.sheets:
                for score in sorted(sheet_row.scores, key=lambda s: s.criterion.position):
                    _write_row(detail, [results.contest.name, sheet_row.judge.name, sheet_row.team.name,
                                        score.criterion.name, score.criterion.weight, score.value,
                                        score.criterion.weight * score.value, sheet_row.version])
        for cell in detail[1]:
            cell.font = bold
        _finish(detail)
    if contests:
        event = contests[0].event
        overall = workbook.create_sheet("Juara umum")
        _write_row(overall, ["peringkat", "kecamatan", *DEFAULT_AWARDS, "poin"])
        for line in overall_table(event):
            _write_row(overall, [line.rank, line.region, *(line.counts.get(a, 0) for a in DEFAULT_AWARDS),
                                 line.points])
        for cell in overall[1]:
            cell.font = bold
        _finish(overall)
        if with_audit:
            from ..i18n import wita_datetime
            audit = workbook.create_sheet("Jejak audit")
            _write_row(audit, ["waktu (WITA)", "pelaku", "alamat", "aksi", "entitas", "id",
                               "nilai lama", "nilai baru"])
            for entry in audit_trail(event):
                _write_row(audit, [wita_datetime(entry.at), entry.actor, entry.remote_addr,
                                   entry.action, entry.entity, entry.entity_id,
                                   json.dumps(entry.old_value, ensure_ascii=False) if entry.old_value is not None else "",
                                   json.dumps(entry.new_value, ensure_ascii=False) if entry.new_value is not None else ""])
            for cell in audit[1]:
                cell.font = bold
            _finish(audit)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# PDF -----------------------------------------------------------------------------------------

def long_date(event: Event) -> str:
    """Rabu, 26 Februari 2025"""
    from babel.dates import format_date
    return format_date(event.held_on, format="full", locale="id")


def _recap_pdf_class():
    from fpdf import FPDF

    class RecapPDF(FPDF):
        """A4 pages whose footer carries the fingerprint and its QR code."""

        fingerprint = ""

        def add_contest_page(self, fingerprint: str) -> None:
            """Start a contest's first page; its fingerprint applies from this page on."""
            # add_page() draws the previous page's footer, so the new fingerprint may only be
            # set afterwards, or the last page of the previous contest would carry it.
            self.add_page()
            self.fingerprint = fingerprint

        def footer(self):
            if not self.fingerprint:
                return
            import segno
            url = verify_url(self.fingerprint)
            image = io.BytesIO()
            segno.make(url, error="m").save(image, kind="png", scale=4, border=1)
            image.seek(0)
            self.image(image, x=self.w - self.r_margin - 20, y=self.h - 28, w=20, h=20)
            self.set_xy(self.l_margin, self.h - 27)
            self.set_font("DejaVu", "", 7)
            self.multi_cell(self.w - self.l_margin - self.r_margin - 24, 3.5,
                            f"Sidik jari (SHA-256): {self.fingerprint}\n"
                            f"Periksa keaslian angka: {url}\n"
                            f"Halaman {self.page_no()}/{{nb}}", align="L", new_x="LMARGIN",
                            new_y="NEXT")

    return RecapPDF


def _new_pdf():
    pdf = _recap_pdf_class()(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=32)
    pdf.set_margins(15, 15, 15)
    pdf.alias_nb_pages()
    return pdf


def _heading(pdf, text: str, size: int = 11) -> None:
    pdf.set_font("DejaVu", "B", size)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)


def _table(pdf, header: list[str], rows: list[list[str]], widths: list[float],
           align: str | None = None) -> None:
    """A bordered table; names are drawn as plain text (fpdf2 interprets no markup here)."""
    pdf.set_font("DejaVu", "", 8.5)
    with pdf.table(col_widths=widths, text_align=align or "LEFT", line_height=5,
                   first_row_as_headings=True) as table:
        for values in [header, *rows]:
            line = table.row()
            for value in values:
                line.cell(value)
    pdf.ln(3)


def _recap_pages(pdf, results: ContestResults) -> None:
    contest = results.contest
    event = contest.event
    pdf.add_contest_page(fingerprint(results))
    _heading(pdf, "REKAPITULASI NILAI", 14)
    _heading(pdf, contest.name, 12)
    with force_locale("id"):  # an official document stays Indonesian whoever downloads it
        method = str(METHOD_LABELS.get(contest.method, contest.method))
        status = str(STATUS_LABELS.get(contest.status, contest.status))
    pdf.multi_cell(0, 5, f"{event.name}\n{long_date(event)} · {event.venue}\n"
                   + (f"Metode penilaian: {method}"
                      if contest.kind == "rubric" else "Cerdas cermat: jumlah poin")
                   + f" · status: {status}"
                   + f" · versi {contest.version}",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _heading(pdf, "Peringkat")
    rows = [[str(r.rank), r.award or "-", r.team.name, r.region, format_score_id(r.score),
             format_score_id(r.result.penalty) if r.result.penalty else "-",
             "lengkap" if r.complete else "sementara"] for r in results.rows]
    _table(pdf, ["Per.", "Penghargaan", "Tim", "Kecamatan", "Nilai", "Penalti", "Status"], rows,
           [12, 28, 50, 34, 20, 18, 20])
    if results.judges:
        _heading(pdf, "Nilai total setiap juri")
        header = ["Tim"] + [j.name for j in results.judges]
        body = [[r.team.name] + [format_score_id(t) if (t := results.judge_total(r, j)) is not None
                                 else "-" for j in results.judges] for r in results.rows]
        first = 50
        _table(pdf, header, body, [first] + [(182 - first) / len(results.judges)] * len(results.judges))
    _heading(pdf, "Penalti")
    if results.penalties:
        _table(pdf, ["Tim", "Poin", "Alasan", "Dicatat oleh"],
               [[p.team.name, format_score_id(p.points), p.reason, p.entered_by]
                for p in results.penalties], [45, 18, 82, 37])
    else:
        pdf.multi_cell(0, 5, "Tidak ada penalti.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    _heading(pdf, "Keputusan nilai sama")
    notes = tie_notes(results) or ["Tidak ada nilai sama yang perlu diputus."]
    for note in notes:
        pdf.multi_cell(0, 5, "• " + note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _berita_acara(pdf, results)


def _berita_acara(pdf, results: ContestResults) -> None:
    contest = results.contest
    event = contest.event
    if pdf.will_page_break(90):
        pdf.add_page()
    _heading(pdf, "BERITA ACARA PENILAIAN", 12)
    pdf.set_font("DejaVu", "", 9.5)
    pdf.multi_cell(0, 5.2, (
        f"Pada hari ini, {long_date(event)}, bertempat di {event.venue}, dewan juri {contest.name} "
        f"pada {event.name} telah melaksanakan penilaian terhadap {len(results.rows)} tim peserta. "
        "Hasil penilaian adalah sebagaimana tercantum dalam rekapitulasi nilai di atas dan merupakan "
        "keputusan dewan juri yang tidak dapat diganggu gugat. Demikian berita acara ini dibuat dengan "
        "sebenar-benarnya untuk dipergunakan sebagaimana mestinya."),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    head = contest.head_judge
    if contest.kind == "rubric":
        blocks = [("Ketua Juri", head.name if head else "")]
        blocks += [("Anggota Juri", j.name) for j in results.judges if j is not head]
    else:
        blocks = [("Pencatat Skor", j.name) for j in contest.judges_with_role("scorekeeper")]
        blocks.append(("Ketua Juri", head.name if head else ""))
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 3
    for start in range(0, len(blocks), 3):
        if pdf.will_page_break(32):
            pdf.add_page()
        top = pdf.get_y()
        for column, (role, name) in enumerate(blocks[start:start + 3]):
            x = pdf.l_margin + column * width
            pdf.set_xy(x, top)
            pdf.set_font("DejaVu", "B", 9)
            pdf.cell(width - 4, 5, role, align="C")
            pdf.set_xy(x, top + 20)
            pdf.set_font("DejaVu", "", 9)
            pdf.cell(width - 4, 5, name or "(.................................)", border="T",
                     align="C")
        pdf.set_xy(pdf.l_margin, top + 30)


def build_recap_pdf(contests: list[Contest]) -> bytes:
    """The rekapitulasi nilai and berita acara of each contest, fingerprinted on every page."""
    pdf = _new_pdf()
    pdf.set_title("Rekapitulasi nilai")
    pdf.set_creator("Papan Skor Langsung")
    for contest in contests:
        _recap_pages(pdf, results_for(contest))
    return bytes(pdf.output())


def build_winners_pdf(event: Event) -> bytes:
    """One page for the MC: Juara I–III and Harapan I–III of each contest, then the juara umum."""
    sections = []
    for contest in event.contests:
        # The engine gives a team nobody has scored (or that has not played) no award.
        rows = [row for row in official_rows(contest) if row.award]
        sections.append((contest, rows))
    overall = overall_table(event)
    pdf = _new_pdf()
    pdf.set_auto_page_break(False)
    pdf.set_title("Daftar pemenang")
    pdf.add_page()
    _heading(pdf, "DAFTAR PEMENANG", 14)
    pdf.multi_cell(0, 5, f"{event.name} · {long_date(event)} · {event.venue}",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    # One page whatever the size of the event: shrink the lines when they would not fit.
    needed = sum(6 + 4.6 * max(len(rows), 1) + 1.5 for _contest, rows in sections) + 6 + 4.6 * len(overall)
    scale = min(1.0, (pdf.h - pdf.get_y() - 12) / needed)
    line, size = 4.6 * scale, 9 * scale

    def heading(text: str) -> None:
        pdf.set_font("DejaVu", "B", 10 * scale)
        pdf.cell(0, 6 * scale, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", size)

    for contest, rows in sections:
        heading(contest.name + ("" if contest.status == "published" else " (belum diumumkan)"))
        for row in rows:
            pdf.cell(32, line, row.award)
            pdf.cell(115, line, f"{row.team.name} ({row.region})")
            pdf.cell(0, line, format_score_id(row.score), align="R", new_x="LMARGIN", new_y="NEXT")
        if not rows:
            pdf.cell(0, line, "Belum ada hasil.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5 * scale)
    heading("Juara Umum" + (" (poin)" if event.overall_mode == "points" else ""))
    for standing in overall:
        medals = " · ".join(f"{award} {count}" for award, count in standing.counts.items() if count)
        if event.overall_mode == "points":
            medals = f"{format_score_id(standing.points)} poin" + (f" ({medals})" if medals else "")
        pdf.cell(14, line, str(standing.rank))
        pdf.cell(50, line, standing.region)
        pdf.cell(0, line, medals or "-", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def build_file(contest: Contest, fmt: str, with_audit: bool = True) -> tuple[bytes, str]:
    """The contest's results in one format, with its MIME type."""
    results = results_for(contest)
    if fmt == "csv":
        return build_csv(results), "text/csv; charset=utf-8"
    if fmt == "json":
        return (json.dumps(build_json(results), ensure_ascii=False, indent=2).encode("utf-8"),
                "application/json")
    if fmt == "xlsx":
        return (build_xlsx([contest], with_audit=with_audit),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "pdf":
        return build_recap_pdf([contest]), "application/pdf"
    raise ValueError(f"format tidak dikenal: {fmt}")


def download_name(contest: Contest, fmt: str) -> str:
    """hasil-lomba-yel-yel.csv"""
    slug = "".join(ch if ch.isalnum() else "-" for ch in contest.name.lower()).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return f"hasil-{slug or contest.id}.{fmt}"
