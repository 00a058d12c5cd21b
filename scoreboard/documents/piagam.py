"""Piagam penghargaan and piagam peserta: one A4 landscape page per team, printable at home.

Each page carries its verification code and a QR code to /piagam/<code>. Names of any length and
script wrap (and shrink a little) inside the page instead of running off it.
"""
from __future__ import annotations

import io

from ..document_models import PiagamSettings
from ..models import Event
from ..services.piagam import PiagamLine, display_code, place_name
from ..urls import public_url
from .pdf import FONT, fit_size, indonesian_date, new_pdf, qr_png

WIDTH, HEIGHT = 297, 210
MARGIN = 24  # text keeps clear of the border
GOLD, NAVY, INK = (150, 110, 30), (25, 50, 100), (30, 30, 30)


def verify_url(code: str) -> str:
    """The public page a piagam's QR code opens."""
    return public_url("export.piagam_verify", code=display_code(code))


def build_piagam_pdf(event: Event, settings: PiagamSettings, lines: list[PiagamLine]) -> bytes:
    """One page per piagam line, in the order given."""
    pdf = new_pdf("L")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title("Piagam penghargaan")
    for line in lines:
        pdf.add_page()
        _border(pdf, settings.border)
        _page(pdf, event, settings, line)
    return bytes(pdf.output())


def _border(pdf, style: str) -> None:
    if style == "ganda":
        pdf.set_draw_color(*GOLD)
        pdf.set_line_width(1.6)
        pdf.rect(8, 8, WIDTH - 16, HEIGHT - 16)
        pdf.set_line_width(0.4)
        pdf.rect(11.5, 11.5, WIDTH - 23, HEIGHT - 23)
        for x, y in ((11.5, 11.5), (WIDTH - 11.5, 11.5), (11.5, HEIGHT - 11.5),
                     (WIDTH - 11.5, HEIGHT - 11.5)):
            pdf.set_fill_color(*GOLD)
            pdf.polygon([(x - 3, y), (x, y - 3), (x + 3, y), (x, y + 3)], style="F")
    elif style == "garis":
        pdf.set_draw_color(*NAVY)
        pdf.set_line_width(0.8)
        pdf.rect(10, 10, WIDTH - 20, HEIGHT - 20)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.2)


def _centered(pdf, text: str, size: float, style: str = "", height: float | None = None,
              color=INK) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*color)
    pdf.set_x(MARGIN)
    pdf.multi_cell(WIDTH - 2 * MARGIN, height or size * 0.5, text, align="C",
                   new_x="LMARGIN", new_y="NEXT")


def _fitted(pdf, text: str, largest: float, height: float, style="B", color=INK) -> None:
    """Centered text at the largest size (from `largest`) at which it fits `height` mm."""
    size = fit_size(pdf, text, WIDTH - 2 * MARGIN, height, largest, 5, style)
    _centered(pdf, text, size, style, height=size * 0.45, color=color)


def _page(pdf, event: Event, settings: PiagamSettings, line: PiagamLine) -> None:
    row, contest = line.row, line.contest
    top = 24
    if settings.logo_png:
        pdf.image(io.BytesIO(settings.logo_png), x=(WIDTH - 50) / 2, y=16, w=50, h=22,
                  keep_aspect_ratio=True)
        top = 42
    pdf.set_y(top)
    _fitted(pdf, event.name.upper(), 12, 11, style="", color=NAVY)
    pdf.ln(4)
    pdf.set_char_spacing(1.5)
    _centered(pdf, "PIAGAM PENGHARGAAN" if line.kind == "award" else "PIAGAM PESERTA", 30, "B",
              height=14, color=GOLD if settings.border == "ganda" else NAVY)
    pdf.set_char_spacing(0)
    pdf.ln(3)
    _centered(pdf, "diberikan kepada", 12, height=7)
    pdf.ln(1)
    _fitted(pdf, row.team.name, 26, 23.4)
    _fitted(pdf, f"Kecamatan {row.region}", 13, 7, style="")
    pdf.ln(3)
    if line.kind == "award":
        _centered(pdf, "sebagai", 12, height=7)
        _fitted(pdf, row.award.upper(), 24, 10.8, color=NAVY)
        if line.shared_with:
            _fitted(pdf, f"peringkat ke-{row.rank}, bersama {', '.join(line.shared_with)}",
                    11, 10, style="")
        pdf.ln(1)
        _fitted(pdf, f"dalam {contest.name}", 13, 10)
    else:
        _fitted(pdf, f"atas keikutsertaannya dalam {contest.name}", 13, 10)
    _fitted(pdf, f"pada {event.name}, {event.venue}, {indonesian_date(event.held_on)}", 10, 8,
            style="")
    _signatures(pdf, event, settings)
    _verification(pdf, line)


def _signatures(pdf, event: Event, settings: PiagamSettings) -> None:
    officials = settings.officials or []
    count = max(len(officials), 1)
    left, right = 110, WIDTH - MARGIN
    width = (right - left) / count
    top = 150
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "", 10)
    place = f"{place_name(event, settings)}, {indonesian_date(event.held_on)}"
    pdf.set_xy(right - width, top)
    _boxed(pdf, place, width, 5, 10, "")
    for column, official in enumerate(officials):
        x = left + column * width
        pdf.set_xy(x, top + 5)
        _boxed(pdf, official["title"], width - 4, 10, 10, "B")
        pdf.set_xy(x, top + 27)
        _boxed(pdf, official["name"] or "." * 44, width - 4, 10, 10, "B")
        if official.get("nip"):
            pdf.set_x(x)
            _boxed(pdf, f"NIP. {official['nip']}", width - 4, 9, 9, "")


def _boxed(pdf, text: str, width: float, height: float, largest: float, style: str) -> None:
    """Centered text inside a box of `width` × `height` mm at the largest size that fits."""
    size = fit_size(pdf, text, width, height, largest, 4, style, leading=0.5)
    pdf.multi_cell(width, size * 0.5, text, align="C", new_x="LEFT", new_y="NEXT")


def _verification(pdf, line: PiagamLine) -> None:
    code = display_code(line.certificate.code)
    url = verify_url(line.certificate.code)
    pdf.image(qr_png(url), x=MARGIN, y=160, w=24, h=24)
    pdf.set_xy(MARGIN + 26, 166)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 9)
    pdf.cell(60, 4.5, f"Kode verifikasi: {code}", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 7)
    pdf.multi_cell(58, 3.5, f"Pindai kode QR atau buka\n{url}", align="L")
