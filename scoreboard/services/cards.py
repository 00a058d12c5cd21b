"""Judge login cards: an A4 PDF, one card per judge, with a QR code of their login link.

Access codes are stored only as digests, so the plain code exists only at the moment it is
(re)generated: these functions regenerate the codes and produce the cards in one step.
"""
import io

import segno
from fpdf import FPDF

from ..extensions import db
from ..models import Judge
from . import audit
from .access import login_link, new_access_code, set_access_code

CARD_W, CARD_H = 90, 60        # mm: two columns, four rows on A4 portrait
MARGIN_X, MARGIN_Y, GAP = 12, 14, 6


def regenerate_codes(judges: list[Judge]) -> list[tuple[Judge, str]]:
    """Give each judge a new code (old codes stop working at once); returns the plain codes."""
    issued = []
    for judge in judges:
        code = new_access_code()
        set_access_code(judge, code)
        audit.record("regenerate_code", "judge", entity_id=judge.id, event_id=judge.event_id,
                     judge_id=judge.id, new={"name": judge.name})
        issued.append((judge, code))
    db.session.commit()
    return issued


def pdf_text(value: str) -> str:
    """The core PDF fonts speak Latin-1: anything else becomes '?', never markup or a crash."""
    return value.encode("latin-1", "replace").decode("latin-1")


def qr_png(link: str) -> io.BytesIO:
    """A QR code of the link as PNG bytes, made locally."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def seats_of(judge: Judge) -> str:
    """The contests a judge sits on, with the ketua juri role spelled out."""
    labels = {"head": " (ketua juri)", "scorekeeper": " (pencatat skor)", "judge": "",
              "timekeeper": " (pencatat waktu)", "mc": " (MC)"}
    return ", ".join(a.contest.name + labels[a.role]
                     for a in sorted(judge.assignments, key=lambda a: a.contest.position))


def login_cards_pdf(issued: list[tuple[Judge, str]], event_name: str) -> bytes:
    """The A4 PDF of login cards for freshly issued codes."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(pdf_text(f"Kartu masuk juri - {event_name}"))
    per_page = 8
    for index, (judge, code) in enumerate(issued):
        if index % per_page == 0:
            pdf.add_page()
        slot = index % per_page
        x = MARGIN_X + (slot % 2) * (CARD_W + GAP)
        y = MARGIN_Y + (slot // 2) * (CARD_H + GAP)
        link = login_link(code)
        pdf.set_draw_color(120, 120, 120)
        pdf.rect(x, y, CARD_W, CARD_H)
        pdf.image(qr_png(link), x=x + CARD_W - 40, y=y + 4, w=36, h=36)
        pdf.set_xy(x + 4, y + 4)
        pdf.set_font("Helvetica", "", 8)
        pdf.multi_cell(CARD_W - 48, 4, pdf_text(event_name))
        pdf.set_x(x + 4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(CARD_W - 48, 6, pdf_text(judge.name))
        pdf.set_x(x + 4)
        pdf.set_font("Helvetica", "", 8)
        pdf.multi_cell(CARD_W - 48, 4, pdf_text(seats_of(judge) or "-"))
        pdf.set_xy(x + 4, y + 42)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(CARD_W - 8, 4, "Kode masuk:")
        pdf.set_xy(x + 4, y + 46)
        pdf.set_font("Courier", "B", 14)
        pdf.cell(CARD_W - 8, 6, code)
        pdf.set_xy(x + 4, y + 53)
        pdf.set_font("Helvetica", "", 6)
        pdf.cell(CARD_W - 8, 4, pdf_text(link))
    if not issued:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 12)
        pdf.cell(0, 10, "Belum ada juri.")
    return bytes(pdf.output())


def issue_cards(judges: list[Judge], event_name: str) -> bytes:
    """Regenerate the judges' codes and return their cards (the only time the codes exist)."""
    return login_cards_pdf(regenerate_codes(judges), event_name)
