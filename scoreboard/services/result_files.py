"""The results files: CSV, JSON and XLSX, and the one function that builds any format.

Every file carries the numbers of services/results.py; text a spreadsheet would run as a
formula is made inert (rules §7).
"""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from ..engine import DEFAULT_AWARDS, format_score, round_half_up
from ..i18n import wita_datetime
from ..models import Contest
from . import audit
from .recap_pdf import build_recap_pdf
from .results import (FIXED_COLUMNS, XLSX_FIXED_COLUMNS, ContestResults,
                      fingerprint, overall_table, result_records, results_for, score_text)

FORMATS = ("csv", "xlsx", "pdf", "json")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A number as the results files write it ("-12.50"): a spreadsheet reads it as that number.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


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
    if value is None:  # the rank of a team not yet scored
        return ""
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
             "judge_totals": {j.name: score_text(results.judge_total(row, j)) for j in results.judges
                              if results.judge_total(row, j) is not None},
             "criterion_means": {c.name: score_text(results.criterion_mean(row, c))
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


def _num(value: Decimal | None, kind: str = "rubric"):
    """A number cell: two decimals, but whole quiz points as whole numbers (300, as on the board)."""
    if value is None:
        return None
    value = round_half_up(value)
    if kind == "quiz" and value == value.to_integral_value():
        return int(value)
    return value


def build_xlsx(contests: list[Contest], with_audit: bool = True) -> bytes:
    """A workbook: a summary sheet per contest, every judge's scores, juara umum and the audit trail."""

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
        # The office reads this sheet: Indonesian headers (the CSV keeps rules §4's column names).
        _write_row(sheet, list(XLSX_FIXED_COLUMNS) + results.columns()[len(FIXED_COLUMNS):] + ["penalti"])
        for row in results.rows:
            kind = results.contest.kind
            _write_row(sheet, [row.rank, row.award, row.team.name, row.region,
                               _num(row.score, kind) if row.scored else None, row.complete]
                       + [_num(results.judge_total(row, j)) for j in results.judges]
                       + [_num(results.criterion_mean(row, c)) for c in results.criteria]
                       + [_num(row.result.penalty, kind)])
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
            trail_sheet = workbook.create_sheet("Jejak audit")
            _write_row(trail_sheet, ["waktu (WITA)", "pelaku", "alamat", "aksi", "entitas", "id",
                                     "nilai lama", "nilai baru"])
            for entry in audit.trail(event):
                _write_row(trail_sheet, [
                    wita_datetime(entry.at), entry.actor, entry.remote_addr, entry.action,
                    entry.entity, entry.entity_id,
                    json.dumps(entry.old_value, ensure_ascii=False) if entry.old_value is not None else "",
                    json.dumps(entry.new_value, ensure_ascii=False) if entry.new_value is not None else ""])
            for cell in trail_sheet[1]:
                cell.font = bold
            _finish(trail_sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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


def slug(name: str) -> str:
    """lomba-yel-yel: a name made safe for a file name."""
    text = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    while "--" in text:
        text = text.replace("--", "-")
    return text


def download_name(contest: Contest, fmt: str) -> str:
    """hasil-lomba-yel-yel.csv"""
    return f"hasil-{slug(contest.name) or contest.id}.{fmt}"
