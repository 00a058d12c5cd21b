"""The quiz scorekeeper's console: taps, undo, corrections, idempotency, access and the board."""
from decimal import Decimal

import pytest

from scoreboard.extensions import db, socketio
from scoreboard.models import AuditEntry, Contest, QuizEntry, SaveReceipt
from scoreboard.services import idempotency, publish, quiz as quiz_service, quiz_state
from scoreboard.services.errors import ServiceError
from scoreboard.services.public_board import public_board
from scoreboard.services.results import overall_table
from scoreboard.services.standings import standings_for
from tests.factories import gen_contest, gen_event, gen_judge, gen_quiz_contest


def login(client, code):
    """Log a tablet in through the judges' QR link, as a scorekeeper does."""
    response = client.get(f"/judge/login/{code.replace('-', '')}")
    assert response.status_code == 302


def tap(client, contest, team, points, client_id, round_=None, question=1, **headers):
    data = {"tap": f"{team.id}:{points}", "client_id": client_id, "question": str(question),
            "round": str((round_ or contest.rounds[0]).id)}
    return client.post(f"/quiz/{contest.id}/tap", data=data, headers=headers)


def board_scores(client, contest) -> dict[str, str]:
    """What the public API (and so every board) shows: team -> score."""
    body = client.get(f"/api/contests/{contest.id}/standings").get_json()
    return {row["team"]: row["score"] for row in body["rows"]}


def live_entries(contest) -> list[QuizEntry]:
    return list(db.session.scalars(db.select(QuizEntry).filter_by(contest_id=contest.id,
                                                                  undone=False)))


@pytest.fixture
def quiz(app):
    """A quiz of three teams with its scorekeeper."""
    return gen_quiz_contest()


def test_totals_equal_the_sum_of_entries_after_taps_undos_and_corrections(app, quiz):
    contest, (awayan, batumandi, halong), (keeper, _code) = quiz
    wajib, lemparan, rebutan = contest.rounds
    taps = [(awayan, wajib, 1, "+100"), (batumandi, wajib, 2, "+100"),
            (halong, lemparan, 3, "+50"), (awayan, lemparan, 3, "-25"),
            (batumandi, rebutan, 4, "+100"), (halong, rebutan, 5, "-100")]
    for number, (team, quiz_round, question, points) in enumerate(taps):
        quiz_service.record_tap(contest, team, quiz_round, question, points, f"t{number}-tablet", keeper)
    undone = quiz_service.undo_last(contest, keeper, "u1-tablet")
    assert undone.team == halong and undone.points == Decimal(-100)
    first = db.session.scalar(db.select(QuizEntry).filter_by(contest_id=contest.id,
                                                             team_id=awayan.id, question=1))
    quiz_service.correct_entry(first, "+50", "Jawaban hanya separuh benar", keeper)

    expected = {team.name: sum((e.points for e in live_entries(contest) if e.team_id == team.id),
                               Decimal(0)) for team in (awayan, batumandi, halong)}
    assert expected == {"Tim Awayan": Decimal(25), "Tim Batumandi": Decimal(200),
                        "Tim Halong": Decimal(50)}
    shown = {row.team.name: row.score for row in standings_for(contest)}
    assert shown == expected
    rows = standings_for(contest)
    assert [(r.team.name, r.rank, r.award) for r in rows] == [
        ("Tim Batumandi", 1, "Juara I"), ("Tim Halong", 2, "Juara II"), ("Tim Awayan", 3, "Juara III")]


def test_ties_share_the_rank_on_the_board(app, client, quiz):
    contest, (awayan, batumandi, halong), (keeper, _code) = quiz
    quiz_service.record_tap(contest, awayan, contest.rounds[0], 1, "+100", "a-tablet", keeper)
    quiz_service.record_tap(contest, batumandi, contest.rounds[0], 2, "+100", "b-tablet", keeper)
    rows = client.get(f"/api/contests/{contest.id}/standings").get_json()["rows"]
    assert [(r["rank"], r["team"], r["score"]) for r in rows][:2] == [
        (1, "Tim Awayan", "100.00"), (1, "Tim Batumandi", "100.00")]
    # Halong has not played: no rank, no award, not complete.
    assert (rows[2]["rank"], rows[2]["award"], rows[2]["complete"]) == (None, "", False)


