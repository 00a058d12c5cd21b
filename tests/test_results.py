"""Results files: hand-computed rows in CSV, XLSX and JSON, inert formulas, the signed PDF, /verify."""
import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from scoreboard.extensions import db
from scoreboard.services import (contest_setup, recap_pdf, result_files, results as results_service,
                                 running)
from tests.factories import gen_penalty, gen_sheet, gen_small_contest, gen_team

# Two judges, Kekompakan (weight 1) and Kreativitas (weight 2):
#   Awayan    A: 8 + 2·9   = 26     B: 7 + 2·8.5 = 24     mean 25.00
#   Batumandi A: 7 + 2·7.5 = 22     B: 9 + 2·8   = 25     mean 23.50, penalty 1 -> 22.50
#   Halong    A: 9 + 2·6   = 21     B: draft only        mean 21.00, incomplete
# Criterion means are means of w·s: Awayan 7.50 / 17.50, Batumandi 8.00 / 15.50, Halong 9.00 / 12.00.
EXPECTED = [
    ["rank", "award", "team", "region", "score", "complete",
     "juri: Juri A", "juri: Juri B", "rata-rata: Kekompakan", "rata-rata: Kreativitas"],
    ["1", "Juara I", "Tim Awayan", "Awayan", "25.00", "true", "26.00", "24.00", "7.50", "17.50"],
    ["2", "Juara II", "Tim Batumandi", "Batumandi", "22.50", "true", "22.00", "25.00", "8.00", "15.50"],
    ["3", "Juara III", "Tim Halong", "Halong", "21.00", "false", "21.00", "", "9.00", "12.00"],
]


@pytest.fixture
def scored(app):
    """The hand-computed contest above."""
    event, contest, (awayan, batumandi, halong), (judge_a, _), (judge_b, _) = gen_small_contest()
    gen_sheet(contest, judge_a, awayan, [8, 9])
    gen_sheet(contest, judge_b, awayan, [7, 8.5])
    gen_sheet(contest, judge_a, batumandi, [7, 7.5])
    gen_sheet(contest, judge_b, batumandi, [9, 8])
    gen_sheet(contest, judge_a, halong, [9, 6])
    gen_sheet(contest, judge_b, halong, [10, 10], submitted=False)
    gen_penalty(contest, batumandi, 1, reason="Melebihi batas waktu 2 menit")
    return contest


def test_csv_rows_are_the_hand_computed_ones(scored):
    body = result_files.build_csv(results_service.results_for(scored))
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == EXPECTED


def test_xlsx_summary_reads_back_as_numbers(scored):
    workbook = load_workbook(io.BytesIO(result_files.build_xlsx([scored])))
    assert workbook.sheetnames == ["Lomba Yel-Yel", "Nilai juri", "Juara umum", "Jejak audit"]
    summary = workbook["Lomba Yel-Yel"]
    assert summary.freeze_panes == "A2"
    values = [[cell.value for cell in row] for row in summary.iter_rows()]
    assert values[0] == ["peringkat", "penghargaan", "tim", "kecamatan", "nilai", "lengkap",
                         *EXPECTED[0][6:], "penalti"]
    assert values[1] == [1, "Juara I", "Tim Awayan", "Awayan", 25, True, 26, 24, 7.5, 17.5, 0]
    assert values[2] == [2, "Juara II", "Tim Batumandi", "Batumandi", 22.5, True, 22, 25, 8, 15.5, 1]
    assert values[3] == [3, "Juara III", "Tim Halong", "Halong", 21, False, 21, None, 9, 12, 0]
    assert summary["E2"].number_format == "0.00"
    # Every submitted score of every judge, one line per criterion; the draft is not there.
    detail = list(workbook["Nilai juri"].iter_rows(values_only=True))
    assert len(detail) == 1 + 5 * 2
    assert ("Lomba Yel-Yel", "Juri A", "Tim Awayan", "Kreativitas", 2, 9, 18, 1) in detail
    assert summary.column_dimensions["C"].width >= len("Tim Batumandi")


def test_json_rows_are_the_api_rows_plus_detail(scored):
    document = json.loads(result_files.build_file(scored, "json")[0])
    assert [[str(r["rank"]), r["award"], r["team"], r["region"], r["score"],
             str(r["complete"]).lower()] for r in document["rows"]] == [row[:6] for row in EXPECTED[1:]]
    batumandi = document["detail"][1]
    assert batumandi["judge_totals"] == {"Juri A": "22.00", "Juri B": "25.00"}
    assert batumandi["penalty"] == "1.00" and batumandi["panel"] == "23.50"
    assert {"judge": "Juri A", "team": "Tim Halong", "version": 1,
            "scores": {"Kekompakan": "9.00", "Kreativitas": "6.00"}} in document["sheets"]
    assert document["fingerprint"] == results_service.fingerprint(results_service.results_for(scored))


