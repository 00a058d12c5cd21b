"""The laporan kegiatan as an A4 PDF, with its charts drawn once per request.

The same EventReport (services/report.py) feeds the console page; the numbers in its tables are
the results files' numbers in Indonesian form (87,50).
"""
from __future__ import annotations

from ..engine import DEFAULT_AWARDS, format_score_id
from ..i18n import final_score, wita_datetime, wita_time
from ..services.report import ContestReport, DayNote, EventReport
from ..services.recap_pdf import long_date
from ..services.results import ContestResults, printed_score
from . import charts
from .pdf import FONT, fit_size, fitted_table, indonesian_date, new_pdf

WIDTH = 180  # A4 portrait less 15 mm margins
ROLE_NAMES = {"head": "Ketua Juri", "judge": "Anggota Juri", "scorekeeper": "Pencatat Skor",
              "timekeeper": "Pencatat Waktu", "mc": "MC"}
NOTE_NAMES = {"sheet.reopen": "Lembar nilai dibuka kembali",
              "sheet.reopen_refused": "Permintaan buka kembali ditolak",
              "quiz_correct": "Koreksi poin cerdas cermat", "unlock": "Kunci lomba dibuka",
              "unpublish": "Pengumuman dibatalkan",
              "publish": "Diumumkan dengan persetujuan panitia"}


def score_rows(contest: ContestReport):
    """(team, final score, award) in rank order, as the results files list them."""
    return [(row.team.name, row.score, row.award) for row in contest.results.rows if row.scored]


def judge_totals(results: ContestResults):
    """(judge, their totals for the teams they scored) for a rubric contest's panel."""
    return [(judge.name, [total for row in results.rows
                          if (total := results.judge_total(row, judge)) is not None])
            for judge in results.judges]


def medal_lines(report: EventReport):
    return [(line.region, dict(line.counts)) for line in report.overall]


def chart_names(report: EventReport) -> list[str]:
    """The charts this report has: per published contest its scores (and for a rubric contest
    its judges' totals), then the juara umum."""
    names = []
    for contest in report.published:
        names.append(f"nilai-{contest.contest.id}")
        if contest.contest.kind == "rubric":
            names.append(f"juri-{contest.contest.id}")
    return names + ["juara-umum"]


def render_chart(report: EventReport, name: str) -> bytes | None:
    """One chart's PNG by name, or None when the report has no such chart."""
    if name not in chart_names(report):
        return None
    if name == "juara-umum":
        return charts.medal_table(medal_lines(report), DEFAULT_AWARDS,
                                  "Juara umum: penghargaan per kecamatan")
    kind, contest_id = name.split("-", 1)
    contest = next(c for c in report.published if str(c.contest.id) == contest_id)
    if kind == "nilai":
        return charts.scores_bar(score_rows(contest), contest.contest.awards,
                                 f"{contest.contest.name}: nilai akhir",
                                 label=lambda score: final_score(score, contest.contest.kind, "id"))
    return judge_chart(contest.results)


def judge_chart(results: ContestResults) -> bytes:
    """The judges' totals of a rubric contest (the report's chart, also on the fairness page)."""
    return charts.judge_strip(judge_totals(results), f"{results.contest.name}: nilai setiap juri")


def _heading(pdf, text: str, size: float = 12) -> None:
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "", 9)


def _para(pdf, text: str, size: float = 9) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, size * 0.52, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(pdf, header: list[str], rows: list[list[str]], widths: list[float],
           align: tuple[str, ...] | None = None) -> None:
    """A bordered table whose long names wrap (and shrink) inside their cells."""
    fitted_table(pdf, header, rows, widths, size=8.5, line_height=4.6, align=align or "LEFT",
                 headings_style=_bold())
    pdf.ln(3)


def _bold():
    # loaded with the first report, not at app start
    from fpdf.fonts import FontFace
    return FontFace(emphasis="BOLD", fill_color=(230, 236, 244))