def test_each_tap_is_pushed_to_the_board_with_a_new_version(app, client, quiz):
    contest, (awayan, _b, _h), (_keeper, code) = quiz
    login(client, code)
    watcher = socketio.test_client(app, namespace="/live")
    assert watcher.emit("watch", {"contest": contest.id, "rows": True}, namespace="/live",
                        callback=True)["ok"]
    before = contest.version
    assert tap(client, contest, awayan, "+100", "push-1-tablet").status_code == 302
    pushes = [m for m in watcher.get_received("/live") if m["name"] == "standings"]
    assert len(pushes) == 1
    message = pushes[0]["args"][0]
    assert message["version"] == before + 1
    assert {"team": "Tim Awayan", "score": "100.00"}.items() <= message["rows"][0].items()
    assert "Tim Awayan" in message["html"]
    watcher.disconnect(namespace="/live")


def test_a_double_sent_tap_is_stored_once(app, client, quiz):
    contest, (awayan, _b, _h), (keeper, code) = quiz
    login(client, code)
    first = tap(client, contest, awayan, "+100", "tablet-7f3a", **{"X-Quiz-Client": "1"})
    version = db.session.get(Contest, contest.id).version
    again = tap(client, contest, awayan, "+100", "tablet-7f3a", **{"X-Quiz-Client": "1"})
    assert first.status_code == again.status_code == 200
    assert len(live_entries(contest)) == 1
    assert db.session.scalar(db.select(db.func.count(SaveReceipt.id))
                             .filter_by(judge_id=keeper.id)) == 1
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).version == version
    assert board_scores(client, contest)["Tim Awayan"] == "100.00"


def test_a_double_sent_undo_undoes_once(app, client, quiz):
    contest, (awayan, batumandi, _h), (_keeper, code) = quiz
    login(client, code)
    tap(client, contest, awayan, "+100", "t1-tablet")
    tap(client, contest, batumandi, "+100", "t2-tablet")
    for _ in range(2):
        client.post(f"/quiz/{contest.id}/undo", data={"client_id": "undo-1-tablet"})
    assert board_scores(client, contest) == {"Tim Awayan": "100.00", "Tim Batumandi": "0.00",
                                             "Tim Halong": "0.00"}


def test_a_client_id_is_not_reused_for_another_kind_of_save(app, client, quiz):
    contest, (awayan, _b, _h), (keeper, _code) = quiz
    quiz_service.record_tap(contest, awayan, contest.rounds[0], 1, "+100", "same-tablet", keeper)
    with pytest.raises(ServiceError) as refused:
        quiz_service.undo_last(contest, keeper, "same-tablet")
    assert refused.value.status == 409


def test_plain_form_tap_redirects_to_the_console_showing_the_total(app, client, quiz):
    contest, (awayan, _b, _h), (_keeper, code) = quiz
    login(client, code)
    lemparan = contest.rounds[1]
    response = tap(client, contest, awayan, "+50", "f1-tablet", round_=lemparan, question=4)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert 'class="quiz-total" data-total="50"' in html
    assert 'value="4"' in html  # the question number stays where the scorekeeper left it
    assert "Babak lemparan · soal 4" in html
    assert board_scores(client, contest)["Tim Awayan"] == "50.00"


def test_console_is_a_full_page_and_its_live_part_alone_for_htmx(app, client, quiz):
    contest, _teams, (_keeper, code) = quiz
    login(client, code)
    page = client.get(f"/quiz/{contest.id}")
    partial = client.get(f"/quiz/{contest.id}", headers={"HX-Request": "true"})
    assert page.status_code == partial.status_code == 200
    assert "<html" in page.get_data(as_text=True) and 'id="quiz-live"' in page.get_data(as_text=True)
    assert partial.get_data(as_text=True).lstrip().startswith("{#") is False
    assert "<html" not in partial.get_data(as_text=True)
    assert 'id="quiz-live"' in partial.get_data(as_text=True)
    assert "HX-Request" in partial.headers["Vary"]
    # Every round's buttons are on the page; the first round's are showing.
    assert page.get_data(as_text=True).count('name="tap"') == 3 * (1 + 2 + 2)


