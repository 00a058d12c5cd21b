"""One rule for a team not yet scored (or that has not played) and one format for quiz points,
on every screen and in every file and document (issue 10, items 2 and 3)."""
import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from scoreboard.extensions import db
from scoreboard.services import quiz as quiz_service, recap_pdf, result_files
from tests.admin_helpers import as_organizer
from tests.factories import gen_organizer, gen_quiz_contest, gen_small_contest


def pdf_words(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def csv_rows(contest) -> list[dict]:
    data = result_files.build_file(contest, "csv")[0].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(data)))


@pytest.fixture
def day(app):
    """A rubric contest nobody has scored and a quiz where only Tim Awayan has played (+100, −25)."""
    event, rubric, teams, _judge_a, _judge_b = gen_small_contest()
    quiz, _teams, (keeper, code) = gen_quiz_contest(event, name="Lomba Cerdas Cermat", teams=teams)
    wajib, lemparan, _rebutan = quiz.rounds
    quiz_service.record_tap(quiz, teams[0], wajib, 1, "+100", "t1-tablet", keeper)
    quiz_service.record_tap(quiz, teams[0], lemparan, 2, "+50", "t2-tablet", keeper)
    return {"event": event, "rubric": rubric, "quiz": quiz, "teams": teams, "code": code,
            "organizer": gen_organizer()}


def test_api_and_csv_give_a_team_not_yet_scored_no_rank_no_award_and_not_complete(day, client):
    for contest in (day["rubric"], day["quiz"]):
        api = client.get(f"/api/contests/{contest.id}/standings").get_json()["rows"]
        files = csv_rows(contest)
        played = {"Tim Awayan"} if contest is day["quiz"] else set()
        for row in api:
            if row["team"] in played:
                assert (row["rank"], row["award"], row["complete"]) == (1, "Juara I", True)
            else:
                assert (row["rank"], row["award"], row["complete"]) == (None, "", False), row
        for row in files:
            if row["team"] not in played:
                assert (row["rank"], row["award"], row["complete"]) == ("", "", "false"), row


def test_xlsx_leaves_rank_and_score_empty_and_writes_quiz_points_whole(day):
    book = load_workbook(io.BytesIO(result_files.build_xlsx([day["rubric"], day["quiz"]])))
    rubric_sheet, quiz_sheet = book.worksheets[0], book.worksheets[1]
    rubric_rows = list(rubric_sheet.iter_rows(min_row=2, values_only=True))
    assert all(row[0] is None and row[1] is None and row[4] is None and row[5] is False
               for row in rubric_rows), rubric_rows
    quiz_rows = list(quiz_sheet.iter_rows(min_row=2, values_only=True))
    assert quiz_rows[0][:6] == (1, "Juara I", "Tim Awayan", "Awayan", 150, True)
    assert quiz_sheet.cell(row=2, column=5).number_format != "0.00"
    assert [row[0] for row in quiz_rows[1:]] == [None, None]
    assert [row[5] for row in quiz_rows[1:]] == [False, False]


def test_recap_pdfs_print_no_rank_for_unscored_teams_and_quiz_points_as_on_the_board(day):
    text = pdf_words(recap_pdf.build_recap_pdf([day["rubric"]]))
    # An unscored rubric contest does not rank its three teams 1st, nor call them complete.
    assert "1 - Tim Awayan" not in text and "lengkap" not in text
    assert "- - Tim Batumandi Batumandi - - belum dinilai" in text
    text = pdf_words(recap_pdf.build_recap_pdf([day["quiz"]]))
    # Quiz points read as on the board: 150, not 150,00.
    assert "1 Juara I Tim Awayan Awayan 150 - lengkap" in text
    assert "150,00" not in text


def test_quiz_console_shows_no_rank_before_a_team_has_played(day, client):
    client.get(f"/judge/login/{day['code'].replace('-', '')}")
    page = client.get(f"/quiz/{day['quiz'].id}").get_data(as_text=True)
    assert page.count('class="quiz-rank"') == 1
    assert '<span class="quiz-rank">#1</span>' in page


def test_console_standings_and_boards_agree_on_unscored_and_quiz_points(day, client):
    as_organizer(client, day["organizer"])
    board = client.get(f"/board/{day['quiz'].id}").get_data(as_text=True)
    assert ">150<" in board and "150,00" not in board
    results_page = client.get(f"/admin/laporan/{day['event'].id}").get_data(as_text=True)
    assert "150,00" not in results_page


def test_winners_list_holds_only_published_contests(day):
    """The MC reads it aloud: a provisional winner of an unpublished contest is not on it."""
    text = pdf_words(recap_pdf.build_winners_pdf(day["event"]))
    assert "Tim Awayan" not in text
    assert "Belum ada lomba yang diumumkan" in text
    day["quiz"].status = "published"
    db.session.commit()
    text = pdf_words(recap_pdf.build_winners_pdf(day["event"]))
    assert "Juara I Tim Awayan (Awayan) 150" in text
    # The unpublished rubric contest is only named as not yet announced.
    assert "Belum diumumkan (tidak dibacakan) Lomba Yel-Yel" in text
    assert "belum diumumkan)" not in text