def test_formula_team_name_comes_out_inert(scored):
    team = gen_team(scored.event, '=HYPERLINK("x")', "Juai")
    from scoreboard.models import ContestTeam
    scored.entries.append(ContestTeam(team=team, order_no=4))
    db.session.commit()
    rows = list(csv.reader(io.StringIO(result_files.build_csv(
        results_service.results_for(scored)).decode("utf-8-sig"))))
    assert rows[-1][2] == "'=HYPERLINK(\"x\")"
    raw = result_files.build_xlsx([scored])
    cell = load_workbook(io.BytesIO(raw))["Lomba Yel-Yel"]["C5"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist()
                  if name.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet for sheet in sheets)


def test_recap_pdf_carries_names_and_fingerprint(scored):
    body = recap_pdf.build_recap_pdf([scored])
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() for page in reader.pages)
    digest = results_service.fingerprint(results_service.results_for(scored))
    for expected in ("REKAPITULASI NILAI", "BERITA ACARA PENILAIAN", "Juri A", "Juri B",
                     "Ketua Juri", "Tim Awayan", "25,00", "Melebihi batas waktu 2 menit"):
        assert expected in text
    assert all(digest in page.extract_text().replace("\n", "") for page in reader.pages)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_winners_pdf_is_one_page(scored):
    running.lock_contest(scored)  # the MC's list holds published contests only
    running.publish_contest(scored, override_reason="Satu lembar belum dikirim")
    reader = PdfReader(io.BytesIO(recap_pdf.build_winners_pdf(scored.event)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "DAFTAR PEMENANG" in text and "Tim Awayan" in text and "Juara Umum" in text


def test_verify_confirms_unchanged_and_rejects_changed(scored, client):
    digest = results_service.fingerprint(results_service.results_for(scored))
    page = client.get(f"/verify/{digest}")
    assert page.status_code == 200 and "Cocok" in page.get_data(as_text=True)
    changed = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    refused = client.get(f"/verify/{changed}")
    assert refused.status_code == 404 and "Tidak cocok" in refused.get_data(as_text=True)
    assert client.get("/verify/not-a-fingerprint").status_code == 404
    # A later penalty changes the numbers: the printed fingerprint no longer matches.
    gen_penalty(scored, scored.teams[0], 0.5)
    assert client.get(f"/verify/{digest}").status_code == 404


def test_cli_results_writes_each_format(scored, runner, tmp_path):
    for fmt in ("csv", "xlsx", "pdf", "json"):
        target = tmp_path / f"out.{fmt}"
        outcome = runner.invoke(args=["results", str(scored.id), "--format", fmt, "--output", str(target)])
        assert outcome.exit_code == 0, outcome.output
        assert target.stat().st_size > 0
    assert target.read_bytes() == result_files.build_file(scored, "json")[0]
    missing = runner.invoke(args=["results", "9999", "--format", "csv", "--output", str(tmp_path / "x")])
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output


def recap_text(contest) -> str:
    reader = PdfReader(io.BytesIO(recap_pdf.build_recap_pdf([contest])))
    # Justified lines come back with doubled spaces: compare words, not layout.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_unscored_team_gets_no_award_as_in_the_api(app, client):
    _event, contest, (awayan, batumandi, halong), (judge_a, _), (judge_b, _) = gen_small_contest()
    gen_sheet(contest, judge_a, awayan, [8, 9])
    gen_sheet(contest, judge_b, batumandi, [7, 8])
    api_rows = client.get(f"/api/contests/{contest.id}/standings").get_json()["rows"]
    halong_row = next(row for row in api_rows if row["team"] == "Tim Halong")
    assert halong_row["award"] == ""
    document = json.loads(result_files.build_file(contest, "json")[0])
    assert sorted(document["rows"], key=lambda r: r["team"]) == sorted(api_rows, key=lambda r: r["team"])
    csv_rows = list(csv.reader(io.StringIO(result_files.build_csv(
        results_service.results_for(contest)).decode("utf-8-sig"))))
    assert csv_rows[3][1:3] == ["", "Tim Halong"]
    contest.status = "published"  # the winners list holds published contests only
    db.session.commit()
    winners = PdfReader(io.BytesIO(recap_pdf.build_winners_pdf(contest.event))).pages[0].extract_text()
    assert "Tim Awayan" in winners and "Tim Halong" not in winners


def test_a_push_reads_its_contests_scores_by_index_not_every_score(app):
    """Scores are found through the contest's sheets: on SQLite the plan searches the sheets by
    contest and their scores by sheet (it used to go through every score of every contest)."""
    from sqlalchemy import inspect as sa_inspect
    from scoreboard.services.standings import _SUBMITTED_SCORES, _compiled
    indexed = [index["column_names"] for index in sa_inspect(db.engine).get_indexes("score")]
    assert ["sheet_id"] in indexed
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        compiled = _compiled(_SUBMITTED_SCORES, connection.dialect)
        params = compiled.construct_params({"contest_id": 1}, escape_names=False)
        plan = " | ".join(row[-1] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + compiled.string,
            tuple(params[name] for name in compiled.positiontup)))
        assert "SCAN score" not in plan and "USING INDEX ix_score_sheet_id" in plan, plan


def test_sheets_left_without_scores_rank_nobody(app, client):
    """Every criterion deleted after scoring: the sheets carry no score, and no team is ranked."""
    _event, contest, teams, (judge_a, _), _ = gen_small_contest()
    for team in teams:
        gen_sheet(contest, judge_a, team, [8, 9])
    for criterion in list(contest.criteria):
        contest_setup.delete_criterion(criterion, confirm=True)
    rows = client.get(f"/api/contests/{contest.id}/standings").get_json()["rows"]
    assert [(row["rank"], row["award"]) for row in rows] == [(None, "")] * 3


def test_recap_records_the_audited_shared_award_at_publish(app):
    from flask import g
    from scoreboard.services import running
    _event, contest, (awayan, batumandi, halong), (judge_a, _), (judge_b, _) = gen_small_contest()
    for judge in (judge_a, judge_b):
        gen_sheet(contest, judge, awayan, [8, 8])
        gen_sheet(contest, judge, batumandi, [8, 8])
        gen_sheet(contest, judge, halong, [5, 5])
    assert "Peringkat 1 dibagi bersama oleh Tim Awayan, Tim Batumandi (Juara I); " \
           "menunggu keputusan panitia" in recap_text(contest)
    with app.test_request_context():
        g.actor = "panitia: bu_rina"
        running.lock_contest(contest)
        running.publish_contest(contest, acknowledge_ties=True)
    text = recap_text(contest)
    assert ("Peringkat 1 dibagi bersama oleh Tim Awayan, Tim Batumandi (Juara I); diumumkan sebagai "
            "penghargaan bersama atas persetujuan panitia: bu_rina,") in text
    assert "WITA" in text and "menunggu keputusan" not in text


def test_recap_records_the_reason_for_publishing_before_complete(app):
    from flask import g
    from scoreboard.services import running
    _event, contest, (awayan, batumandi, halong), (judge_a, _), (judge_b, _) = gen_small_contest()
    gen_sheet(contest, judge_a, awayan, [9, 9])
    gen_sheet(contest, judge_a, batumandi, [8, 8])
    gen_sheet(contest, judge_a, halong, [7, 7])
    with app.test_request_context():
        g.actor = "panitia: bu_rina"
        running.lock_contest(contest)
        running.publish_contest(contest, override_reason="Juri B sakit dan pulang lebih awal")
    text = recap_text(contest)
    assert "Diumumkan sebelum semua tim lengkap dinilai (panitia: bu_rina," in text
    assert "Alasan: Juri B sakit dan pulang lebih awal" in text


def test_winners_pdf_stays_on_one_page_for_a_big_event(app):
    from tests.factories import gen_contest, gen_event, gen_judge
    event = gen_event(regions=[f"Kecamatan {n}" for n in range(1, 11)])
    teams = [gen_team(event, f"Tim Kecamatan {n}", f"Kecamatan {n}") for n in range(1, 11)]
    for number in range(1, 11):
        contest = gen_contest(event, name=f"Lomba {number}", status="published", teams=teams)
        judge, _ = gen_judge(event, f"Juri {number}", [contest])
        for points, team in enumerate(teams):
            gen_sheet(contest, judge, team, [1 + points % 10])
    reader = PdfReader(io.BytesIO(recap_pdf.build_winners_pdf(event)))
    assert len(reader.pages) == 1
    heights = []
    text = reader.pages[0].extract_text(
        visitor_text=lambda t, cm, tm, font, size: heights.append(tm[5] * cm[3] + cm[5]) if t.strip() else None)
    assert "Lomba 10" in text and "Kecamatan 1 " in text.replace("\n", " ")
    # Every line lies on the page, none below its bottom edge.
    assert min(heights) > 20


def test_winners_pdf_lists_a_quiz_whose_awarded_teams_total_zero(app):
    """Played teams at 0 are real results (Juara I shared); only the team that never played is left out."""
    from scoreboard.services import quiz as quiz_service
    from tests.factories import gen_quiz_contest
    contest, (awayan, batumandi, halong), (keeper, _code) = gen_quiz_contest()
    wajib, _lemparan, rebutan = contest.rounds
    quiz_service.record_tap(contest, awayan, wajib, 1, "+100", "w1-tablet", keeper)
    quiz_service.record_tap(contest, awayan, rebutan, 2, "-100", "w2-tablet", keeper)
    quiz_service.record_tap(contest, batumandi, wajib, 3, "+100", "w3-tablet", keeper)
    quiz_service.record_tap(contest, batumandi, rebutan, 4, "-100", "w4-tablet", keeper)
    contest.status = "published"  # the winners list holds published contests only
    db.session.commit()
    winners = PdfReader(io.BytesIO(recap_pdf.build_winners_pdf(contest.event))).pages[0].extract_text()
    assert "Tim Awayan" in winners and "Tim Batumandi" in winners and "Tim Halong" not in winners


def test_whole_event_recap_carries_on_every_page_the_fingerprint_of_its_own_contest(app):
    """Each contest's pages (its berita acara included) show its own fingerprint, never the next one's."""
    from tests.factories import gen_contest, gen_judge
    event, first, (awayan, batumandi, halong), (judge_a, _), (judge_b, _) = gen_small_contest()
    second = gen_contest(event, name="Lomba Tari Kreasi", teams=[awayan, batumandi, halong])
    judge_c, _ = gen_judge(event, "Juri C", [second])
    for contest, judges in ((first, (judge_a, judge_b)), (second, (judge_c,))):
        for judge in judges:
            for points, team in enumerate((awayan, batumandi, halong)):
                gen_sheet(contest, judge, team, [5 + points, 6][:len(contest.criteria)])
    digests = {contest.name: results_service.fingerprint(results_service.results_for(contest))
               for contest in (first, second)}
    reader = PdfReader(io.BytesIO(recap_pdf.build_recap_pdf([first, second])))
    current = None
    pages_per_contest = {name: 0 for name in digests}
    for page in reader.pages:
        text = page.extract_text().replace("\n", "")
        for name in digests:
            if "REKAPITULASI NILAI" in text and name in text:
                current = name
        pages_per_contest[current] += 1
        assert digests[current] in text, f"page {page.page_number + 1} of {current}"
        assert all(digest not in text for name, digest in digests.items() if name != current)
    assert all(pages_per_contest.values())


def test_whole_event_workbook_names_its_sheets_numbered_readable_and_unique(app):
    """Excel allows 31 characters: long names are cut at a word with "…", numbered so two never collide."""
    from tests.factories import gen_contest
    event, first, teams, _a, _b = gen_small_contest()
    long_names = ["Lomba Pemahaman Program Bangga Kencana", "Lomba Pemahaman Program Bangga Kencana Putri"]
    contests = [first] + [gen_contest(event, name=name, kind="quiz", teams=teams) for name in long_names]
    workbook = load_workbook(io.BytesIO(result_files.build_xlsx(contests)))
    assert workbook.sheetnames[:3] == ["1. Lomba Yel-Yel", "2. Lomba Pemahaman Program…",
                                       "3. Lomba Pemahaman Program…"]
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_workbook_audit_trail_names_criteria_not_ids(app):
    """The office reads the audit sheet: a sheet's scores are keyed by criterion name."""
    from flask import g
    from scoreboard.services import sheets as sheets_service
    _event, contest, (awayan, _b, _h), (judge_a, _), _judge_b = gen_small_contest()
    kekompakan, kreativitas = contest.criteria
    with app.test_request_context():
        g.actor = "juri: Juri A"
        sheets_service.submit_sheet(judge_a, contest, awayan,
                                    {kekompakan.id: "8,5", kreativitas.id: "7"}, "save-0001")
    workbook = load_workbook(io.BytesIO(result_files.build_xlsx([contest])))
    audit = [row for row in workbook["Jejak audit"].iter_rows(values_only=True)
             if row[3] == "sheet.submit"]
    assert json.loads(audit[0][7])["scores"] == {"Kekompakan": "8.50", "Kreativitas": "7.00"}
