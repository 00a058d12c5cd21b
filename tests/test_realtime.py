"""The /live namespace: pushes after saves, versions, frozen and reveal pushes, read-only clients."""
import re
import uuid

import pytest

from scoreboard import realtime
from scoreboard.extensions import db, socketio
from scoreboard.models import Contest
from scoreboard.services import display_state, publish
from scoreboard.services.errors import ServiceError
from scoreboard.services.public_board import public_board
from scoreboard.services.sheets import submit_sheet
from tests.factories import gen_contest, gen_sheet, gen_small_contest, gen_team

NS = "/live"


def submit(contest, judge, team, values):
    """A judge's final submit through the real service (commit, then one push)."""
    by_criterion = {c.id: str(v) for c, v in zip(contest.criteria, values)}
    return submit_sheet(judge, contest, team, by_criterion, client_id=uuid.uuid4().hex)


def watcher(app, client, contest_id):
    """A Socket.IO test client that watches one contest; returns it with its joining ack."""
    live = socketio.test_client(app, namespace=NS, flask_test_client=client)
    ack = live.emit("watch", {"contest": contest_id, "rows": True}, namespace=NS,
                    callback=True)
    assert ack == {"ok": True}
    live.get_received(NS)
    return live


def pushes(live, name="standings"):
    return [m["args"][0] for m in live.get_received(NS) if m["name"] == name]


@pytest.fixture
def setup(app, client):
    event, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
    other = gen_contest(event, name="Lomba Tari Kreasi", teams=teams)
    return event, contest, other, teams, judge_a, judge_b


def test_a_save_pushes_once_to_watchers_of_that_contest_only(app, client, setup):
    event, contest, other, teams, judge_a, _ = setup
    mine = watcher(app, client, contest.id)
    theirs = watcher(app, client, other.id)
    before = contest.version

    submit(contest, judge_a, teams[1], [9, 8])

    received = pushes(mine)
    assert len(received) == 1
    push = received[0]
    assert push["contest"] == contest.id
    assert push["version"] == before + 1 == db.session.get(Contest, contest.id).version
    assert push["rows"][0] == {"rank": 1, "award": "Juara I", "team": "Tim Batumandi",
                               "region": "Batumandi", "score": "25.00", "complete": False}
    assert 'data-version="%d"' % push["version"] in push["html"]
    assert "25,00" in push["html"]
    assert pushes(theirs) == []


def pushes_after(app, client, contest, *saves):
    """The pushes a board watching `contest` receives while each (judge, team, scores) is submitted."""
    live = watcher(app, client, contest.id)
    for judge, team, scores in saves:
        submit(contest, judge, team, scores)
    return pushes(live)


def test_versions_increase_with_every_save(app, client, setup):
    _, contest, _, teams, judge_a, judge_b = setup
    received = pushes_after(app, client, contest, (judge_a, teams[0], [5, 5]),
                            (judge_b, teams[0], [6, 6]), (judge_a, teams[2], [7, 7]))
    versions = [p["version"] for p in received]
    assert versions == sorted(versions) and len(set(versions)) == 3
    assert versions[-1] == versions[0] + 2


def test_a_draft_pushes_nothing(app, client, setup):
    _, contest, _, teams, judge_a, _ = setup
    live = watcher(app, client, contest.id)
    from scoreboard.services.sheets import save_sheet
    save_sheet(judge_a, contest, teams[0], {contest.criteria[0].id: "8"}, uuid.uuid4().hex)
    assert pushes(live) == []


def test_pushes_carry_no_individual_scores(app, client, setup):
    _, contest, _, teams, judge_a, judge_b = setup
    push = pushes_after(app, client, contest, (judge_a, teams[0], [9.5, 3]),
                        (judge_b, teams[0], [4.5, 8]))[-1]
    assert set(push) == {"contest", "version", "status", "html", "rows"}
    assert all(set(row) == {"rank", "award", "team", "region", "score", "complete"}
               for row in push["rows"])
    # The judges' own totals (15.50 and 20.50) and names never leave the server.
    assert "Juri A" not in push["html"] and "15,50" not in push["html"]
    assert push["rows"][0]["score"] == "18.00"


