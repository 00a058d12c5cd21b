"""Judge login cards: an A4 PDF, one card per judge, with a QR code of their login link.

Access codes are stored only as digests, so the plain code exists only at the moment it is
(re)generated: these functions regenerate the codes and produce the cards in one step.
"""
from ..documents.pdf import FONT, fit_size, new_pdf, qr_png
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


def seats_of(judge: Judge) -> str:
    """The contests a judge sits on, with the ketua juri role spelled out."""
    labels = {"head": " (ketua juri)", "scorekeeper": " (pencatat skor)", "judge": "",
              "timekeeper": " (pencatat waktu)", "mc": " (MC)"}
    return ", ".join(a.contest.name + labels[a.role]
                     for a in sorted(judge.assignments, key=lambda a: a.contest.position))


def login_cards_pdf(issued: list[tuple[Judge, str]], event_name: str) -> bytes:
    """The A4 PDF of login cards for freshly issued codes."""
    pdf = new_pdf("P")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"Kartu masuk juri - {event_name}")
    per_page = 8
    text_width = CARD_W - 48
    for index, (judge, code) in enumerate(issued):
        if index % per_page == 0:
            pdf.add_page()
        slot = index % per_page
        x = MARGIN_X + (slot % 2) * (CARD_W + GAP)
        y = MARGIN_Y + (slot // 2) * (CARD_H + GAP)
        link = login_link(code)
        pdf.set_draw_color(120, 120, 120)
        pdf.rect(x, y, CARD_W, CARD_H)
        pdf.image(qr_png(link, scale=8, border=2), x=x + CARD_W - 40, y=y + 4, w=36, h=36)
        # Beside the QR code: the event, the judge's name and their seats, each shrunk to its
        # share of the 36 mm so that the longest names stay on the card.
        pdf.set_xy(x + 4, y + 4)
        for text, height, largest, style in ((event_name, 8, 8, ""), (judge.name, 18, 13, "B"),
                                             (seats_of(judge) or "-", 10, 8, "")):
            size = fit_size(pdf, text, text_width, height, largest, 3.5, style, leading=0.45)
            pdf.set_x(x + 4)
            pdf.multi_cell(text_width, size * 0.45, text, new_x="LEFT", new_y="NEXT")
        pdf.set_xy(x + 4, y + 42)
        pdf.set_font(FONT, "", 8)
        pdf.cell(CARD_W - 8, 4, "Kode masuk:")
        pdf.set_xy(x + 4, y + 46)
        pdf.set_font("Courier", "B", 14)
        pdf.cell(CARD_W - 8, 6, code)
        pdf.set_xy(x + 4, y + 53)
        pdf.set_font(FONT, "", 6)
        pdf.cell(CARD_W - 8, 4, link)
    if not issued:
        pdf.add_page()
        pdf.set_font(FONT, "", 12)
        pdf.cell(0, 10, "Belum ada juri.")
    return bytes(pdf.output())


def issue_cards(judges: list[Judge], event_name: str) -> bytes:
    """Regenerate the judges' codes and return their cards (the only time the codes exist)."""
    return login_cards_pdf(regenerate_codes(judges), event_name)
