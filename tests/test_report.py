"""The laporan kegiatan: its numbers are the results files' numbers, its charts are drawn, and the
organizer reaches it from the export page; the judges' chart is also on the fairness page."""
import csv
import io
import json

import pytest
from flask_babel import refresh
from openpyxl import load_workbook
from pypdf import PdfReader

from scoreboard.demo import play_demo_scores
from scoreboard.engine import DEFAULT_AWARDS
from scoreboard.extensions import db
from scoreboard.models import ReopenRequest, Sheet
from scoreboard.services import running, sheets
from tests.admin_helpers import as_judge, as_organizer
from tests.factories import gen_organizer

PNG = b"\x89PNG\r\n\x1a\n"


def indonesian(score: str) -> str:
    """"-12.50" as the documents print it: "-12,50"."""
    whole, _, cents = score.partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents if not whole.startswith("-") else (
        "-" + indonesian(score[1:]))


@pytest.fixture
def day(app, demo):
    """The 2025 demo event after the day: scores, a penalty, a reopened sheet, every contest published."""
    play_demo_scores(demo)
    yel = demo.contests[0]
    team = yel.teams[0]
    running.add_penalty(yel, team, "2", "Melebihi batas waktu", "panitia: uji")
    sheet = db.session.scalar(db.select(Sheet).filter_by(contest_id=yel.id, team_id=team.id,
                                                         state="submitted"))
    request = sheets.request_reopen(sheet.judge, sheet, "Salah ketik kriteria 2")
    sheets.decide_reopen(request, True, "Wajar, diperbaiki", "panitia: uji")
    db.session.refresh(sheet)
    values = {score.criterion_id: str(score.value) for score in sheet.scores}
    sheets.submit_sheet(sheet.judge, yel, team, values, "ulang-kirim-1")
    for contest in demo.contests:
        running.lock_contest(contest)
        running.publish_contest(contest, override_reason="Tim lain tidak hadir",
                                acknowledge_ties=True)
    return {"event": demo, "organizer": gen_organizer()}


def report_pdf(client, event) -> tuple[bytes, str]:
    response = client.get(f"/admin/laporan/{event.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    reader = PdfReader(io.BytesIO(response.data))
    return response.data, "\n".join(page.extract_text() for page in reader.pages)


def test_report_numbers_equal_the_results_files(client, day):
    event = day["event"]
    as_organizer(client, day["organizer"])
    _body, text = report_pdf(client, event)
    page = client.get(f"/admin/laporan/{event.id}").get_data(as_text=True)
    checked = 0
    for contest in event.contests:
        raw = client.get(f"/export/contest/{contest.id}.csv").data.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(raw)))
        detail = {d["team"]: d for d in json.loads(client.get(f"/export/contest/{contest.id}.json").data)["detail"]}
        assert rows
        for row in rows:
            penalty = detail[row["team"]]["penalty"]
            # A team not scored yet has no rank and no score; quiz points print as points.
            score = "-" if not row["rank"] else indonesian(row["score"])
            if contest.kind == "quiz":
                score = score.removesuffix(",00")
            line = " ".join([row["rank"] or "-", row["award"] or "-", row["team"], row["region"],
                             score, "-" if penalty == "0.00" else indonesian(penalty)])
            assert line in text, line
            assert f"<td>{row['team']}</td><td>{row['region']}</td>" in page
            assert f'<td class="num">{score}</td>' in page
            checked += 1
    assert checked == sum(len(c.teams) for c in event.contests)
    assert "Lomba Yel-Yel Tim Kecamatan Awayan 2,00 Melebihi batas waktu panitia: uji" in text
    workbook = load_workbook(io.BytesIO(client.get(f"/export/event/{event.id}/results.xlsx").data))
    for values in list(workbook["Juara umum"].iter_rows(values_only=True))[1:]:
        rank, region, *counts, _points = values
        assert f"{rank} {region} {' '.join(str(c) for c in counts)}" in text
    assert len(DEFAULT_AWARDS) == 6  # the workbook's six award columns, as the report's


def test_report_charts_fonts_and_size(client, day):
    event = day["event"]
    as_organizer(client, day["organizer"])
    body, _text = report_pdf(client, event)
    assert len(body) < 2 * 1024 * 1024
    reader = PdfReader(io.BytesIO(body))
    images = [image for page in reader.pages for image in page.images]
    rubric = sum(1 for c in event.contests if c.kind == "rubric")
    assert len(images) == len(event.contests) + rubric + 1  # scores, judges, juara umum
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded
            fonts.add(font.get_object()["/BaseFont"].split("+")[-1])
    assert fonts == {"DejaVuSansBook", "DejaVuSansBold"}
    for contest in event.contests:
        for name in (f"nilai-{contest.id}", f"juri-{contest.id}"):
            response = client.get(f"/admin/laporan/{event.id}/grafik/{name}.png")
            expected = 404 if name.startswith("juri") and contest.kind == "quiz" else 200
            assert response.status_code == expected, name
            if expected == 200:
                assert response.data.startswith(PNG) and response.mimetype == "image/png"
    assert client.get(f"/admin/laporan/{event.id}/grafik/juara-umum.png").data.startswith(PNG)
    assert client.get(f"/admin/laporan/{event.id}/grafik/../../x.png").status_code == 404


