"""An fpdf2 document with the bundled DejaVu fonts embedded, shaping the text that needs it.

Shaping (HarfBuzz, through uharfbuzz) joins Arabic letters and lays right-to-left names out
correctly; DejaVu Sans covers Latin, Arabic and the symbols the documents use. It is switched on
only for a text in such a script: shaping every Latin line would make a batch of piagam slow.
"""
import io
import unicodedata
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT = "DejaVu"


def needs_shaping(text: str) -> bool:
    """True for text with right-to-left letters, combining marks or a complex script."""
    return any(ord(ch) >= 0x0300 and (unicodedata.bidirectional(ch) in ("R", "AL", "AN", "NSM")
                                      or 0x0900 <= ord(ch) < 0x2000)
               for ch in text)


class DocumentPDF(FPDF):
    """FPDF whose cells shape their text when its script needs it."""

    def _shape_for(self, text) -> None:
        self.set_text_shaping(use_shaping_engine=isinstance(text, str) and needs_shaping(text))

    def cell(self, w=None, h=None, text="", *args, **kwargs):
        self._shape_for(text)
        return super().cell(w, h, text, *args, **kwargs)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        self._shape_for(text)
        return super().multi_cell(w, h, text, *args, **kwargs)


def new_pdf(orientation: str = "P") -> DocumentPDF:
    """An empty A4 document with the fonts registered."""
    pdf = DocumentPDF(orientation=orientation, unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_creator("Papan Skor Langsung")
    return pdf


def qr_png(url: str, *, scale: int = 4, border: int = 1) -> io.BytesIO:
    """A QR code of the URL as a PNG, made locally (scale: pixels per module)."""
    # loaded with the first document, not at app start
    import segno

    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=scale, border=border)
    image.seek(0)
    return image


def indonesian_date(day) -> str:
    """26 Februari 2025"""
    # loaded with the first document, not at app start
    from babel.dates import format_date
    return format_date(day, format="long", locale="id")


def line_count(pdf, text: str, width: float, height: float) -> int:
    """How many lines `text` takes in a multi_cell of `width` at the current font (a word longer
    than the width is broken between its letters)."""
    if pdf.get_string_width(text) <= width - 2 * pdf.c_margin and "\n" not in text:
        return 1
    return len(pdf.multi_cell(width, height, text, dry_run=True, output="LINES"))


def fit_size(pdf, text: str, width: float, height: float, largest: float, smallest: float,
             style: str = "", leading: float = 0.45) -> float:
    """The largest font size, from `largest` down to `smallest` in half points, at which `text`
    wrapped to `width` fits `height` (lines of size × `leading` mm); `smallest` when none does.
    Leaves that font set."""
    size = largest
    while True:
        pdf.set_font(FONT, style, size)
        if size <= smallest or line_count(pdf, text, width, size * leading) * size * leading <= height:
            return size
        size = max(smallest, size - 0.5)


def clipped(pdf, text: str, width: float, line_height: float, max_lines: int) -> str:
    """`text` cut (with an ellipsis) to what fits `max_lines` lines of `width`: the last resort
    for a cell taller than a page even at the smallest type."""
    while len(text) > 1 and line_count(pdf, text, width, line_height) > max_lines:
        text = text[:int(len(text) * 0.9)].rstrip() + "…"
    return text


def _row_height(pdf, values, columns, style: str, size: float, leading: float) -> float:
    pdf.set_font(FONT, style, size)
    return max((line_count(pdf, value, width, leading) for value, width in zip(values, columns)),
               default=1) * leading


def fitted_table(pdf, header: list[str], rows: list[list[str]], widths: list[float], *,
                 size: float = 8.5, line_height: float = 5, smallest: float = 5.5,
                 align="LEFT", headings_style=None) -> None:
    """A bordered table in which every name prints: long words break inside their cells, and the
    type shrinks (down to `smallest`) until the header and the tallest row together take at most
    a third of a page, so no row is too high for a page (fpdf2 refuses such a row)."""
    table_width = min(sum(widths), pdf.epw)
    columns = [w * table_width / sum(widths) for w in widths]
    current = size
    while True:
        leading = line_height * current / size
        head = _row_height(pdf, header, columns, "B", current, leading)
        body = max((_row_height(pdf, row, columns, "", current, leading) for row in rows), default=0)
        if current <= smallest or head + body <= pdf.eph / 3:
            break
        current = max(smallest, current - 0.5)
    if head + body > pdf.eph * 0.9:
        room = int(pdf.eph * 0.45 / leading)
        pdf.set_font(FONT, "B", current)
        header = [clipped(pdf, value, w, leading, room) for value, w in zip(header, columns)]
        pdf.set_font(FONT, "", current)
        rows = [[clipped(pdf, value, w, leading, room) for value, w in zip(row, columns)]
                for row in rows]
    pdf.set_font(FONT, "", current)
    options = {"headings_style": headings_style} if headings_style else {}
    with pdf.table(col_widths=columns, width=table_width, text_align=align, line_height=leading,
                   first_row_as_headings=True, **options) as table:
        for values in [header, *rows]:
            line = table.row()
            for value in values:
                line.cell(value)