def test_frozen_pushes_and_api_keep_the_frozen_numbers(app, client, setup):
    _, contest, _, teams, judge_a, judge_b = setup
    submit(contest, judge_a, teams[0], [5, 5])
    display_state.set_display_state(contest, "frozen")
    frozen_version = contest.version
    live = watcher(app, client, contest.id)
    frozen_api = client.get(f"/api/contests/{contest.id}/standings").get_json()

    submit(contest, judge_a, teams[1], [10, 10])
    submit(contest, judge_b, teams[1], [10, 10])

    assert db.session.get(Contest, contest.id).version == frozen_version + 2
    received = pushes(live)
    assert len(received) == 2
    for push in received:
        assert push["version"] == frozen_version
        assert push["rows"] == frozen_api["rows"]
        assert push["rows"][0]["team"] == "Tim Awayan"
        assert "30,00" not in push["html"]
    after = client.get(f"/api/contests/{contest.id}/standings").get_json()
    assert after == frozen_api
    assert after["frozen"] is True and after["version"] == frozen_version

    display_state.set_display_state(contest, "live")
    push = pushes(live)[-1]
    assert push["version"] == frozen_version + 3
    assert push["rows"][0] == {"rank": 1, "award": "Juara I", "team": "Tim Batumandi",
                               "region": "Batumandi", "score": "30.00", "complete": True}


def test_reveal_sends_awards_from_the_lowest_to_juara_i(app, client):
    event, contest, teams, (judge_a, _), _ = gen_small_contest()
    teams.append(gen_team(event, "Tim Juai", "Juai"))
    contest.entries.append(type(contest.entries[0])(team=teams[3], order_no=4))
    contest.award_labels = ["Juara I", "Juara II", "Juara III"]
    db.session.commit()
    for team, values in zip(teams, ([6, 6], [9, 9], [7, 7], [2, 2])):
        gen_sheet(contest, judge_a, team, values)
    live = watcher(app, client, contest.id)

    display_state.set_display_state(contest, "reveal", confirm_provisional=True)  # one judge of two
    assert pushes(live)[-1]["rows"] == []
    shown = []
    for _ in range(3):
        display_state.reveal_next(contest)
        shown.append([row["team"] for row in pushes(live)[-1]["rows"]])
    assert shown == [["Tim Awayan"],
                     ["Tim Halong", "Tim Awayan"],
                     ["Tim Batumandi", "Tim Halong", "Tim Awayan"]]
    # Past the last award: nothing more to reveal, and the fourth team never reached the public.
    with pytest.raises(ServiceError):
        display_state.reveal_next(contest)
    assert pushes(live) == []


def test_client_events_cannot_change_anything(app, client, setup):
    _, contest, _, teams, judge_a, _ = setup
    live = watcher(app, client, contest.id)
    version = contest.version
    for name, payload in [("standings", {"contest": contest.id, "version": 99, "html": "<b>x</b>",
                                         "rows": []}),
                          ("freeze", {"contest": contest.id}),
                          ("set_display_state", {"contest": contest.id, "state": "hidden"}),
                          ("now_performing", {"contest": contest.id, "team_id": teams[0].id}),
                          ("save", {"contest": contest.id, "team": teams[0].id, "values": [10]})]:
        live.emit(name, payload, namespace=NS)
    assert live.get_received(NS) == []
    db.session.expire_all()
    fresh = db.session.get(Contest, contest.id)
    assert (fresh.version, fresh.display_state, fresh.now_performing_id) == (version, "live", None)


@pytest.mark.parametrize("payload", [{"contest": 9999}, {"contest": "1"}, {"contest": True},
                                     {}, "1", None, {"hall": 9999}, {"overall": 9999}])
def test_watch_refuses_unknown_contests(app, client, setup, payload):
    live = socketio.test_client(app, namespace=NS, flask_test_client=client)
    ack = live.emit("watch", payload, namespace=NS, callback=True)
    assert ack["ok"] is False


def test_now_performing_is_pushed_with_team_and_region(app, client, setup):
    _, contest, _, teams, _, _ = setup
    live = watcher(app, client, contest.id)
    display_state.set_now_performing(contest, teams[2])
    assert pushes(live, "now_performing") == [{"contest": contest.id, "team_id": teams[2].id,
                                               "team": "Tim Halong", "region": "Halong"}]


def test_hall_watchers_follow_the_organizers_choice(app, client, setup):
    event, contest, other, _, _, _ = setup
    live = socketio.test_client(app, namespace=NS, flask_test_client=client)
    assert live.emit("watch", {"hall": event.id}, namespace=NS, callback=True) == {"ok": True}
    display_state.set_hall_contest(event, other)
    display_state.set_hall_contest(event, None)
    assert pushes(live, "hall") == [
        {"event": event.id, "view": "contest", "contest": other.id},
        {"event": event.id, "view": "overall", "contest": None}]