def test_script_tap_gets_json_with_the_live_part(app, client, quiz):
    contest, (awayan, _b, _h), (_keeper, code) = quiz
    login(client, code)
    response = tap(client, contest, awayan, "-25", "j1-tablet", round_=contest.rounds[1],
                   **{"X-Quiz-Client": "1"})
    body = response.get_json()
    assert response.status_code == 200 and body["ok"]
    assert "−25" in body["html"]
    assert body["version"] == db.session.get(Contest, contest.id).version


@pytest.mark.parametrize("field, value, message", [
    ("tap", "{team}:abc", "Poin harus berupa angka"),
    ("tap", "{team}:0", "tidak boleh nol"),
    ("tap", "99999:+100", "Tim ini tidak ikut lomba ini"),
    ("question", "0", "Nomor soal harus antara 1 dan 999"),
    ("client_id", "", "nomor pengenal"),
    ("round", "99999", "Babak ini bukan milik lomba ini"),
])
def test_bad_input_is_refused_with_422_and_changes_nothing(app, client, quiz, field, value,
                                                           message):
    contest, (awayan, _b, _h), (_keeper, code) = quiz
    login(client, code)
    data = {"tap": f"{awayan.id}:+100", "client_id": "bad-1-tablet", "question": "1",
            "round": str(contest.rounds[0].id)}
    data[field] = value.format(team=awayan.id)
    version = contest.version
    response = client.post(f"/quiz/{contest.id}/tap", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert live_entries(contest) == []
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).version == version


def test_a_closed_quiz_refuses_taps_with_409(app, client, quiz):
    contest, (awayan, _b, _h), (_keeper, code) = quiz
    contest.status = "closed"
    db.session.commit()
    login(client, code)
    response = tap(client, contest, awayan, "+100", "c1-tablet")
    assert response.status_code == 409
    assert "tidak sedang dibuka" in response.get_data(as_text=True)
    assert live_entries(contest) == []


def test_undo_with_nothing_to_undo_is_a_409(app, client, quiz):
    contest, _teams, (_keeper, code) = quiz
    login(client, code)
    response = client.post(f"/quiz/{contest.id}/undo", data={"client_id": "u0-tablet"})
    assert response.status_code == 409
    assert "Belum ada poin" in response.get_data(as_text=True)


def test_correction_needs_a_reason_and_is_audited(app, client, quiz):
    contest, (awayan, _b, _h), (keeper, code) = quiz
    entry, _new = quiz_service.record_tap(contest, awayan, contest.rounds[2], 7, "+100", "k1-tablet",
                                          keeper)
    login(client, code)
    url = f"/quiz/{contest.id}/entries/{entry.id}/correct"
    assert client.get(url).status_code == 200
    refused = client.post(url, data={"points": "-100", "reason": "  "})
    assert refused.status_code == 422 and "Alasan koreksi wajib diisi" in refused.get_data(
        as_text=True)
    assert board_scores(client, contest)["Tim Awayan"] == "100.00"
    done = client.post(url, data={"points": "-100", "reason": "Salah dengar jawaban"})
    assert done.status_code == 302
    assert board_scores(client, contest)["Tim Awayan"] == "-100.00"
    audit = db.session.scalar(db.select(AuditEntry).filter_by(action="quiz_correct"))
    assert audit.actor == f"pencatat: {keeper.name}"
    assert audit.old_value["points"] == "100.00" and audit.new_value["points"] == "-100.00"
    assert audit.new_value["reason"] == "Salah dengar jawaban"


