"""The judge blueprint: login by link and code, home, score sheets over htmx and plain forms, access."""
import pytest

from scoreboard import create_app
from scoreboard.extensions import db, socketio
from scoreboard.models import (Assignment, AuditEntry, ContestTeam, ReopenRequest, SaveReceipt,
                               Score, Sheet, Team)
from scoreboard.services import access
from tests.conftest import base_config
from tests.factories import gen_contest, gen_judge, gen_sheet, gen_small_contest, gen_team

HTMX = {"HX-Request": "true"}


@pytest.fixture
def small(app):
    """Three teams, criteria Kekompakan (w1) and Kreativitas (w2), 1–10 step 0.5; two judges."""
    return gen_small_contest()


def login(client, code):
    """Open the judge's personal link, as scanning the QR card does."""
    return client.get(f"/judge/login/{access.normalize_code(code)}")


def sheet_url(contest, team):
    return f"/judge/contests/{contest.id}/teams/{team.id}"


def form(contest, *numbers, client_id="tablet-0001", intent="save"):
    data = {f"score-{c.id}": n for c, n in zip(contest.criteria, numbers)}
    data.update(client_id=client_id, intent=intent)
    return data


def stored(judge=None):
    """(team, criterion, value) of every stored score, optionally of one judge."""
    db.session.expire_all()
    query = db.select(Score)
    if judge is not None:
        query = query.filter_by(judge_id=judge.id)
    return sorted((s.team_id, s.criterion_id, str(s.value)) for s in db.session.scalars(query))


def unchanged_snapshot():
    db.session.expire_all()
    return (stored(), sorted((s.id, s.state, s.version) for s in db.session.scalars(db.select(Sheet))),
            db.session.query(SaveReceipt).count(), db.session.query(AuditEntry).count(),
            db.session.query(ReopenRequest).count())


def test_login_by_link_remembers_the_judge(client, small):
    _event, contest, teams, (judge, code), _b = small
    response = login(client, code)
    assert response.status_code == 302 and response.location.endswith("/judge/")
    with client.session_transaction() as session:
        assert session["judge_id"] == judge.id and session.permanent
    home = client.get("/judge/")
    assert "Juri A" in home.text and "Lomba Yel-Yel" in home.text
    assert [t.name for t in teams] == ["Tim Awayan", "Tim Batumandi", "Tim Halong"]
    assert home.text.index("Tim Awayan") < home.text.index("Tim Batumandi") < home.text.index("Tim Halong")


def test_login_by_typed_code_in_any_case_with_dashes(client, small):
    _event, _contest, _teams, (judge, code), _b = small
    response = client.post("/judge/login", data={"code": " " + code.lower() + " "})
    assert response.status_code == 302
    assert "Juri A" in client.get("/judge/").text


def test_a_judge_stays_logged_in_on_two_tablets(app, small):
    _event, contest, teams, (judge, code), _b = small
    first, second = app.test_client(), app.test_client()
    login(first, code)
    login(second, code)
    assert first.get(sheet_url(contest, teams[0])).status_code == 200
    assert second.get(sheet_url(contest, teams[0])).status_code == 200


