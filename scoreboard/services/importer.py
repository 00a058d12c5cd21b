"""Import of teams and judges from CSV or XLSX, with a preview that lists every bad row.

parse_upload() reads a file into plain rows; validate_rows() checks every row against the
event and the rest of the file and returns a preview; apply_import() writes the rows only when
the whole file is valid, in one transaction. Nothing is stored between preview and import:
the preview carries the rows, and they are validated again before anything is written.
"""
import csv
import io
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from ..extensions import db
from ..inputs import has_control_characters
from ..models import Assignment, ContestTeam, Event, Judge, Team
from . import audit
from .errors import ServiceError, rolls_back
from .publish import commit, mark_changed

COLUMNS = {
    "teams": ["nama", "kecamatan", "desa", "anggota", "lomba"],
    "judges": ["nama", "kecamatan_asal", "lomba", "ketua_juri"],
}
REQUIRED = {"teams": ["nama", "kecamatan"], "judges": ["nama"]}
EXAMPLES = {
    "teams": [["Tim Awayan", "Awayan", "Desa Awayan", "Siti; Rahmah; Nur", "Lomba Yel-Yel"],
              ["Tim Halong", "Halong", "", "", "Lomba Yel-Yel; Lomba Tari Kreasi"]],
    "judges": [["Dra. Hj. Contoh", "Paringin", "Lomba Yel-Yel", "ya"],
               ["Budi Contoh", "", "Lomba Yel-Yel; Lomba Tari Kreasi", ""]],
}
LABELS = {"teams": "tim", "judges": "juri"}
MAX_ROWS = 2000
# Blank lines are skipped but still read: stop somewhere.
MAX_LINES = 10 * MAX_ROWS
# The template has five columns; a row of 16 384 cells is not a team.
MAX_COLUMNS = 50
# A few thousand rows of names unpack to well under a megabyte; a zip bomb unpacks to gigabytes.
MAX_XLSX_BYTES = 50 * 1024 * 1024
YES = {"ya", "y", "yes", "1", "true", "x"}
# The longest cell read (a team's members); a longer one is a bad row, not shown back whole.
MAX_CELL = 5000


@dataclass
class ImportPreview:
    """What an import would write, and every reason it cannot yet."""

    kind: str
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.errors


def split_list(value: str) -> list[str]:
    """'A; B' -> ['A', 'B'] (semicolons, since contest names may hold commas)."""
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def repeated_names(names: list[str]) -> list[str]:
    """Each name that appears more than once, ignoring case, as first written."""
    first: dict[str, str] = {}
    repeated: list[str] = []
    for name in names:
        key = name.casefold()
        if key in first and first[key] not in repeated:
            repeated.append(first[key])
        first.setdefault(key, name)
    return repeated


def cell_problems(kind: str, row: dict) -> list[str]:
    """Cells too long to read or holding control characters (a NUL is a 500 on PostgreSQL)."""
    problems = []
    for column in COLUMNS[kind]:
        cell = row.get(column, "")
        if len(cell) > MAX_CELL:
            problems.append(_("kolom %(column)s terlalu panjang (paling banyak %(limit)d karakter)",
                              column=column, limit=MAX_CELL))
        elif has_control_characters(cell):
            problems.append(_("kolom %(column)s berisi karakter kontrol", column=column))
    return problems