def test_every_tap_and_undo_is_audited_with_the_scorekeeper(app, client, quiz):
    contest, (awayan, _b, _h), (keeper, code) = quiz
    login(client, code)
    tap(client, contest, awayan, "+100", "a1-tablet")
    client.post(f"/quiz/{contest.id}/undo", data={"client_id": "a2-tablet"})
    actions = [(a.action, a.actor, a.team_id) for a in db.session.scalars(
        db.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [("quiz_tap", f"pencatat: {keeper.name}", awayan.id),
                       ("quiz_undo", f"pencatat: {keeper.name}", awayan.id)]


def test_team_names_are_text_not_markup(app, client):
    event = gen_event()
    contest, teams, (_keeper, code) = gen_quiz_contest(event)
    teams[0].name = "<script>alert(1)</script>"
    db.session.commit()
    login(client, code)
    html = client.get(f"/quiz/{contest.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_stage_shows_only_the_teams_of_the_heat(app, client, quiz):
    contest, (awayan, batumandi, halong), (_keeper, code) = quiz
    login(client, code)
    client.post(f"/quiz/{contest.id}/stage", data={"team": [str(awayan.id), str(halong.id)]})
    html = client.get(f"/quiz/{contest.id}").get_data(as_text=True)
    assert f'value="{awayan.id}:+100"' in html and f'value="{halong.id}:+100"' in html
    assert f'value="{batumandi.id}:+100"' not in html


def test_the_heat_is_kept_on_the_server_for_every_tablet_and_the_board(app, client, quiz):
    contest, (awayan, batumandi, halong), (keeper, code) = quiz
    login(client, code)
    watcher = socketio.test_client(app, namespace="/live")
    watcher.emit("watch", {"contest": contest.id}, namespace="/live", callback=True)
    response = client.post(f"/quiz/{contest.id}/stage",
                           data={"team": [str(awayan.id), str(halong.id)]})
    assert response.status_code == 302
    # A second tablet (or this one after a reload elsewhere) shows the same heat.
    second = app.test_client()
    login(second, code)
    html = second.get(f"/quiz/{contest.id}").get_data(as_text=True)
    assert f'value="{batumandi.id}:+100"' not in html and f'value="{halong.id}:+100"' in html
    # The projector is told at once who is on stage.
    pushes = [m for m in watcher.get_received("/live") if m["name"] == "standings"]
    assert len(pushes) == 1
    board = pushes[0]["args"][0]["html"]
    assert "2 tim di panggung" in board
    row = board[board.index(f'data-team="{batumandi.id}"') - 200:board.index(f'data-team="{batumandi.id}"')]
    assert "quiz-off-stage" in row
    assert board.count('class="stage-mark">di panggung<') == 2
    audit = db.session.scalar(db.select(AuditEntry).filter_by(action="quiz_stage"))
    assert audit.actor == f"pencatat: {keeper.name}"
    assert audit.new_value == {"on_stage": ["Tim Awayan", "Tim Halong"]}
    # Choosing no team (or all) ends the heat: every team is back on the grid and the board.
    client.post(f"/quiz/{contest.id}/stage", data={})
    html = second.get(f"/quiz/{contest.id}").get_data(as_text=True)
    assert f'value="{batumandi.id}:+100"' in html
    assert quiz_state.stage_ids(db.session.get(Contest, contest.id)) == set()
    watcher.disconnect(namespace="/live")


def test_a_stage_with_a_foreign_team_is_refused(app, client, quiz):
    contest, (awayan, _b, _h), (_keeper, code) = quiz
    login(client, code)
    version = contest.version
    response = client.post(f"/quiz/{contest.id}/stage", data={"team": [str(awayan.id), "99999"]})
    assert response.status_code == 422 and "tidak ikut lomba" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).version == version
    assert quiz_state.stage_ids(db.session.get(Contest, contest.id)) == set()


def test_anonymous_is_sent_to_the_judge_login_and_cannot_write(app, client, quiz):
    contest, (awayan, _b, _h), _keeper = quiz
    page = client.get(f"/quiz/{contest.id}")
    assert page.status_code == 302 and page.headers["Location"].endswith("/judge/")
    assert tap(client, contest, awayan, "+100", "anon-tablet").status_code == 403
    scripted = tap(client, contest, awayan, "+100", "anon-tablet", **{"X-Quiz-Client": "1"})
    assert scripted.status_code == 401 and "Sesi habis" in scripted.get_json()["error"]
    assert client.post(f"/quiz/{contest.id}/undo").status_code == 403
    assert client.post(f"/quiz/{contest.id}/stage", data={"team": [str(awayan.id)]}).status_code == 403
    assert live_entries(contest) == []


def test_a_scorekeeper_of_another_contest_is_refused(app, client, quiz):
    contest, teams, _keeper = quiz
    awayan = teams[0]
    other, _teams, (_other_keeper, other_code) = gen_quiz_contest(
        db.session.get(Contest, contest.id).event, name="Cerdas Cermat Remaja", teams=teams)
    login(client, other_code)
    assert client.get(f"/quiz/{contest.id}").status_code == 403
    assert tap(client, contest, awayan, "+100", "x1-tablet").status_code == 403
    assert client.post(f"/quiz/{contest.id}/undo", data={"client_id": "x2-tablet"}).status_code == 403
    assert client.post(f"/quiz/{contest.id}/stage", data={"team": [str(awayan.id)]}).status_code == 403
    assert quiz_state.stage_ids(db.session.get(Contest, contest.id)) == set()
    assert client.get(f"/quiz/{other.id}").status_code == 200
    assert live_entries(contest) == []


def test_a_judge_of_the_same_contest_is_not_a_scorekeeper(app, client, quiz):
    contest, (awayan, _b, _h), _keeper = quiz
    _judge, code = gen_judge(db.session.get(Contest, contest.id).event, "Juri Biasa", [contest])
    login(client, code)
    assert client.get(f"/quiz/{contest.id}").status_code == 403
    assert tap(client, contest, awayan, "+100", "j1-tablet").status_code == 403


def test_rubric_and_unknown_contests_are_404(app, client, quiz):
    contest, _teams, (_keeper, code) = quiz
    rubric = gen_contest(db.session.get(Contest, contest.id).event, name="Lomba Tari")
    login(client, code)
    assert client.get(f"/quiz/{rubric.id}").status_code == 404
    assert client.get("/quiz/99999").status_code == 404


def test_the_quiz_index_goes_straight_to_the_only_console(app, client, quiz):
    contest, _teams, (_keeper, code) = quiz
    login(client, code)
    response = client.get("/quiz/")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/quiz/{contest.id}")


def test_a_tap_without_the_csrf_token_is_refused(quiz, app, tmp_path):
    contest, (awayan, _b, _h), (_keeper, code) = quiz
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login(client, code)
    response = tap(client, contest, awayan, "+100", "csrf-1-tablet")
    assert response.status_code == 400
    assert live_entries(contest) == []


def test_save_round_validates_and_normalises_buttons(app, quiz):
    contest, _teams, _keeper = quiz
    tie_break = quiz_service.save_round(contest, "Soal penentu", "+50; −50")
    assert tie_break.buttons == ["+50", "-50"] and tie_break.position == 4
    with pytest.raises(ServiceError, match="sudah ada"):
        quiz_service.save_round(contest, "Babak wajib", "+100")
    with pytest.raises(ServiceError, match="angka"):
        quiz_service.save_round(contest, "Babak baru", "+banyak")
    quiz_service.save_round(contest, "Babak penentu", ["+100"], tie_break)
    assert [r.name for r in contest.rounds][-1] == "Babak penentu"


def test_a_published_quiz_enters_the_juara_umum(app, quiz):
    contest, (awayan, batumandi, _h), (keeper, _code) = quiz
    quiz_service.record_tap(contest, batumandi, contest.rounds[0], 1, "+100", "r1-tablet", keeper)
    quiz_service.record_tap(contest, awayan, contest.rounds[0], 2, "+50", "r2-tablet", keeper)
    contest.status = "published"
    db.session.commit()
    table = overall_table(contest.event)
    first = table[0]
    assert first.region == "Batumandi"


def test_the_board_shows_the_round_question_and_last_tap_beside_the_team(app, client, quiz):
    contest, (awayan, _b, halong), (keeper, code) = quiz
    login(client, code)
    watcher = socketio.test_client(app, namespace="/live")
    watcher.emit("watch", {"contest": contest.id}, namespace="/live", callback=True)
    tap(client, contest, halong, "-100", "b1-tablet", round_=contest.rounds[2], question=7)
    html = [m for m in watcher.get_received("/live") if m["name"] == "standings"][-1]["args"][0]["html"]
    assert "Babak rebutan · soal 7" in html
    row = html[html.index(f'data-team="{halong.id}"'):]
    row = row[:row.index("</li>")]
    assert 'class="quiz-last quiz-last-minus">−100<' in row
    assert "quiz-last" not in html.replace(row, "")
    watcher.disconnect(namespace="/live")


def test_a_frozen_quiz_board_shows_no_later_taps(app, client, quiz):
    from scoreboard.services.display_state import set_display_state
    contest, (awayan, _b, _h), (keeper, _code) = quiz
    quiz_service.record_tap(contest, awayan, contest.rounds[0], 1, "+100", "f1-tablet", keeper)
    set_display_state(contest, "frozen")
    quiz_service.record_tap(contest, awayan, contest.rounds[0], 2, "+100", "f2-tablet", keeper)
    assert board_scores(client, contest)["Tim Awayan"] == "100.00"
    from scoreboard.realtime import standings_message
    html = standings_message(public_board(contest))["html"]
    assert "quiz-last" not in html and "soal 2" not in html


def test_the_judge_home_links_a_scorekeeper_to_the_console(app, client, quiz):
    contest, _teams, (_keeper, code) = quiz
    login(client, code)
    html = client.get("/judge/").get_data(as_text=True)
    assert f'href="/quiz/{contest.id}"' in html
    assert "Buka konsol pencatat skor" in html


def test_hidden_and_reveal_apply_to_a_quiz_board(app, client, quiz):
    from scoreboard.realtime import standings_message
    from scoreboard.services import display_state
    contest, (awayan, batumandi, halong), (keeper, _code) = quiz
    quiz_service.record_tap(contest, batumandi, contest.rounds[0], 1, "+100", "h1-tablet", keeper)
    quiz_service.record_tap(contest, awayan, contest.rounds[1], 2, "+50", "h2-tablet", keeper)
    quiz_service.record_tap(contest, halong, contest.rounds[2], 3, "-100", "h3-tablet", keeper)

    display_state.set_display_state(contest, "hidden")
    html = standings_message(public_board(contest))["html"]
    assert "100,00" not in html and ">100<" not in html and "quiz-last" not in html
    assert all(row["score"] == "" for row in
               client.get(f"/api/contests/{contest.id}/standings").get_json()["rows"])

    display_state.set_display_state(contest, "reveal")
    display_state.reveal_next(contest)
    assert [(r.team, r.award) for r in public_board(contest).rows] == [("Tim Halong", "Juara III")]
    html = standings_message(public_board(contest))["html"]
    assert "Tim Batumandi" not in html and "quiz-last" not in html and "soal 3" not in html
    display_state.reveal_next(contest)
    display_state.reveal_next(contest)
    assert [(r.team, r.award) for r in public_board(contest).rows] == [
        ("Tim Batumandi", "Juara I"), ("Tim Awayan", "Juara II"), ("Tim Halong", "Juara III")]


@pytest.mark.parametrize("value, signed, shown", [
    (Decimal("300.00"), False, "300"), (Decimal("-100"), False, "\u2212100"),
    (Decimal("0"), False, "0"), (Decimal("12.5"), False, "12,50"), (Decimal("-1000"), False, "\u22121.000"),
    (Decimal("0.125"), False, "0,13"), (Decimal("100"), True, "+100"), (Decimal("-25"), True, "\u221225"),
    (None, False, "")])
def test_points_are_whole_without_decimals_with_a_true_minus(app, value, signed, shown):
    from scoreboard.i18n import points
    with app.test_request_context("/"):
        assert points(value, signed) == shown


def test_points_read_the_english_way_in_english(app):
    from scoreboard.i18n import points
    with app.test_request_context("/?lang=en"):
        assert points(Decimal("-1234.5")) == "\u22121,234.50"


def test_quiz_points_read_the_same_on_the_boards_and_in_the_console(app, client, quiz):
    from scoreboard.realtime import standings_message
    contest, (awayan, batumandi, halong), (keeper, code) = quiz
    wajib, lemparan, rebutan = contest.rounds
    for n in range(3):
        quiz_service.record_tap(contest, awayan, wajib, n + 1, "+100", f"p{n}-tablet", keeper)
    quiz_service.record_tap(contest, batumandi, lemparan, 4, "+50", "p4-tablet", keeper)
    quiz_service.record_tap(contest, halong, rebutan, 5, "-100", "p5-tablet", keeper)

    def score_cell(html, team):
        row = html[html.index(f'data-team="{team.id}"'):]
        row = row[:row.index("</li>")]
        return row[row.index('<span class="score">') + len('<span class="score">'):].split("</span>")[0]

    projector = standings_message(public_board(contest))["html"]
    phone = client.get(f"/board/{contest.id}").get_data(as_text=True)
    for html in (projector, phone):
        assert [score_cell(html, team) for team in (awayan, batumandi, halong)] == ["300", "50", "\u2212100"]
        assert "300,00" not in html and "100,00" not in html and ">-100" not in html
    login(client, code)
    console = client.get(f"/quiz/{contest.id}").get_data(as_text=True)
    for team, shown in ((awayan, "300"), (batumandi, "50"), (halong, "\u2212100")):
        card = console[console.index(f'data-team="{team.id}"'):]
        assert f'">{shown}</span>' in card[:card.index('class="quiz-buttons')]
    # The public API keeps its contract: two decimals, a plain minus.
    assert board_scores(client, contest) == {
        "Tim Awayan": "300.00", "Tim Batumandi": "50.00", "Tim Halong": "-100.00"}
    # The organizer's standings on the contest page read the same.
    from tests.admin_helpers import as_organizer
    from tests.factories import gen_organizer
    organizer_page = as_organizer(app.test_client(), gen_organizer()).get(
        f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert '<td class="num">300</td>' in organizer_page and "300,00" not in organizer_page


@pytest.mark.parametrize("status", ["closed", "published"])
def test_the_heat_of_a_closed_or_published_quiz_cannot_change(app, client, quiz, status):
    """Like taps, undos and corrections: the stage is refused with 409 once the quiz is not open."""
    contest, (awayan, _b, halong), (_keeper, code) = quiz
    contest.status = status
    db.session.commit()
    version = contest.version
    login(client, code)
    response = client.post(f"/quiz/{contest.id}/stage",
                           data={"team": [str(awayan.id), str(halong.id)]})
    assert response.status_code == 409
    assert "tidak sedang dibuka" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).version == version
    assert quiz_state.stage_ids(db.session.get(Contest, contest.id)) == set()
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="quiz_stage")) is None