def test_report_tells_how_the_day_ran(client, day):
    event = day["event"]
    as_organizer(client, day["organizer"])
    _body, text = report_pdf(client, event)
    flat = " ".join(text.split())
    assert "Lembar nilai dibuka kembali" in flat and "alasan: Wajar, diperbaiki" in flat
    assert "Diumumkan dengan persetujuan panitia" in flat and "Tim lain tidak hadir" in flat
    assert "Melebihi batas waktu" in flat and "panitia: uji" in flat
    assert "Jalannya kegiatan" in flat and "WITA" in flat
    page = client.get(f"/admin/laporan/{event.id}").get_data(as_text=True)
    assert "Wajar, diperbaiki" in page and "Melebihi batas waktu" in page
    refresh()  # the tests share one app context, where Flask-Babel keeps the last locale
    english = client.get(f"/admin/laporan/{event.id}?lang=en").get_data(as_text=True)
    assert "Activity report" in english and "Sheet reopened" in english


def test_an_unpublished_contest_shows_no_numbers(client, day):
    event = day["event"]
    quiz = next(c for c in event.contests if c.kind == "quiz")
    running.step_back(quiz, "unpublish", "Diperiksa ulang")
    as_organizer(client, day["organizer"])
    _body, text = report_pdf(client, event)
    section = text.split(f"{quiz.name}\nMetode")[1].split("\n2.")[0]
    assert "belum diumumkan" in section and "Juara I" not in section
    assert client.get(f"/admin/laporan/{event.id}/grafik/nilai-{quiz.id}.png").status_code == 404


def test_export_page_reaches_the_report_in_one_click(client, day):
    event = day["event"]
    as_organizer(client, day["organizer"])
    html = client.get("/export/").get_data(as_text=True)
    for link in (f"/admin/laporan/{event.id}.pdf", f"/admin/laporan/{event.id}"):
        assert f'href="{link}"' in html
        assert client.get(link).status_code == 200


def test_judges_chart_on_the_fairness_page(client, day):
    event = day["event"]
    yel = event.contests[0]
    as_organizer(client, day["organizer"])
    page = client.get(f"/fairness/{yel.id}").get_data(as_text=True)
    assert f'src="/fairness/{yel.id}/juri.png"' in page
    chart = client.get(f"/fairness/{yel.id}/juri.png")
    assert chart.status_code == 200 and chart.data.startswith(PNG)
    head = yel.head_judge
    client.post("/admin/logout")
    as_judge(client, head)
    with client.session_transaction() as session:
        from scoreboard.identity import session_stamp
        session["judge_stamp"] = session_stamp(head)
    assert client.get(f"/fairness/{yel.id}/juri.png").status_code == 200
    other = next(c for c in event.contests if c.kind == "rubric" and head.role_in(c) is None)
    assert client.get(f"/fairness/{other.id}/juri.png").status_code == 403


def test_report_of_an_event_without_results(client, app, demo):
    as_organizer(client, gen_organizer())
    _body, text = report_pdf(client, demo)
    assert "Belum ada lomba yang diumumkan" in text and "Hasil diumumkan 0 dari 4 lomba" in text
    assert db.session.scalar(db.select(db.func.count(ReopenRequest.id))) == 0


def test_long_and_arabic_names_wrap_in_the_report(client, day):
    from tests.test_piagam import ARABIC_NAME, LONG_NAME
    event = day["event"]
    yel = event.contests[0]
    winners = [row for row in yel.teams[:2]]
    winners[0].name, winners[1].name = LONG_NAME, ARABIC_NAME
    db.session.commit()
    as_organizer(client, day["organizer"])
    body, text = report_pdf(client, event)
    flat = " ".join(text.split())
    assert LONG_NAME in flat  # whole, wrapped over lines of its table cell
    name_lines = [line for line in text.splitlines() if "Kader Institusi" in line or "Kalsel" in line]
    assert len(name_lines) >= 4 and all(len(line) < 110 for line in name_lines)  # wrapped in cells
    letters = [ch for ch in text if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff"]
    assert len(letters) >= len(ARABIC_NAME.replace(" ", ""))
    assert len(body) < 2 * 1024 * 1024
    chart = client.get(f"/admin/laporan/{event.id}/grafik/nilai-{yel.id}.png")
    assert chart.status_code == 200 and chart.data.startswith(PNG)