def test_team_names_are_pushed_as_text(app, client):
    event, contest, teams, (judge_a, _), _ = gen_small_contest()
    teams[0].name = '<img src=x onerror="alert(1)">'
    db.session.commit()
    live = watcher(app, client, contest.id)
    gen_sheet(contest, judge_a, teams[0], [5, 5])
    publish.push_contest(contest)
    push = pushes(live)[-1]
    assert "<img" not in push["html"] and "&lt;img" in push["html"]
    assert push["rows"][0]["team"] == '<img src=x onerror="alert(1)">'


def test_hall_showing_juara_umum_refreshes_when_results_are_published_not_on_saves(app, client,
                                                                                 setup):
    from scoreboard.services import running
    event, contest, _, teams, judge_a, judge_b = setup
    display_state.set_hall_contest(event, None)
    live = socketio.test_client(app, namespace=NS, flask_test_client=client)
    live.emit("watch", {"hall": event.id}, namespace=NS, callback=True)
    live.get_received(NS)
    for team, values in zip(teams, ([5, 5], [9, 9], [7, 7])):
        submit(contest, judge_a, team, values)
        submit(contest, judge_b, team, values)
    assert pushes(live, "hall") == []  # an open contest never changes juara umum
    running.lock_contest(contest)
    live.get_received(NS)
    running.publish_contest(contest)
    assert pushes(live, "hall") == [{"event": event.id, "view": "overall", "contest": None}]


def test_juara_umum_phones_get_the_table_when_results_are_published_or_withdrawn(app, client, setup):
    from scoreboard.services import running
    event, contest, other, teams, judge_a, judge_b = setup
    phone = socketio.test_client(app, namespace=NS, flask_test_client=client)
    assert phone.emit("watch", {"overall": event.id}, namespace=NS, callback=True) == {"ok": True}
    board_only = watcher(app, client, contest.id)
    for team, values in zip(teams, ([5, 5], [9, 9], [7, 7])):
        submit(contest, judge_a, team, values)
        submit(contest, judge_b, team, values)
    assert pushes(phone, "overall") == []  # saves in an open contest never change juara umum

    running.lock_contest(contest)
    running.publish_contest(contest)
    table = pushes(phone, "overall")[-1]
    assert table["event"] == event.id and table["sig"] == f"{contest.id}:{contest.version}"
    assert '<section id="overall"' in table["html"] and "1 lomba diumumkan" in table["html"]
    assert re.search(r'Batumandi</td>\s*<td class="num">1</td>', table["html"])
    assert pushes(board_only, "overall") == []

    running.step_back(contest, "unpublish", "Salah input nilai")
    assert "0 lomba diumumkan" in pushes(phone, "overall")[-1]["html"]


def test_a_push_costs_the_same_few_queries_however_many_teams(app, client):
    """Rendered once per change: no query per team (a commit expires every loaded row)."""
    from sqlalchemy import event as sa_event
    event, contest, teams, (judge_a, _), _ = gen_small_contest()
    statements = []

    def count(*_args):
        statements.append(1)

    def queries_per_push():
        db.session.expire_all()
        statements.clear()
        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            realtime.standings_message(public_board(contest))
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    for team in teams:
        gen_sheet(contest, judge_a, team, [5, 5])
    three = queries_per_push()
    for region in ("Juai", "Awayan", "Batumandi"):
        team = gen_team(event, f"Tim Tambahan {region}", region)
        contest.entries.append(type(contest.entries[0])(team=team, order_no=len(contest.entries) + 1))
        db.session.commit()
        gen_sheet(contest, judge_a, team, [6, 6])
    # The contest and its board (5), who performed, penalty points, the stage timer; the scores
    # (plain_rows, not counted here); no penalty reasons while nobody has a penalty.
    assert queries_per_push() == three <= 8


def test_a_coalesced_push_reads_its_contest_once(app, client, monkeypatch):
    """The event-day server's push (in a greenlet of its own, a new session) loads the contest
    with its teams, panel and criteria once; building the board loads none of them again."""
    from sqlalchemy import event as sa_event
    event, contest, teams, (judge_a, _), _ = gen_small_contest()
    gen_sheet(contest, judge_a, teams[0], [5, 5])
    board = watcher(app, client, contest.id)
    team_name = teams[0].name
    app.config["PUSH_INTERVAL_SECONDS"] = 0.2
    pushes_to_run = []
    monkeypatch.setattr(socketio, "start_background_task",
                        lambda run, *args: pushes_to_run.append((run, args)))
    publish.schedule_push(contest)
    db.session.remove()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        [(run, args)] = pushes_to_run
        run(*args)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    [pushed] = pushes(board)
    assert team_name in pushed["html"]
    assert len([s for s in statements if re.search(r"\bFROM contest\b", s)]) == 1
    # Entries (with teams and regions), panel and criteria: one statement each, none again and
    # none a row at a time.
    board_loads = [s for s in statements
                   if re.search(r"\bFROM (contest_team|assignment|team|judge|region|criterion)\b", s)]
    assert len(board_loads) == 3 and all("contest_id IN (" in s for s in board_loads)


