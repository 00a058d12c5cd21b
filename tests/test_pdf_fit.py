"""Every PDF prints every name the forms accept: the longest unbroken names wrap or shrink inside
their cells and stay on the page (issue 13, item 4)."""
import io
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from scoreboard.services import cards, piagam, recap_pdf, running
from scoreboard.services.report import report_for
from scoreboard.documents.piagam import build_piagam_pdf
from scoreboard.documents.report import build_report_pdf
from tests.factories import gen_contest, gen_event, gen_judge, gen_sheet, gen_team
from tests.hostile import squeeze

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
# The longest names the forms accept: 200 characters (120 for a kecamatan), no space to break at.
JUDGES = [(f"Juri{n}" + "Namanyapanjangsekalitanpaspasi" * 7)[:200] for n in range(9)] + ["W" * 200]
TEAMS = [(f"Tim{n}" + "Penggerakkaderdesaharapanbaru" * 7)[:200] for n in range(3)]
REGION = ("Kecamatan" + "Paringinselatan" * 8)[:120]
CONTEST = ("Lomba" + "Yelyelkreasibudayadaerah" * 9)[:200]
REASON = ("Melebihi" + "batas" * 400)[:2000]  # a penalty reason may hold 2,000 characters


@pytest.fixture
def long_names(app):
    """A published contest whose team, region, contest, ten judges and penalty carry the
    longest names the forms accept."""
    event = gen_event(name=("Festival" + "Budayabanua" * 18)[:200], regions=(REGION, "Awayan"))
    event.venue = ("Gedung" + "Serbagunakabupaten" * 11)[:200]
    teams = [gen_team(event, name, REGION) for name in TEAMS]
    contest = gen_contest(event, name=CONTEST, teams=teams,
                          criteria=((("Kriteria" + "penilaianlengkap" * 13)[:200], "1", "1", "10",
                                     "0.5"),))
    judges = [gen_judge(event, name, [contest], role="head" if n == 0 else "judge")[0]
              for n, name in enumerate(JUDGES)]
    for t, team in enumerate(teams):
        for j, judge in enumerate(judges):
            gen_sheet(contest, judge, team, [1 + (t + j) % 10])
    running.add_penalty(contest, teams[1], "0.5", REASON, "panitia: uji")
    running.lock_contest(contest)
    running.publish_contest(contest, acknowledge_ties=True)
    piagam.save_settings(event, city=("Kota" + "Paringin" * 20)[:120], border="ganda",
                         officials=[(("Kepala" + "Dinaspendidikan" * 8)[:120],
                                     ("Drs" + "Namapejabatpanjang" * 7)[:120], "1" * 40)] * 3)
    return contest


class TextRuns:
    """Each text run of a PDF with where it starts and how wide it is (measured with the same
    fonts), to tell whether it stays on the page."""

    def __init__(self):
        self.measure = FPDF(unit="pt")
        self.measure.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.measure.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))

    def width(self, text: str, font: str, size: float) -> float:
        if "DejaVu" not in font:
            self.measure.set_font("Helvetica", "B" if "Bold" in font else "", size)
            text = text.encode("latin-1", "replace").decode("latin-1")
        else:
            self.measure.set_font("DejaVu", "B" if "Bold" in font else "", size)
        return self.measure.get_string_width(text)

    def off_page(self, body: bytes) -> list[str]:
        """Text runs that reach past the page's edge."""
        found = []
        for number, page in enumerate(PdfReader(io.BytesIO(body)).pages, 1):
            page_width = float(page.mediabox.width)
            page_height = float(page.mediabox.height)

            def visit(text, cm, tm, font, size, number=number):
                if not text.strip() or font is None:
                    return
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                right = x + self.width(text, str(font.get("/BaseFont", "")), size * tm[0] * cm[0])
                if x < 0 or right > page_width + 0.5 or not 0 <= y <= page_height:
                    found.append(f"page {number}: {text[:40]!r} from x={x:.0f} to {right:.0f}, y={y:.0f} pt")

            page.extract_text(visitor_text=visit)
        return found


def printed(body: bytes) -> str:
    return squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


def test_recap_pdf_prints_ten_judges_with_the_longest_names(long_names):
    body = recap_pdf.build_recap_pdf([long_names])
    text = printed(body)
    for name in [*JUDGES, *TEAMS, REGION, CONTEST, REASON]:
        assert squeeze(name) in text, name[:20]
    assert TextRuns().off_page(body) == []


def test_winners_pdf_keeps_the_longest_names_on_its_one_page(long_names):
    body = recap_pdf.build_winners_pdf(long_names.event)
    assert len(PdfReader(io.BytesIO(body)).pages) == 1
    text = printed(body)
    for name in [*TEAMS, REGION, CONTEST]:
        assert squeeze(name) in text, name[:20]
    assert TextRuns().off_page(body) == []


def test_report_pdf_prints_the_longest_names_inside_the_page(long_names):
    body = build_report_pdf(report_for(long_names.event))
    text = printed(body)
    for name in [*JUDGES, *TEAMS, CONTEST]:
        assert squeeze(name) in text, name[:20]
    assert TextRuns().off_page(body) == []


def test_piagam_prints_the_longest_names_inside_the_page(long_names):
    event = long_names.event
    body = build_piagam_pdf(event, piagam.settings_for(event), piagam.piagam_lines(long_names))
    text = printed(body)
    for name in [TEAMS[0], REGION, CONTEST, event.name]:
        assert squeeze(name) in text, name[:20]
    assert TextRuns().off_page(body) == []


def test_login_cards_print_the_longest_and_arabic_names(long_names):
    event = long_names.event
    arabic, _code = gen_judge(event, "القاضي أحمد", [long_names])
    body = cards.login_cards_pdf([(judge, "ABCD-EFGH") for judge in [*event.judges]], event.name)
    text = printed(body)
    for name in JUDGES:
        assert squeeze(name) in text, name[:20]
    assert "?????" not in text  # Arabic letters are drawn, not replaced
    assert TextRuns().off_page(body) == []
