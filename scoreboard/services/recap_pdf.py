"""The printed documents: the rekapitulasi nilai with its berita acara, and the winners list.

Every page of a recap carries the fingerprint of its numbers and a QR code to /verify.
"""
from __future__ import annotations

import io
from pathlib import Path

import segno
from babel.dates import format_date
from flask_babel import force_locale
from fpdf import FPDF

from ..engine import format_score_id
from ..labels import METHOD_LABELS, STATUS_LABELS
from ..models import Contest, Event
from .results import (ContestResults, fingerprint, official_rows, overall_table, printed_score,
                      printed_status, results_for, tie_notes, verify_url)

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


def long_date(event: Event) -> str:
    """Rabu, 26 Februari 2025"""
    return format_date(event.held_on, format="full", locale="id")


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
    rows = [[str(r.rank or "-"), r.award or "-", r.team.name, r.region,
             printed_score(r, contest.kind),
             format_score_id(r.result.penalty) if r.result.penalty else "-",
             printed_status(r)] for r in results.rows]
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
    needed = (sum(6 + 4.6 * max(len(rows), 1) + 1.5 for _contest, rows in sections) + 6
              + 4.6 * len(overall) + (6 + 4.6 * len(pending) if pending else 0))
    scale = min(1.0, (pdf.h - pdf.get_y() - 12) / needed)
    line, size = 4.6 * scale, 9 * scale

    def heading(text: str) -> None:
        pdf.set_font("DejaVu", "B", 10 * scale)
        pdf.cell(0, 6 * scale, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", size)

    if not sections:
        pdf.cell(0, line, "Belum ada lomba yang diumumkan.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5 * scale)
    for contest, rows in sections:
        heading(contest.name)
        for row in rows:
            pdf.cell(32, line, row.award)
            pdf.cell(115, line, f"{row.team.name} ({row.region})")
            pdf.cell(0, line, printed_score(row, contest.kind), align="R", new_x="LMARGIN",
                     new_y="NEXT")
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
    if pending:
        pdf.ln(1.5 * scale)
        heading("Belum diumumkan (tidak dibacakan)")
        for name in pending:
            pdf.cell(0, line, name, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