def test_a_board_gets_the_html_alone_and_rows_only_when_asked(app, client, setup):
    _event, contest, _other, teams, judge_a, _ = setup
    board = socketio.test_client(app, namespace=NS, flask_test_client=app.test_client())
    assert board.emit("watch", {"contest": contest.id}, namespace=NS, callback=True) == {"ok": True}
    data = watcher(app, client, contest.id)
    board.get_received(NS)

    submit(contest, judge_a, teams[1], [9, 8])

    [on_board] = pushes(board)
    [with_rows] = pushes(data)
    assert "rows" not in on_board and on_board["html"] == with_rows["html"]
    assert [row["team"] for row in with_rows["rows"] if row["score"] == "25.00"] == ["Tim Batumandi"]
    # Whitespace runs are one space: the fragment a thousand phones receive carries no indentation.
    assert "Tim Batumandi" in on_board["html"] and "  " not in on_board["html"]
    assert "\n" not in on_board["html"]


def test_each_language_gets_one_push_rendered_in_its_language(app, client, setup):
    _event, contest, _other, teams, judge_a, _ = setup
    indonesian = watcher(app, client, contest.id)
    english = socketio.test_client(app, namespace=NS, flask_test_client=app.test_client())
    assert english.emit("watch", {"contest": contest.id, "lang": "en", "rows": True}, namespace=NS,
                        callback=True) == {"ok": True}
    english.get_received(NS)

    submit(contest, judge_a, teams[1], [9, 8])

    [in_id] = pushes(indonesian)
    [in_en] = pushes(english)
    assert in_id["version"] == in_en["version"] and in_id["rows"] == in_en["rows"]
    assert "25,00" in in_id["html"] and "sementara" in in_id["html"]
    assert "25.00" in in_en["html"] and "provisional" in in_en["html"]


def test_a_push_renders_only_the_languages_someone_watches(app, client, setup, monkeypatch):
    """Rendering for an empty room would cost every save a template for nobody."""
    _event, contest, _other, teams, judge_a, judge_b = setup
    rendered = []
    real = realtime.standings_message
    monkeypatch.setattr(realtime, "standings_message",
                        lambda board, lang="id": rendered.append(lang) or real(board, lang))
    indonesian = watcher(app, client, contest.id)

    submit(contest, judge_a, teams[1], [9, 8])
    assert rendered == ["id"] and len(pushes(indonesian)) == 1

    english = socketio.test_client(app, namespace=NS, flask_test_client=app.test_client())
    assert english.emit("watch", {"contest": contest.id, "lang": "en"}, namespace=NS,
                        callback=True) == {"ok": True}
    english.get_received(NS)
    submit(contest, judge_b, teams[1], [7, 7])
    assert rendered == ["id", "id", "en"]
    assert "provisional" in pushes(english)[0]["html"]


def test_now_performing_reaches_watchers_in_every_language(app, client, setup):
    _event, contest, _other, teams, _judge_a, _ = setup
    indonesian = watcher(app, client, contest.id)
    english = socketio.test_client(app, namespace=NS, flask_test_client=app.test_client())
    english.emit("watch", {"contest": contest.id, "lang": "en"}, namespace=NS, callback=True)
    english.get_received(NS)
    display_state.set_now_performing(contest, teams[0])
    assert [p["team"] for p in pushes(indonesian, "now_performing")] == ["Tim Awayan"]
    assert [p["team"] for p in pushes(english, "now_performing")] == ["Tim Awayan"]


