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


def qr_png(url: str) -> io.BytesIO:
    """A QR code of the URL as a PNG, made locally."""
    # loaded with the first document, not at app start
    import segno

    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=4, border=1)
    image.seek(0)
    return image


def indonesian_date(day) -> str:
    """26 Februari 2025"""
    # loaded with the first document, not at app start
    from babel.dates import format_date
    return format_date(day, format="long", locale="id")