def cell_text(value) -> str:
    """A spreadsheet cell as trimmed text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _xlsx_rows(data: bytes):
    """The rows of the workbook's first sheet, refusing a zip that unpacks beyond MAX_XLSX_BYTES."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # zipfile never inflates an entry beyond its declared size, so this bounds openpyxl too.
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise ServiceError(422, _("Berkas XLSX tidak dapat dibaca.")) from None
    if unpacked > MAX_XLSX_BYTES:
        raise ServiceError(422, _("Berkas XLSX terlalu besar setelah dibuka (paling banyak %(size)d MB).",
                                size=MAX_XLSX_BYTES // (1024 * 1024)))
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        yield [cell_text(v) for v in row]


def _csv_rows(data: bytes):
    """The rows of a UTF-8 CSV, comma or semicolon separated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(422, _("Berkas CSV harus berenkode UTF-8.")) from None
    first = text.lstrip().partition("\n")[0]
    # Excel with Indonesian settings writes ';' between columns.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [cell.strip() for cell in row[:MAX_COLUMNS]]


def parse_upload(kind: str, filename: str, data: bytes) -> list[tuple[int, dict]]:
    """Read a CSV or XLSX upload into (line number, row) pairs keyed by the template's columns.

    Rows are read one by one: the header is checked first, and reading stops at MAX_ROWS + 1.
    """
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        table, unreadable = _xlsx_rows(data), _("Berkas XLSX tidak dapat dibaca.")
    elif name.endswith(".csv"):
        table, unreadable = _csv_rows(data), _("Berkas CSV tidak dapat dibaca.")
    else:
        raise ServiceError(422, _("Unggah berkas .csv atau .xlsx (gunakan templatnya)."))
    header, rows, seen = None, [], 0
    try:
        for values in table:
            seen += 1
            if seen > MAX_LINES:
                raise ServiceError(422, _("Paling banyak %(rows)d baris per berkas.", rows=MAX_ROWS))
            if not any(values):
                continue
            if header is None:
                header = [h.strip().lower().replace(" ", "_") for h in values]
                missing = [c for c in REQUIRED[kind] if c not in header]
                if missing:
                    raise ServiceError(422, _(
                        "Kolom wajib tidak ada: %(columns)s. Gunakan templat yang dapat "
                        "diunduh di halaman ini.", columns=", ".join(missing)))
                continue
            if len(rows) == MAX_ROWS:
                raise ServiceError(422, _("Paling banyak %(rows)d baris per berkas.", rows=MAX_ROWS))
            row = {column: "" for column in COLUMNS[kind]}
            for column, value in zip(header, values):
                if column in row:
                    row[column] = value
            rows.append((len(rows) + 2, row))
    except ServiceError:
        raise
    except Exception:  # noqa: BLE001 - any unreadable file gets the same clear message
        raise ServiceError(422, unreadable) from None
    if header is None:
        raise ServiceError(422, _("Berkas kosong."))
    if not rows:
        raise ServiceError(422, _("Berkas tidak berisi baris data."))
    return rows


def validate_rows(event: Event, kind: str, rows: list[tuple[int, dict]]) -> ImportPreview:
    """Check every row; the preview lists each bad row with its reason."""
    preview = ImportPreview(kind=kind)
    regions = {r.name.casefold(): r.name for r in event.regions}
    contests = {c.name.casefold(): c for c in event.contests}
    existing = {t.name.casefold() for t in (event.teams if kind == "teams" else event.judges)}
    heads = {c.id for c in event.contests if c.head_judge is not None}
    seen: dict[str, int] = {}
    for line, row in rows:
        reasons = cell_problems(kind, row)
        if reasons:
            preview.errors.append((line, "; ".join(reasons)))
            continue
        name = row.get("nama", "").strip()
        if not name:
            reasons.append(_("nama kosong"))
        elif len(name) > 200:
            reasons.append(_("nama terlalu panjang (paling banyak 200 karakter)"))
        elif name.casefold() in existing:
            reasons.append(_("tim %(name)s sudah ada", name=name) if kind == "teams"
                           else _("juri %(name)s sudah ada", name=name))
        elif name.casefold() in seen:
            reasons.append(_("nama %(name)s sudah ada di baris %(line)d", name=name,
                             line=seen[name.casefold()]))
        if name:
            seen.setdefault(name.casefold(), line)
        region_column = "kecamatan" if kind == "teams" else "kecamatan_asal"
        region = row.get(region_column, "").strip()
        if kind == "teams" and not region:
            reasons.append(_("kecamatan kosong"))
        elif region and region.casefold() not in regions:
            reasons.append(_("kecamatan %(region)s tidak dikenal", region=region))
        contest_names = split_list(row.get("lomba", ""))
        unknown = [c for c in contest_names if c.casefold() not in contests]
        if unknown:
            reasons.append(_("lomba tidak dikenal: %(contests)s", contests=", ".join(unknown)))
        # Entered twice in one contest would break its unique (contest, team) or (judge, contest).
        repeated = repeated_names(contest_names)
        if repeated:
            reasons.append(_("lomba disebut lebih dari sekali: %(contests)s",
                             contests=", ".join(repeated)))
        head = row.get("ketua_juri", "").strip().lower()
        if kind == "judges" and head and head not in YES | {"tidak", "t", "no", "0", "-"}:
            reasons.append(_("ketua_juri harus 'ya' atau kosong"))
        is_head = kind == "judges" and head in YES
        if is_head and not contest_names:
            reasons.append(_("ketua juri harus punya lomba"))
        if is_head and not unknown and not repeated:
            for contest_name in contest_names:
                contest = contests[contest_name.casefold()]
                if contest.id in heads:
                    reasons.append(_("%(contest)s sudah punya ketua juri", contest=contest.name))
                heads.add(contest.id)
        if reasons:
            preview.errors.append((line, "; ".join(reasons)))
            continue
        clean = {"nama": name, "kecamatan": regions.get(region.casefold(), "") if region else "",
                 "lomba": [contests[c.casefold()].name for c in contest_names]}
        if kind == "teams":
            clean["desa"] = row.get("desa", "").strip()[:200]
            clean["anggota"] = row.get("anggota", "").strip()[:5000]
        else:
            clean["ketua_juri"] = is_head
        preview.rows.append(clean)
    return preview


def preview_upload(event: Event, kind: str, filename: str, data: bytes) -> ImportPreview:
    """Read and validate an upload without writing anything."""
    return validate_rows(event, kind, parse_upload(kind, filename, data))


@rolls_back
def apply_import(event: Event, kind: str, rows: list[dict]) -> ImportPreview:
    """Validate the rows again and write them all in one transaction, or nothing."""
    try:
        return _write_rows(event, kind, rows)
    except (KeyError, TypeError, AttributeError):
        # The preview's rows come back from the browser; edited by hand they lack their fields.
        raise ServiceError(422, _("Data pratinjau rusak; unggah berkasnya lagi.")) from None


def _write_rows(event: Event, kind: str, rows: list[dict]) -> ImportPreview:
    """Validate the rows and, when every one is valid, write them all."""
    numbered = [(line, {**row, "lomba": "; ".join(row.get("lomba") or []),
                        "kecamatan_asal": row.get("kecamatan", ""),
                        "ketua_juri": "ya" if row.get("ketua_juri") else ""})
                for line, row in enumerate(rows, start=2)]
    preview = validate_rows(event, kind, numbered)
    if not preview.valid:
        return preview
    regions = {r.name: r for r in event.regions}
    contests = {c.name: c for c in event.contests}
    touched = set()
    for row in preview.rows:
        if kind == "teams":
            team = Team(event=event, name=row["nama"], region=regions[row["kecamatan"]],
                        village=row["desa"], members=row["anggota"])
            db.session.add(team)
            for contest_name in row["lomba"]:
                contest = contests[contest_name]
                number = max((e.order_no or 0 for e in contest.entries), default=0) + 1
                contest.entries.append(ContestTeam(team=team, order_no=number))
                touched.add(contest)
            db.session.flush()
            audit.record("import", "team", entity_id=team.id, event_id=event.id, team_id=team.id,
                         new={"name": team.name, "region": row["kecamatan"],
                              "village": team.village, "contests": row["lomba"]})
        else:
            judge = Judge(event=event, name=row["nama"],
                          home_region=regions.get(row["kecamatan"]) if row["kecamatan"] else None)
            db.session.add(judge)
            role = "head" if row["ketua_juri"] else "judge"
            for contest_name in row["lomba"]:
                judge.assignments.append(Assignment(contest=contests[contest_name], role=role))
                touched.add(contests[contest_name])
            db.session.flush()
            audit.record("import", "judge", entity_id=judge.id, event_id=event.id,
                         judge_id=judge.id,
                         new={"name": judge.name, "home_region": row["kecamatan"] or None,
                              "contests": row["lomba"], "head": row["ketua_juri"]})
    for contest in touched:
        mark_changed(contest)
    commit(*touched)
    return preview


def template_file(kind: str, fmt: str) -> bytes:
    """The downloadable template: header row and two example rows."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS[kind])
        writer.writerows(EXAMPLES[kind])
        return buffer.getvalue().encode("utf-8-sig")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = LABELS[kind]
    sheet.append(COLUMNS[kind])
    for row in EXAMPLES[kind]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