def test_a_failing_push_never_turns_a_saved_change_into_an_error(app, monkeypatch):
    """The message queue is down: penalty, quiz tap and display change still answer as usual, once."""
    from scoreboard.models import Penalty, QuizEntry
    from tests.admin_helpers import as_organizer
    from tests.factories import gen_organizer, gen_quiz_contest

    def broken(*_args, **_kwargs):
        raise ConnectionError("message queue down")

    monkeypatch.setattr(socketio, "emit", broken)
    _event, contest, teams, _a, _b = gen_small_contest()
    organizer = app.test_client()
    as_organizer(organizer, gen_organizer())

    penalty = organizer.post(f"/admin/contests/{contest.id}/penalties",
                             data={"team_id": teams[0].id, "points": "2", "reason": "Lewat waktu"})
    assert penalty.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Penalty.id))) == 1

    display = organizer.post(f"/admin/contests/{contest.id}/display", data={"state": "frozen"})
    assert display.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).display_state == "frozen"

    quiz, quiz_teams, (_keeper, code) = gen_quiz_contest(contest.event, regions=None,
                                                         teams=teams)
    keeper = app.test_client()
    assert keeper.get(f"/judge/login/{code.replace('-', '')}").status_code == 302
    tap = keeper.post(f"/quiz/{quiz.id}/tap", data={
        "tap": f"{quiz_teams[0].id}:+100", "client_id": "tap-broken-01", "question": "1",
        "round": str(quiz.rounds[0].id)})
    assert tap.status_code in (200, 302, 303)
    assert db.session.scalar(db.select(db.func.count(QuizEntry.id))) == 1


def test_a_deleted_organizers_session_cannot_join_the_organizers_room(app, client):
    from scoreboard.models import Organizer
    from tests.admin_helpers import as_organizer
    from tests.factories import gen_organizer
    organizer = gen_organizer()
    db.session.commit()
    as_organizer(client, organizer)
    live = socketio.test_client(app, namespace=NS, flask_test_client=client)
    assert live.emit("watch_admin", {}, namespace=NS, callback=True) == {"ok": True}
    db.session.delete(db.session.get(Organizer, organizer.id))
    db.session.commit()
    stale = socketio.test_client(app, namespace=NS, flask_test_client=client)
    assert stale.emit("watch_admin", {}, namespace=NS, callback=True)["ok"] is False
    assert client.get("/admin/").status_code in (302, 403)
    assert client.get("/export/").status_code == 403


def test_the_api_document_names_every_socket_event_both_ways():
    """docs/API.md documents each event the server handles and each one it pushes."""
    from pathlib import Path
    source = Path(realtime.__file__).read_text(encoding="utf-8")
    doc = (Path(__file__).resolve().parents[1] / "docs" / "API.md").read_text(encoding="utf-8")
    handled = set(re.findall(r'@socketio\.on\("(\w+)"', source))
    pushed = set(re.findall(r'socketio\.emit\("(\w+)"', source))
    assert handled == {"watch", "unwatch", "watch_admin", "watch_judge", "clock"}
    assert {"progress", "reopen", "sheet"} <= pushed
    client_part, server_part = doc.split("### Client → server")[1].split("### Server → client")
    for name in handled:
        assert f"| `{name}` |" in client_part, name
    for name in pushed:
        assert f"`{name}`, to " in server_part, name


def test_reopen_requests_reach_the_console_and_the_decision_reaches_that_judge(app, client):
    """Item 6: the console hears of a request at once; the judge hears of the decision."""
    from scoreboard.services import access
    from scoreboard.services.sheets import decide_reopen, request_reopen
    from tests.admin_helpers import as_organizer
    from tests.factories import gen_organizer
    _event, contest, teams, (judge_a, code_a), (judge_b, code_b) = gen_small_contest()
    sheet = gen_sheet(contest, judge_a, teams[0], [8, 8])
    as_organizer(client, gen_organizer())
    console = socketio.test_client(app, namespace=NS, flask_test_client=client)
    assert console.emit("watch_admin", {}, namespace=NS, callback=True) == {"ok": True}
    tablets = {}
    for name, code in (("a", code_a), ("b", code_b)):
        browser = app.test_client()
        browser.get(f"/judge/login/{access.normalize_code(code)}")
        tablets[name] = socketio.test_client(app, namespace=NS, flask_test_client=browser)
        assert tablets[name].emit("watch_judge", {}, namespace=NS, callback=True) == {"ok": True}
    stranger = socketio.test_client(app, namespace=NS, flask_test_client=app.test_client())
    assert stranger.emit("watch_judge", {}, namespace=NS, callback=True)["ok"] is False

    request = request_reopen(judge_a, sheet, "Salah ketik pada kriteria kedua")
    assert pushes(console, "reopen") == [{"contest": contest.id, "request": request.id,
                                          "status": "pending"}]
    decide_reopen(request, True, "Disetujui ketua juri", decided_by="panitia: uji")
    assert pushes(console, "reopen")[-1]["status"] == "approved"
    mine = pushes(tablets["a"], "sheet")
    assert mine[-1] == {"contest": contest.id, "team": teams[0].id, "state": "draft",
                        "version": 2, "reopen": "approved"}
    assert pushes(tablets["b"], "sheet") == [] and pushes(stranger, "sheet") == []
