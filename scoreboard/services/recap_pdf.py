"""The printed documents: the rekapitulasi nilai with its berita acara, and the winners list.

Every page of a recap carries the fingerprint of its numbers and a QR code to /verify.
"""
from __future__ import annotations

from pathlib import Path

from babel.dates import format_date
from flask_babel import force_locale
from ..documents.pdf import DocumentPDF, fit_size, fitted_table, line_count, qr_png
from ..engine import clock_text, format_score_id
from ..i18n import duration
from ..labels import METHOD_LABELS, STATUS_LABELS
from ..models import Contest, Event
from .results import (ContestResults, fingerprint, official_rows, overall_table, printed_score,
                      printed_status, results_for, tie_notes, verify_url)
from .stage_view import durations_for

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


def long_date(event: Event) -> str:
    """Rabu, 26 Februari 2025"""
    return format_date(event.held_on, format="full", locale="id")


class RecapPDF(DocumentPDF):
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
        url = verify_url(self.fingerprint)
        self.image(qr_png(url), x=self.w - self.r_margin - 20, y=self.h - 28, w=20, h=20)
        self.set_xy(self.l_margin, self.h - 27)
        self.set_font("DejaVu", "", 7)
        self.multi_cell(self.w - self.l_margin - self.r_margin - 24, 3.5,
                        f"Sidik jari (SHA-256): {self.fingerprint}\n"
                        f"Periksa keaslian angka: {url}\n"
                        f"Halaman {self.page_no()}/{{nb}}", align="L", new_x="LMARGIN",
                        new_y="NEXT")


def _new_pdf():
    pdf = RecapPDF(orientation="P", unit="mm", format="A4")
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


def _table(pdf, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A bordered table; names are drawn as plain text (fpdf2 interprets no markup here) and
    wrap or shrink inside their cells."""
    fitted_table(pdf, header, rows, widths, size=8.5, line_height=5)
    pdf.ln(3)


def _plain(value) -> str:
    """A rule's number as the recap writes it: 1, 2,5."""
    return format(value.normalize(), "f").replace(".", ",")


def time_range_text(rule) -> str:
    """3:00–5:00, paling lama 5:00 or paling singkat 3:00."""
    low = clock_text(rule.min_seconds) if rule.min_seconds is not None else None
    high = clock_text(rule.max_seconds) if rule.max_seconds is not None else None
    if low and high:
        return f"{low}–{high}"
    return f"paling lama {high}" if high else f"paling singkat {low}"


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
    durations = durations_for(contest)
    timed = bool(durations) or contest.time_limit is not None
    rows = [[str(r.rank or "-"), r.award or "-", r.team.name, r.region,
             printed_score(r, contest.kind),
             format_score_id(r.result.penalty) if r.result.penalty else "-"]
            + ([duration(durations.get(r.team.id)) or "-"] if timed else [])
            + [printed_status(r)] for r in results.rows]
    if timed:  # the measured stage time beside the penalties (docs/stage-timer.md)
        _table(pdf, ["Per.", "Penghargaan", "Tim", "Kecamatan", "Nilai", "Penalti", "Durasi",
                     "Status"], rows, [12, 26, 44, 30, 20, 16, 16, 18])
    else:
        _table(pdf, ["Per.", "Penghargaan", "Tim", "Kecamatan", "Nilai", "Penalti", "Status"],
               rows, [12, 28, 50, 34, 20, 18, 20])
    if contest.time_limit is not None:
        limit = contest.time_limit.rule
        pdf.multi_cell(0, 5, "Batas waktu tampil: " + time_range_text(limit)
                       + f"; {_plain(limit.points_per_step)} poin per {limit.step_seconds} detik "
                       + "di luar batas" + (f", paling banyak {_plain(limit.cap)} poin"
                                            if limit.cap is not None else "") + ".",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
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
            name = name or "(.................................)"
            size = fit_size(pdf, name, width - 4, 10, 9, 4.5)
            pdf.multi_cell(width - 4, size * 0.45, name, border="T", align="C")
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
    """One page for the MC: Juara I–III and Harapan I–III of each published contest, then the
    juara umum.

    The MC reads this list aloud, so it holds published results only: a contest not yet
    published is named at the end as not announced, without any of its provisional winners.
    """
    sections = []
    pending = [contest.name for contest in event.contests if contest.status != "published"]
    for contest in event.contests:
        if contest.status != "published":
            continue
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
    # A long name wraps inside its column, so the height is counted in lines.
    pdf.set_font("DejaVu", "B", 10)
    needed = sum(line_count(pdf, _section_title(contest), pdf.epw, 6) * 6 + 1.5
                for contest, _rows in sections) + 6
    pdf.set_font("DejaVu", "", 9)
    needed += sum(max(sum(line_count(pdf, _winner(row), 115, 4.6) for row in rows), 1) * 4.6
                 for _contest, rows in sections)
    needed += sum(line_count(pdf, standing.region, 50, 4.6) for standing in overall) * 4.6
    needed += 6 + 4.6 * len(pending) if pending else 0
    scale = min(1.0, (pdf.h - pdf.get_y() - 12) / needed)
    line, size = 4.6 * scale, 9 * scale

    def heading(text: str) -> None:
        pdf.set_font("DejaVu", "B", 10 * scale)
        pdf.multi_cell(0, 6 * scale, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", size)

    def row_of(*cells) -> None:
        """Cells side by side on one row; (width, text, align); the row is as tall as its
        tallest wrapped cell."""
        top, bottom, x = pdf.get_y(), pdf.get_y(), pdf.l_margin
        for width, text, align in cells:
            pdf.set_xy(x, top)
            pdf.multi_cell(width or pdf.w - pdf.r_margin - x, line, text, align=align,
                           new_x="LEFT", new_y="NEXT")
            bottom = max(bottom, pdf.get_y())
            x += width
        pdf.set_xy(pdf.l_margin, bottom)

    if not sections:
        pdf.cell(0, line, "Belum ada lomba yang diumumkan.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5 * scale)
    for contest, rows in sections:
        heading(_section_title(contest))
        for row in rows:
            row_of((32, row.award, "L"), (115, _winner(row), "L"),
                   (0, printed_score(row, contest.kind), "R"))
        if not rows:
            pdf.cell(0, line, "Belum ada hasil.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5 * scale)
    heading("Juara Umum" + (" (poin)" if event.overall_mode == "points" else ""))
    for standing in overall:
        medals = " · ".join(f"{award} {count}" for award, count in standing.counts.items() if count)
        if event.overall_mode == "points":
            medals = f"{format_score_id(standing.points)} poin" + (f" ({medals})" if medals else "")
        row_of((14, str(standing.rank), "L"), (50, standing.region, "L"), (0, medals or "-", "L"))
    if pending:
        pdf.ln(1.5 * scale)
        heading("Belum diumumkan (tidak dibacakan)")
        for name in pending:
            pdf.cell(0, line, name, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _section_title(contest: Contest) -> str:
    return contest.name + ("" if contest.status == "published" else " (belum diumumkan)")


def _winner(row) -> str:
    return f"{row.team.name} ({row.region})"