def test_a_team_that_has_not_played_shows_no_rank_and_no_score(app, client, quiz):
    """One "scored" rule for quiz and rubric: no entry yet is like no sheet yet."""
    contest, (awayan, batumandi, halong), (keeper, code) = quiz
    quiz_service.record_tap(contest, awayan, contest.rounds[0], 1, "+100", "p1-tablet", keeper)
    assert [(row.team.name, row.scored) for row in standings_for(contest)] == [
        ("Tim Awayan", True), ("Tim Batumandi", False), ("Tim Halong", False)]

    def cells(html, team):
        row = html[html.index(f'data-team="{team.id}"'):]
        row = row[:row.index("</li>")]
        rank = row[row.index('<span class="rank">') + len('<span class="rank">'):].split("</span>")[0]
        score = row[row.index('<span class="score">') + len('<span class="score">'):].split("</span>")[0]
        return rank.strip(), score.strip()

    phone = client.get(f"/board/{contest.id}").get_data(as_text=True)
    assert [cells(phone, team) for team in (awayan, batumandi, halong)] == [
        ("1", "100"), ("", "\u2014"), ("", "\u2014")]
    from tests.admin_helpers import as_organizer
    from tests.factories import gen_organizer
    organizer_page = as_organizer(app.test_client(), gen_organizer()).get(
        f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert "<tr><td>\u2014</td><td>Tim Halong</td>" in organizer_page


def test_a_quiz_push_reads_the_quiz_status_once_for_both_languages(app, quiz, monkeypatch):
    """The board carries the quiz's place (PublicBoard.quiz): no query from the template."""
    from scoreboard import realtime
    contest, (awayan, _b, _h), (keeper, _code) = quiz
    quiz_service.record_tap(contest, awayan, contest.rounds[0], 3, "+100", "status-1", keeper)
    live = socketio.test_client(app, namespace=realtime.NAMESPACE)
    live.emit("watch", {"contest": contest.id}, namespace=realtime.NAMESPACE, callback=True)
    live.get_received(realtime.NAMESPACE)
    calls = []
    real = quiz_state.board_status
    monkeypatch.setattr(quiz_state, "board_status",
                        lambda *args: calls.append(args) or real(*args))
    publish.push_contest(contest)
    assert len(calls) == 1  # was one per rendered language
    [push] = [m["args"][0] for m in live.get_received(realtime.NAMESPACE)
              if m["name"] == "standings"]
    assert 'id="quiz-now"' in push["html"] and "Babak wajib · soal 3" in push["html"]
    assert "quiz_status" not in app.jinja_env.globals


@pytest.mark.parametrize("kind", ["tap", "undo"])
def test_the_same_id_racing_itself_is_stored_once(quiz, monkeypatch, kind):
    contest, (awayan, _batumandi, _halong), (keeper, _code) = quiz
    wajib = contest.rounds[0]
    quiz_service.record_tap(contest, awayan, wajib, 1, "+100", "first-tap", keeper)
    quiz_service.record_tap(contest, awayan, wajib, 2, "+100", "second-tap", keeper)
    same = "same-id-tablet"
    send = (lambda: quiz_service.record_tap(contest, awayan, wajib, 3, "+50", same, keeper)[0]) \
        if kind == "tap" else (lambda: quiz_service.undo_last(contest, keeper, client_id=same))
    first = send()
    # The second copy misses the receipt at its first look, as when both requests arrive at once.
    real_receipt = idempotency.saved_receipt
    looks = []
    monkeypatch.setattr(idempotency, "saved_receipt",
                        lambda by, cid: looks.append(cid) or (real_receipt(by, cid) if len(looks) > 1 else None))
    again = send()
    assert again.id == first.id
    entries = db.session.scalars(db.select(QuizEntry).filter_by(contest_id=contest.id)).all()
    assert len(entries) == (3 if kind == "tap" else 2)
    assert sum(e.points for e in entries if not e.undone) == (250 if kind == "tap" else 100)


def test_two_tablets_each_undo_their_own_last_tap(app, quiz):
    """Two scorekeeper tablets (one seat, two browsers): an undo takes back the tap of the
    tablet that asks, never the other tablet's newer tap (issue 10 item 18b)."""
    contest, (awayan, batumandi, _halong), (_keeper, code) = quiz
    first, second = app.test_client(), app.test_client()
    login(first, code)
    login(second, code)
    assert tap(first, contest, awayan, "+100", "first-tap-1").status_code in (200, 302)
    assert tap(second, contest, batumandi, "+100", "second-tap-1").status_code in (200, 302)
    console = first.get(f"/quiz/{contest.id}").get_data(as_text=True)
    # The first tablet's undo button names its own tap, not the second tablet's newer one.
    assert 'data-undo="Tim Awayan +100"' in console
    undone = first.post(f"/quiz/{contest.id}/undo", data={"client_id": "first-undo-1"})
    assert undone.status_code in (200, 302)
    assert board_scores(first, contest) == {"Tim Awayan": "0.00", "Tim Batumandi": "100.00",
                                            "Tim Halong": "0.00"}
    # Nothing of its own left: the first tablet's undo is refused and changes nothing.
    again = first.post(f"/quiz/{contest.id}/undo", data={"client_id": "first-undo-2"},
                       headers={"HX-Request": "true"})
    assert again.status_code == 409 and "Tablet ini belum mencatat poin" in again.get_data(as_text=True)
    assert board_scores(first, contest)["Tim Batumandi"] == "100.00"
    assert second.post(f"/quiz/{contest.id}/undo", data={"client_id": "second-undo-1"}).status_code in (200, 302)
    assert board_scores(first, contest)["Tim Batumandi"] == "0.00"