def _chart(pdf, png: bytes) -> None:
    # loaded with the first report, not at app start
    import io

    # loaded with the first report, not at app start
    from PIL import Image
    with Image.open(io.BytesIO(png)) as image:
        width_px, height_px = image.size
    width = WIDTH * 0.92
    height = width * height_px / width_px
    if pdf.will_page_break(height + 2):
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (WIDTH - width) / 2, w=width, h=height)
    pdf.ln(3)


class _Numbering:
    """Section numbers (1, 2, 2.1 …) as the report goes."""

    def __init__(self):
        self.top = 0

    def next(self) -> str:
        self.top += 1
        return str(self.top)


def build_report_pdf(report: EventReport) -> bytes:
    """The laporan kegiatan: cover facts, participants, results with charts, juara umum,
    penalties, how the day ran, closing and signature."""
    images = {name: render_chart(report, name) for name in chart_names(report)}
    event = report.event
    pdf = new_pdf("P")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(f"Laporan kegiatan {event.name}")
    pdf.alias_nb_pages()
    footer = f"Laporan kegiatan · {event.name}"[:120]

    def page_footer():
        pdf.set_y(-12)
        pdf.set_text_color(110, 110, 110)
        fit_size(pdf, footer, WIDTH - 30, 4, 7.5, 4, leading=0.5)
        pdf.cell(WIDTH - 30, 4, footer)
        pdf.set_font(FONT, "", 7.5)
        pdf.cell(30, 4, f"Halaman {pdf.page_no()}/{{nb}}", align="R")
        pdf.set_text_color(0, 0, 0)

    pdf.footer = page_footer
    pdf.add_page()
    number = _Numbering()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, "LAPORAN KEGIATAN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, event.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _table(pdf, ["Keterangan", "Isi"], [
        ["Kegiatan", event.name],
        ["Tempat", event.venue or "-"],
        ["Hari, tanggal", long_date(event)],
        ["Peserta", f"{report.team_count} tim dari {len(report.regions)} kecamatan"],
        ["Lomba", ", ".join(c.contest.name for c in report.contests) or "-"],
        ["Hasil diumumkan", f"{len(report.published)} dari {len(report.contests)} lomba"],
    ], [40, 140])

    _heading(pdf, f"{number.next()}. Peserta per kecamatan")
    _table(pdf, ["Kecamatan", "Jumlah tim", "Keikutsertaan lomba", "Tim"],
           [[line.region, str(len(line.teams)), str(line.entries), ", ".join(line.teams) or "-"]
            for line in report.regions]
           + [["Jumlah", str(report.team_count), str(sum(l.entries for l in report.regions)), ""]],
           [35, 22, 30, 93], align=("LEFT", "RIGHT", "RIGHT", "LEFT"))

    section = number.next()
    _heading(pdf, f"{section}. Hasil lomba")
    for index, contest in enumerate(report.contests, start=1):
        _contest_section(pdf, f"{section}.{index}", contest, images)

    _heading(pdf, f"{number.next()}. Juara umum")
    if not report.published:
        _para(pdf, "Belum ada lomba yang diumumkan.")
    else:
        points = event.overall_mode == "points"
        _para(pdf, "Dihitung dari lomba yang sudah diumumkan, "
              + ("menurut poin per penghargaan." if points else
                 "menurut perolehan Juara I, lalu Juara II, Juara III, Harapan I, II dan III."))
        header = ["Per.", "Kecamatan", *[a.replace("Harapan", "Hrp.") for a in DEFAULT_AWARDS]]
        widths = [12, 46] + [17] * 6
        if points:
            header.append("Poin")
            widths = [12, 40] + [16] * 6 + [20]
        _table(pdf, header, [[str(line.rank), line.region,
                              *(str(line.counts.get(a, 0)) for a in DEFAULT_AWARDS)]
                             + ([format_score_id(line.points)] if points else [])
                             for line in report.overall],
               widths, align=("RIGHT", "LEFT", *["RIGHT"] * (len(header) - 2)))
        _chart(pdf, images["juara-umum"])

    _heading(pdf, f"{number.next()}. Penalti")
    if report.penalties:
        names = {c.contest.id: c.contest.name for c in report.contests}
        _table(pdf, ["Lomba", "Tim", "Poin", "Alasan", "Dicatat oleh"],
               [[names.get(p.contest_id, ""), p.team.name, format_score_id(p.points), p.reason,
                 p.entered_by] for p in report.penalties], [34, 40, 16, 56, 34],
               align=("LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"))
    else:
        _para(pdf, "Tidak ada penalti.")

    _heading(pdf, f"{number.next()}. Jalannya kegiatan")
    _para(pdf, "Menurut jejak audit aplikasi (waktu WITA).")
    _table(pdf, ["Lomba", "Status", "Nilai pertama", "Nilai terakhir", "Lembar/poin"],
           [[c.contest.name, c.status, wita_time(c.first_submission) or "-",
             wita_time(c.last_submission) or "-", str(c.submissions)] for c in report.contests],
           [62, 26, 32, 32, 28], align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"))
    if report.notes:
        _table(pdf, ["Waktu", "Lomba", "Kejadian", "Oleh", "Keterangan"],
               [[wita_datetime(n.at), n.contest, NOTE_NAMES[n.kind], n.actor, note_detail(n)]
                for n in report.notes],
               [27, 30, 35, 30, 58])
    else:
        _para(pdf, "Tidak ada lembar nilai yang dibuka kembali, koreksi, atau keputusan khusus panitia.")

    _closing(pdf, report)
    return bytes(pdf.output())


def note_detail(note: DayNote) -> str:
    """Who or what a day note is about, and the reason given."""
    parts = []
    if note.kind == "publish" and note.reason:
        parts.append("sebelum semua tim lengkap dinilai")
    if note.subject:
        parts.append(("penghargaan bersama: " if note.kind == "publish" else "") + note.subject)
    if note.reason:
        parts.append(f"alasan: {note.reason}")
    return "; ".join(parts) or "-"


def _contest_section(pdf, number: str, contest: ContestReport, images: dict) -> None:
    _heading(pdf, f"{number} {contest.contest.name}", 11)
    panel = "; ".join(f"{ROLE_NAMES[role]}: {name}" for role, name in contest.panel) or "-"
    _para(pdf, f"Metode penilaian: {contest.method}. Status: {contest.status}.\n"
               f"Dewan juri dan petugas: {panel.rstrip('.')}.")
    if not contest.published:
        _para(pdf, "Hasil lomba ini belum diumumkan, sehingga tidak dicantumkan.")
        return
    results = contest.results
    _table(pdf, ["Per.", "Penghargaan", "Tim", "Kecamatan", "Nilai", "Penalti"],
           [[str(row.rank or "-"), row.award or "-", row.team.name, row.region,
             printed_score(row, contest.contest.kind),
             format_score_id(row.result.penalty) if row.result.penalty else "-"]
            for row in results.rows],
           [12, 26, 66, 36, 20, 20], align=("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"))
    _chart(pdf, images[f"nilai-{contest.contest.id}"])
    if contest.contest.kind == "rubric":
        _chart(pdf, images[f"juri-{contest.contest.id}"])


def _closing(pdf, report: EventReport) -> None:
    if pdf.will_page_break(60):
        pdf.add_page()
    pdf.ln(4)
    _para(pdf, "Demikian laporan kegiatan ini dibuat untuk dipergunakan sebagaimana mestinya. "
               "Angka hasil lomba dalam laporan ini sama dengan berkas hasil resmi (CSV, XLSX, "
               "JSON dan rekapitulasi nilai) yang diterbitkan aplikasi.", 9.5)
    pdf.ln(4)
    x = pdf.l_margin + WIDTH - 75
    pdf.set_x(x)
    signer = report.signer or {"title": "Ketua Panitia", "name": "", "nip": ""}
    pdf.multi_cell(75, 5, f"{report.place}, {indonesian_date(report.event.held_on)}\n{signer['title']}",
                   align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(18)
    pdf.set_font(FONT, "B", 9.5)
    pdf.multi_cell(75, 5, signer["name"] or "." * 40, align="C", new_x="LEFT", new_y="NEXT")
    if signer.get("nip"):
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(75, 5, f"NIP. {signer['nip']}", align="C", new_x="LEFT", new_y="NEXT")