def test_wrong_codes_are_refused(client, small):
    response = client.post("/judge/login", data={"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 403
    assert "Kode akses tidak dikenal" in response.text
    assert client.get("/judge/login/NOPE").status_code == 403
    with client.session_transaction() as session:
        assert "judge_id" not in session


def test_login_attempts_are_rate_limited(app, small, tmp_path):
    _event, _contest, _teams, (_judge, code), _b = small
    config = base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    config["RATELIMIT_ENABLED"] = True
    limited = create_app(config)
    client = limited.test_client()
    # A successful login does not use up the allowance of a venue full of tablets.
    for _ in range(3):
        assert client.post("/judge/login", data={"code": code}).status_code == 302
    answers = [client.post("/judge/login", data={"code": f"WRONG-{n:04d}"}).status_code
               for n in range(11)]
    assert answers == [403] * 10 + [429]
    # A correct code still logs in: a hall's tablets share one address (issue 13, item 10).
    assert client.get(f"/judge/login/{access.normalize_code(code)}").status_code == 302
    blocked = client.get("/judge/login/SALAHSALAH22")
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.text


def test_a_new_code_logs_old_tablets_out(client, small):
    _event, contest, teams, (judge, code), _b = small
    login(client, code)
    access.set_access_code(judge, access.new_access_code())
    db.session.commit()
    assert client.get(sheet_url(contest, teams[0])).status_code == 302


def test_logout(client, small):
    _event, contest, teams, (_judge, code), _b = small
    login(client, code)
    client.post("/judge/logout")
    assert client.get(sheet_url(contest, teams[0])).location.endswith("/judge/")


def test_home_shows_sheet_states_and_who_is_performing(client, small):
    event, contest, teams, (judge, code), _b = small
    conflicted, _ = gen_judge(event, "Juri Halong", [contest], home="Halong")
    contest.now_performing_id = teams[1].id
    db.session.commit()
    login(client, code)
    client.post(sheet_url(contest, teams[0]), data=form(contest, "7", "", client_id="home-0001"))
    client.post(sheet_url(contest, teams[1]),
                data=form(contest, "7", "8", client_id="home-0002", intent="submit"))
    home = client.get("/judge/").text
    assert 'class="team-row state-draf"' in home
    assert 'class="team-row state-terkirim now"' in home
    assert 'class="team-row state-belum"' in home
    assert "Sedang tampil" in home
    client.post("/judge/logout")
    conflicted_code = access.new_access_code()
    access.set_access_code(conflicted, conflicted_code)
    db.session.commit()
    login(client, conflicted_code)
    assert "Tidak dinilai (kecamatan sendiri)" in client.get("/judge/").text


def test_sheet_page_and_partial(client, small):
    _event, contest, teams, (_judge, code), _b = small
    login(client, code)
    page = client.get(sheet_url(contest, teams[0]))
    assert page.status_code == 200 and "<html" in page.text
    assert 'id="sheet"' in page.text and "Kecamatan Awayan" in page.text
    assert "Nilai 1–10, kelipatan 0,5, bobot 2" in page.text
    assert "HX-Request" in page.headers["Vary"]
    partial = client.get(sheet_url(contest, teams[0]), headers=HTMX)
    assert partial.text.lstrip().startswith('<section id="sheet"')
    assert "<html" not in partial.text


def test_full_flow_save_resave_submit_locked_reopen(client, small):
    _event, contest, teams, (judge, code), (head, head_code) = small
    url = sheet_url(contest, teams[0])
    login(client, code)

    saved = client.post(url, data=form(contest, "7,5", "8", client_id="flow-0001"), headers=HTMX)
    assert saved.status_code == 200
    assert "Tersimpan" in saved.text and "WITA" in saved.text
    assert 'value="7,5"' in saved.text and "23,50" in saved.text  # 7.5 + 2 × 8
    again = client.post(url, data=form(contest, "7,5", "8", client_id="flow-0001"),
                        headers={"Accept": "application/json"})
    assert again.json["ok"] and again.json["repeat"]
    assert (again.json["state"], again.json["version"]) == ("draft", 1)
    assert db.session.query(SaveReceipt).count() == 1
    assert db.session.query(AuditEntry).filter_by(action="sheet.save").count() == 1

    submitted = client.post(url, data=form(contest, "7,5", "9", client_id="flow-0002",
                                           intent="submit"), headers=HTMX)
    assert submitted.status_code == 200
    assert "Terkirim final dan terkunci" in submitted.text and "✔ Terkirim final" in submitted.text
    assert stored() == [(teams[0].id, contest.criteria[0].id, "7.5"),
                        (teams[0].id, contest.criteria[1].id, "9")]

    before = unchanged_snapshot()
    locked = client.post(url, data=form(contest, "1", "1", client_id="flow-0003"), headers=HTMX)
    assert locked.status_code == 409 and "terkunci" in locked.text
    assert unchanged_snapshot() == before

    sheet = db.session.scalar(db.select(Sheet))
    asked = client.post(f"/judge/sheets/{sheet.id}/reopen", data={"reason": "Salah ketik"},
                        headers=HTMX)
    assert asked.status_code == 200 and "menunggu keputusan" in asked.text
    reopen = db.session.scalar(db.select(ReopenRequest))
    assert reopen.status == "pending"

    # A plain judge may not decide; the ketua juri of the contest may.
    refused = client.post(f"/judge/reopen-requests/{reopen.id}",
                          data={"decision": "approve", "reason": "ok"})
    assert refused.status_code == 403
    head_assignment = head.assignments[0]
    head_assignment.role = "head"
    db.session.commit()
    client.post("/judge/logout")
    login(client, head_code)
    head_home = client.get("/judge/").text
    # The waiting request comes before the team list, not below eight teams.
    assert "Salah ketik" in head_home and head_home.index("Salah ketik") < head_home.index('class="team-list"')
    decided = client.post(f"/judge/reopen-requests/{reopen.id}",
                          data={"decision": "approve", "reason": "Disetujui"})
    assert decided.status_code == 302
    db.session.expire_all()
    assert sheet.state == "draft" and reopen.status == "approved"
    assert reopen.decided_by == "ketua juri: Juri B"


def test_save_without_javascript_redirects_and_shows_the_time(client, small):
    _event, contest, teams, (_judge, code), _b = small
    login(client, code)
    url = sheet_url(contest, teams[0])
    response = client.post(url, data=form(contest, "6", "6", client_id="nojs-0001"))
    assert response.status_code == 302 and response.location.endswith(url)
    page = client.get(url).text
    assert "Tersimpan" in page and 'value="6"' in page
    # The page carries a fresh save id, so a double-posted form stores once.
    assert 'name="client_id" value="' in page


@pytest.mark.parametrize("numbers, message", [
    (("11", "5"), "Nilai harus antara 1 dan 10."),
    (("7,25", "5"), "Nilai harus kelipatan 0,5 dari 1."),
    (("abc", "5"), "Nilai harus berupa angka."),
])
def test_invalid_values_get_a_message_beside_the_field(client, small, numbers, message):
    _event, contest, teams, (_judge, code), _b = small
    login(client, code)
    before = unchanged_snapshot()
    response = client.post(sheet_url(contest, teams[0]), data=form(contest, *numbers),
                           headers=HTMX)
    assert response.status_code == 422
    assert f'<p class="field-error" id="error-{contest.criteria[0].id}">{message}</p>' in response.text
    assert f'value="{numbers[0]}"' in response.text  # what the judge typed stays on screen
    assert unchanged_snapshot() == before
    as_json = client.post(sheet_url(contest, teams[0]), data=form(contest, *numbers),
                          headers={"Accept": "application/json"})
    assert as_json.status_code == 422
    assert as_json.json["errors"] == {str(contest.criteria[0].id): message}


def test_every_refusal_is_4xx_and_changes_nothing(client, small):
    event, contest, teams, (judge, code), (other, _other_code) = small
    other_contest = gen_contest(event, name="Lomba Tari Kreasi", teams=teams)
    closed = gen_contest(event, name="Lomba Penyuluhan KB", status="closed", teams=teams)
    stranger = gen_team(event, "Tim Juai", "Juai")
    judge.home_region_id = teams[2].region_id
    db.session.add(judge)
    db.session.add(Assignment(judge=judge, contest=closed, role="judge"))
    db.session.commit()
    others_sheet = gen_sheet(contest, other, teams[0], [5, 5])
    login(client, code)
    before = unchanged_snapshot()
    cases = [
        (sheet_url(contest, teams[0]), {f"score-{other_contest.criteria[0].id}": "5",
                                        "client_id": "case-0001"}, 422),
        (sheet_url(contest, teams[0]), {"score-x": "5", "client_id": "case-0002"}, 422),
        (sheet_url(contest, teams[0]), form(contest, "5", "5", client_id="no"), 422),
        (sheet_url(contest, teams[2]), form(contest, "5", "5", client_id="case-0003"), 403),
        (sheet_url(closed, teams[0]), form(closed, "5", client_id="case-0004"), 409),
        (sheet_url(other_contest, teams[0]), form(other_contest, "5", client_id="case-0005"), 403),
        (sheet_url(contest, stranger), form(contest, "5", "5", client_id="case-0006"), 404),
        (f"/judge/contests/999/teams/{teams[0].id}", form(contest, "5", "5"), 404),
        (f"/judge/sheets/{others_sheet.id}/reopen", {"reason": "bukan punya saya"}, 403),
        ("/judge/sheets/999/reopen", {"reason": "tidak ada"}, 404),
    ]
    for url, data, status in cases:
        response = client.post(url, data=data, headers=HTMX)
        assert response.status_code == status, (url, data, response.status_code)
        assert unchanged_snapshot() == before, (url, data)
    conflict = client.post(sheet_url(contest, teams[2]), data=form(contest, "5", "5",
                                                                   client_id="case-0007"))
    assert "kecamatan Anda sendiri" in conflict.text


def test_another_judge_never_sees_or_writes_my_scores(app, small):
    _event, contest, teams, (judge, code), (_other, other_code) = small
    mine, theirs = app.test_client(), app.test_client()
    login(mine, code)
    login(theirs, other_code)
    mine.post(sheet_url(contest, teams[0]), data=form(contest, "9,5", "9,5", client_id="mine-0001"))
    page = theirs.get(sheet_url(contest, teams[0])).text
    assert "9,5" not in page and "Belum ada nilai tersimpan" in page
    theirs.post(sheet_url(contest, teams[0]), data=form(contest, "1", "1", client_id="mine-0001"))
    assert stored(judge) == [(teams[0].id, contest.criteria[0].id, "9.5"),
                             (teams[0].id, contest.criteria[1].id, "9.5")]


def test_anonymous_requests_are_refused(client, small):
    _event, contest, teams, _a, _b = small
    before = unchanged_snapshot()
    assert client.get(sheet_url(contest, teams[0])).location.endswith("/judge/")
    assert client.post(sheet_url(contest, teams[0]), data=form(contest, "5", "5")).status_code == 403
    assert client.post(sheet_url(contest, teams[0]), data=form(contest, "5", "5"),
                       headers={"Accept": "application/json"}).json == {
        "error": "Anda tidak berhak membuka halaman ini."}
    assert client.post("/judge/sheets/1/reopen", data={"reason": "x"}).status_code == 403
    assert client.post("/judge/reopen-requests/1", data={"decision": "approve"}).status_code == 403
    assert unchanged_snapshot() == before
    assert "Kode akses" in client.get("/judge/").text


def test_a_post_without_the_csrf_token_is_refused(app, small, tmp_path):
    _event, contest, teams, (_judge, code), _b = small
    config = base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    config["WTF_CSRF_ENABLED"] = True
    client = create_app(config).test_client()
    login(client, code)  # the login link is a GET: no token needed
    before = unchanged_snapshot()
    response = client.post(sheet_url(contest, teams[0]), data=form(contest, "5", "5"), headers=HTMX)
    assert response.status_code == 400
    assert "Sesi formulir kedaluwarsa" in response.text
    assert unchanged_snapshot() == before


def test_team_names_are_text_not_markup(client, small):
    event, contest, _teams, (_judge, code), _b = small
    team = gen_team(event, '<script>alert("x")</script>', "Juai")
    db.session.add(ContestTeam(contest=contest, team=team, order_no=4))
    db.session.commit()
    login(client, code)
    for page in (client.get("/judge/").text, client.get(sheet_url(contest, team)).text):
        assert '<script>alert("x")' not in page
        assert "&lt;script&gt;alert(" in page
    assert db.session.get(Team, team.id).name.startswith("<script>")


def test_a_submit_is_pushed_to_everyone_watching_and_a_draft_is_not(app, client, small):
    _event, contest, teams, (_judge, code), _b = small
    watcher = socketio.test_client(app, namespace="/live", flask_test_client=client)
    assert watcher.emit("watch", {"contest": contest.id, "rows": True}, namespace="/live",
                         callback=True)["ok"]
    login(client, code)
    client.post(sheet_url(contest, teams[0]), data=form(contest, "7", "8", client_id="push-0001"))
    assert [m for m in watcher.get_received("/live") if m["name"] == "standings"] == []
    version = contest.version
    client.post(sheet_url(contest, teams[0]),
                data=form(contest, "7", "8", client_id="push-0002", intent="submit"))
    pushes = [m["args"][0] for m in watcher.get_received("/live") if m["name"] == "standings"]
    assert len(pushes) == 1
    assert pushes[0]["version"] == version + 1
    assert pushes[0]["rows"][0]["team"] == "Tim Awayan" and pushes[0]["rows"][0]["score"] == "23.00"
    watcher.disconnect(namespace="/live")


def test_reopen_as_a_plain_form_and_the_head_judges_own_request(client, small):
    _event, contest, teams, (judge, code), _b = small
    judge.assignments[0].role = "head"
    db.session.commit()
    login(client, code)
    client.post(sheet_url(contest, teams[0]),
                data=form(contest, "5", "5", client_id="head-0001", intent="submit"))
    sheet = db.session.scalar(db.select(Sheet))
    asked = client.post(f"/judge/sheets/{sheet.id}/reopen", data={"reason": "Salah tim"})
    assert asked.status_code == 302
    assert "menunggu keputusan" in client.get(asked.location).text
    reopen = db.session.scalar(db.select(ReopenRequest))
    # A ketua juri does not approve their own request: the panitia does.
    own = client.post(f"/judge/reopen-requests/{reopen.id}",
                      data={"decision": "approve", "reason": "sendiri"})
    assert own.status_code == 403 and "diputuskan oleh panitia" in own.text
    db.session.expire_all()
    assert reopen.status == "pending" and sheet.state == "submitted"


def test_a_refused_save_never_claims_the_screen_is_saved(client, small):
    _event, contest, teams, (_judge, code), _b = small
    login(client, code)
    url = sheet_url(contest, teams[0])
    client.post(url, data=form(contest, "6", "6", client_id="shown-0001"), headers=HTMX)
    refused = client.post(url, data=form(contest, "12", "6", client_id="shown-0002"), headers=HTMX)
    assert refused.status_code == 422 and 'value="12"' in refused.text
    assert "✔ Tersimpan" not in refused.text
    assert "Perubahan belum disimpan. Terakhir tersimpan" in refused.text and "WITA" in refused.text


def test_a_refused_edit_of_a_locked_sheet_shows_the_stored_scores(client, small):
    _event, contest, teams, (_judge, code), _b = small
    login(client, code)
    url = sheet_url(contest, teams[0])
    client.post(url, data=form(contest, "6", "7,5", client_id="kept-0001", intent="submit"))
    locked = client.post(url, data=form(contest, "1", "2", client_id="kept-0002"), headers=HTMX)
    assert locked.status_code == 409
    cells = [cell.split("</td>")[0] for cell in locked.text.split("<td>")[1:]]
    assert cells == ["6", "7,5", "21,00"]


def test_the_greeting_of_a_judge_with_a_degree_ends_with_one_full_stop(client, small):
    event, contest, _teams, _a, _b = small
    _judge, code = gen_judge(event, "Ahmad Fauzi, S.Pd.", [contest])
    home = client.get(login(client, code).location).text
    assert "Selamat datang, Ahmad Fauzi, S.Pd." in home and "S.Pd.." not in home


def test_the_ketua_juri_finds_the_fairness_preview_on_the_home_page(app, client):
    event, contest, teams, (judge, code), _ = gen_small_contest()
    head, head_code = gen_judge(event, "Ketua Juri", [contest], role="head")
    login(client, code)
    assert "Pratinjau keadilan" not in client.get("/judge/").get_data(as_text=True)
    other = app.test_client()
    login(other, head_code)
    page = other.get("/judge/").get_data(as_text=True)
    assert f'href="/fairness/{contest.id}"' in page
    assert other.get(f"/fairness/{contest.id}").status_code == 200


def test_reopen_of_a_locked_or_published_contest_is_refused_with_409(client, small):
    """Neither the judge's request nor the ketua juri's approval reopens a sheet once results are locked."""
    _event, contest, teams, (judge, code), (head, head_code) = small
    head.assignments[0].role = "head"
    asked = gen_sheet(contest, judge, teams[0], [9, 9])
    reopen = ReopenRequest(sheet_id=asked.id, reason="Salah tim")
    db.session.add(reopen)
    other = gen_sheet(contest, judge, teams[1], [8, 8])
    contest.status = "closed"
    db.session.commit()
    before = unchanged_snapshot()
    login(client, code)
    response = client.post(f"/judge/sheets/{other.id}/reopen", data={"reason": "Salah ketik"},
                           headers=HTMX)
    assert response.status_code == 409 and "sedang tidak dibuka" in response.text
    contest.status = "published"
    db.session.commit()
    client.post("/judge/logout")
    login(client, head_code)
    response = client.post(f"/judge/reopen-requests/{reopen.id}",
                           data={"decision": "approve", "reason": "Disetujui"})
    assert response.status_code == 409 and "membuka kunci lomba" in response.text
    assert unchanged_snapshot() == before
    assert db.session.get(ReopenRequest, reopen.id).status == "pending"


def test_a_save_id_reused_for_another_team_gets_409_and_stores_nothing(client, small):
    """The tablet is never told "saved" for a sheet that was not stored."""
    _event, contest, teams, (_judge, code), _b = small
    login(client, code)
    first = client.post(sheet_url(contest, teams[0]), data=form(contest, "7", "7", client_id="same-0001"),
                        headers={"Accept": "application/json"})
    assert first.status_code == 200 and first.json["ok"]
    before = unchanged_snapshot()
    reused = client.post(sheet_url(contest, teams[1]), data=form(contest, "9", "9", client_id="same-0001"),
                         headers=HTMX)
    assert reused.status_code == 409 and "lembar lain" in reused.text
    assert unchanged_snapshot() == before


def test_the_home_costs_the_same_few_queries_however_many_teams(client, small):
    """The judge's home preloads each contest: no query per team (was 11 for three teams, 15 for six)."""
    from tests.test_admin_running import add_teams, count_queries
    event, contest, teams, (judge, code), _b = small
    login(client, code)
    gen_sheet(contest, judge, teams[0], [7, 8])

    def home():
        page = client.get("/judge/")
        assert page.status_code == 200
        return page.text

    three = count_queries(home)
    add_teams(event, contest, ("Juai", "Awayan", "Batumandi"))
    assert "Tim Tambahan Juai" in home()
    six = count_queries(home)
    assert six == three <= 12


def test_the_english_sheet_shows_english_numbers(client, small):
    _event, contest, teams, (_judge, code), _b = small
    assert client.get(f"/judge/login/{access.normalize_code(code)}?lang=en").status_code == 302
    saved = client.post(sheet_url(contest, teams[0]), data=form(contest, "7,5", "8"), headers=HTMX)
    assert "23.50" in saved.text and "23,50" not in saved.text  # 7.5 + 2 × 8
    english = client.get(sheet_url(contest, teams[0])).text
    assert "23.50" in english and "23,50" not in english
    assert 'value="7.5"' in english and "0.5" in english and "0,5" not in english


def test_the_offline_page_opens_for_a_logged_in_judge_too(client, small):
    """Found by the fuzzing of issue 13: the tablet's offline page was a 500 once logged in."""
    _event, contest, teams, (_judge, code), _b = small
    login(client, code)
    page = client.get("/judge/offline")
    assert page.status_code == 200
    assert "Jaringan terputus" in page.get_data(as_text=True)


def test_the_service_worker_is_served_from_the_judges_scope(client):
    """/judge/sw.js as JavaScript that a tablet re-checks at once (its scope is /judge/)."""
    worker = client.get("/judge/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache" and "papan-skor-judge" in worker.text
