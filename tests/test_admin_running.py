"""Running the day from the console: draw, now performing, display, penalties, matrix, closing."""
import pytest

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Penalty, ReopenRequest, Sheet
from scoreboard.services import access, running
from scoreboard.services.errors import ServiceError
from tests.admin_helpers import as_organizer
from tests.factories import gen_judge, gen_organizer, gen_sheet, gen_small_contest


@pytest.fixture
def run(app, client):
    """A small open contest (3 teams, 2 judges) and an organizer's client."""
    event, contest, teams, judge_a, judge_b = gen_small_contest()
    as_organizer(client, gen_organizer())
    return {"event": event, "contest": contest, "teams": teams, "a": judge_a[0], "b": judge_b[0],
            "client": client}


def audits(action, contest_id=None):
    query = db.select(AuditEntry).filter_by(action=action)
    if contest_id:
        query = query.filter_by(contest_id=contest_id)
    return list(db.session.scalars(query))


def complete_all(run, values=((8, 9), (7, 7), (5, 6))):
    for team, scores in zip(run["teams"], values):
        gen_sheet(run["contest"], run["a"], team, scores)
        gen_sheet(run["contest"], run["b"], team, scores)


def test_draw_is_reproducible_from_its_seed(run):
    """The seed shown after a draw gives the same order again; it is recorded in the audit."""
    client, contest = run["client"], run["contest"]
    response = client.post(f"/admin/contests/{contest.id}/draw", data={"seed": "UNDIAN-2026"})
    assert response.status_code == 302
    db.session.refresh(contest)
    first = [t.name for t in contest.teams]
    assert contest.draw_seed == "UNDIAN-2026"
    client.post(f"/admin/contests/{contest.id}/order",
                data={f"order_{t.id}": str(n) for n, t in enumerate(reversed(contest.teams), 1)})
    client.post(f"/admin/contests/{contest.id}/draw", data={"seed": "UNDIAN-2026"})
    db.session.expire_all()
    assert [t.name for t in contest.teams] == first
    assert running.drawn_order([t.id for t in run["teams"]], "UNDIAN-2026") == \
        [t.id for t in contest.teams]
    entry = audits("draw", contest.id)[-1]
    assert entry.new_value["seed"] == "UNDIAN-2026" and entry.new_value["order"] == first
    assert entry.actor == "panitia: panitia"


def test_random_draw_shows_its_seed(run):
    """Without a seed the console makes one and shows it on the page."""
    client, contest = run["client"], run["contest"]
    page = client.post(f"/admin/contests/{contest.id}/draw", headers={"HX-Request": "true"})
    db.session.refresh(contest)
    assert contest.draw_seed and contest.draw_seed in page.get_data(as_text=True)
    assert 'id="contest-run"' in page.get_data(as_text=True)
    assert "<html" not in page.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"]


def test_manual_order_rejects_duplicates(run):
    """Two teams with one number: 422 and the order is unchanged."""
    client, contest = run["client"], run["contest"]
    before = [t.name for t in contest.teams]
    response = client.post(f"/admin/contests/{contest.id}/order",
                           data={f"order_{t.id}": "1" for t in run["teams"]})
    assert response.status_code == 422
    assert "nomor urut yang berbeda" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [t.name for t in contest.teams] == before


def test_now_performing_next_and_previous(run):
    """Next and previous walk the performance order; the page shows who is on stage."""
    client, contest = run["client"], run["contest"]
    client.post(f"/admin/contests/{contest.id}/now", data={"move": "next"})
    client.post(f"/admin/contests/{contest.id}/now", data={"move": "next"})
    page = client.post(f"/admin/contests/{contest.id}/now", data={"move": "previous"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    db.session.refresh(contest)
    assert contest.now_performing_id == run["teams"][0].id
    assert 'id="now-team">Tim Awayan<' in page


def test_display_state_buttons_show_the_current_state(run):
    """Freezing marks the Dibekukan button as pressed and says so."""
    client, contest = run["client"], run["contest"]
    page = client.post(f"/admin/contests/{contest.id}/display", data={"state": "frozen"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="display-current">Dibekukan<' in page
    assert 'value="frozen" class="current" aria-pressed="true"' in page
    db.session.refresh(contest)
    assert contest.display_state == "frozen"
    bad = client.post(f"/admin/contests/{contest.id}/display", data={"state": "party"})
    assert bad.status_code == 422


def test_hall_shows_a_contest_or_the_overall_table(run):
    """The hall control switches between a contest and the juara umum."""
    client, contest, event = run["client"], run["contest"], run["event"]
    page = client.post("/admin/hall", data={"show": str(contest.id)},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="hall-current">Lomba Yel-Yel<' in page
    client.post("/admin/hall", data={"show": "overall"})
    db.session.refresh(event)
    assert event.hall_view == "overall"


def test_penalty_with_reason_lowers_the_score_and_is_audited(run):
    """A penalty needs a reason, shows on the console and is audited; a bad one changes nothing."""
    client, contest, team = run["client"], run["contest"], run["teams"][0]
    complete_all(run)
    assert client.post(f"/admin/contests/{contest.id}/penalties",
                       data={"team_id": team.id, "points": "2,5", "reason": ""}).status_code == 422
    assert client.post(f"/admin/contests/{contest.id}/penalties",
                       data={"team_id": team.id, "points": "-1", "reason": "x"}).status_code == 422
    assert db.session.scalar(db.select(db.func.count(Penalty.id))) == 0
    page = client.post(f"/admin/contests/{contest.id}/penalties",
                       data={"team_id": team.id, "points": "2,5", "reason": "Melebihi waktu"},
                       follow_redirects=True).get_data(as_text=True)
    assert "−2,50 — Melebihi waktu" in page
    assert "23,50" in page  # 8 + 2·9 = 26, minus 2,5
    assert audits("create", contest.id)[-1].new_value == {"points": "2.5",
                                                          "reason": "Melebihi waktu"}


def test_matrix_shows_empty_draft_submitted_and_conflict(run):
    """Each cell tells the organizer where a sheet stands; progress counts submitted sheets."""
    client, contest, teams = run["client"], run["contest"], run["teams"]
    gen_judge(run["event"], "Juri Halong", [contest], home="Halong")
    gen_sheet(contest, run["a"], teams[0], [8, 9])
    gen_sheet(contest, run["b"], teams[0], [8, 9], submitted=False)
    page = client.get(f"/admin/contests/{contest.id}/matrix").get_data(as_text=True)
    for label in ("terkirim", "draf", "kosong", "konflik"):
        assert f">{label}<" in page
    assert ">1/8<" in page  # 3 teams × 3 judges, less the conflicted Halong seat


def test_lock_then_publish_only_when_complete(run):
    """Publishing needs a lock and completeness, or an audited override reason."""
    client, contest = run["client"], run["contest"]
    for team, scores in zip(run["teams"], ((8, 9), (7, 7), (5, 6))):
        gen_sheet(contest, run["a"], team, scores)  # Juri B has not scored yet
    url = f"/admin/contests/{contest.id}"
    assert client.post(url + "/publish").status_code == 409  # not locked
    assert client.post(url + "/lock").status_code == 302
    db.session.refresh(contest)
    assert contest.status == "closed"
    refused = client.post(url + "/publish")
    assert refused.status_code == 409
    assert "Belum semua tim lengkap" in refused.get_data(as_text=True)
    assert client.post(url + "/publish", data={"override_reason": "Juri B sakit"}).status_code == 302
    db.session.refresh(contest)
    assert contest.status == "published" and contest.publish_note == "Juri B sakit"
    assert audits("publish", contest.id)[-1].new_value["override_reason"] == "Juri B sakit"


def test_locked_contest_refuses_judge_saves(run):
    """After the lock a judge's save is refused."""
    from scoreboard.services import sheets
    client, contest = run["client"], run["contest"]
    client.post(f"/admin/contests/{contest.id}/lock")
    with pytest.raises(ServiceError):
        sheets.submit_sheet(run["a"], contest, run["teams"][0],
                            {c.id: "8" for c in contest.criteria}, "client-save-0001")
    assert db.session.scalar(db.select(db.func.count(Sheet.id))) == 0


def test_complete_contest_publishes_and_unpublish_needs_reason(run):
    """A complete contest publishes without override; unpublishing needs and records a reason."""
    client, contest = run["client"], run["contest"]
    complete_all(run)
    url = f"/admin/contests/{contest.id}"
    client.post(url + "/lock")
    assert client.post(url + "/publish").status_code == 302
    assert client.post(url + "/unpublish", data={"reason": ""}).status_code == 422
    assert client.post(url + "/unpublish", data={"reason": "Salah hitung"}).status_code == 302
    db.session.refresh(contest)
    assert contest.status == "closed"
    assert audits("unpublish", contest.id)[-1].new_value["reason"] == "Salah hitung"


def test_boundary_tie_must_be_acknowledged(run):
    """Two teams sharing an award: publishing needs the explicit acknowledgement, audited."""
    client, contest = run["client"], run["contest"]
    complete_all(run, values=((8, 9), (8, 9), (5, 6)))
    url = f"/admin/contests/{contest.id}"
    client.post(url + "/lock")
    refused = client.post(url + "/publish")
    assert refused.status_code == 409
    assert "Tim Awayan = Tim Batumandi" in refused.get_data(as_text=True)
    assert client.post(url + "/publish", data={"acknowledge_ties": "1"}).status_code == 302
    entry = audits("publish", contest.id)[-1]
    assert entry.new_value["shared_awards"] == [["Tim Awayan", "Tim Batumandi"]]


def test_unscored_teams_sharing_a_place_need_no_acknowledgement(run):
    """Only Tim Awayan is scored: the two unscored teams share a place but no award, so no tie."""
    contest = run["contest"]
    gen_sheet(contest, run["a"], run["teams"][0], [8, 9])
    gen_sheet(contest, run["b"], run["teams"][0], [8, 9])
    running.lock_contest(contest)
    assert running.tied_boundaries(contest) == []
    running.publish_contest(contest, override_reason="Dua tim tidak hadir")
    db.session.refresh(contest)
    assert contest.status == "published"
    assert audits("publish", contest.id)[-1].new_value["shared_awards"] is None


def test_reopen_request_approved_with_reason(run):
    """The organizer approves a judge's reopen request; the sheet is a draft again."""
    client, contest = run["client"], run["contest"]
    sheet = gen_sheet(contest, run["a"], run["teams"][0], [8, 9])
    request = ReopenRequest(sheet_id=sheet.id, reason="Salah ketik")
    db.session.add(request)
    db.session.commit()
    page = client.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert "Salah ketik" in page
    assert client.post(f"/admin/reopen/{request.id}",
                       data={"decision": "approve", "reason": ""}).status_code == 422
    assert client.post(f"/admin/reopen/{request.id}",
                       data={"decision": "approve", "reason": "Boleh"}).status_code == 302
    db.session.refresh(sheet)
    db.session.refresh(request)
    assert sheet.state == "draft" and request.status == "approved"
    assert request.decided_by == "panitia: panitia"


def test_regenerated_code_locks_the_old_one_out(run, client):
    """A new code works at once and the old one stops working."""
    from scoreboard.models import Judge
    judge = run["a"]
    judge_b, old_code = gen_judge(run["event"], "Juri C", [run["contest"]])
    page = run["client"].post(f"/admin/judges/{judge_b.id}/code", data={"output": "page"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    import re
    new_code = re.search(r'id="new-code">([A-Z0-9-]+)<', text).group(1)
    assert access.judge_for_code(old_code) is None
    assert access.judge_for_code(new_code).id == judge_b.id
    assert "/judge/login/" in text and "<svg" in text
    anonymous = run["client"].application.test_client()
    assert anonymous.post("/judge/login", data={"code": old_code}).status_code == 403
    assert audits("regenerate_code")[-1].judge_id == judge_b.id
    assert db.session.get(Judge, judge.id).code_digest  # other judges keep their codes


def test_login_cards_pdf_for_every_judge(run):
    """All cards: needs confirmation, then one A4 PDF with each judge's name and a fresh code."""
    import io
    from pypdf import PdfReader
    client, event = run["client"], run["event"]
    assert client.post("/admin/judges/cards").status_code == 422
    digests = {j.id: j.code_digest for j in event.judges}
    response = client.post("/admin/judges/cards", data={"confirm": "1"})
    assert response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Juri A" in text and "Juri B" in text and "Lomba Yel-Yel" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    db.session.expire_all()
    assert all(j.code_digest != digests[j.id] for j in event.judges)


def test_audit_trail_filters_by_contest_team_and_judge(run):
    """The audit page lists who did what, filterable by contest, team and judge."""
    client, contest, team = run["client"], run["contest"], run["teams"][0]
    client.post(f"/admin/contests/{contest.id}/penalties",
                data={"team_id": team.id, "points": "1", "reason": "Kostum"})
    client.post(f"/admin/judges/{run['a'].id}/code")
    by_team = client.get(f"/admin/audit?team={team.id}").get_data(as_text=True)
    assert "Kostum" in by_team and "regenerate_code" not in by_team
    by_judge = client.get(f"/admin/audit?judge={run['a'].id}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "regenerate_code" in by_judge and "Kostum" not in by_judge
    assert by_judge.lstrip().startswith('<table class="grid audit" id="audit-entries">')
    assert "panitia: panitia" in by_judge and "127.0.0.1" in by_judge


def test_matrix_follows_a_judges_draft_live(app, run):
    """A judge's draft pushes `progress` to the organizers' room; the refetched matrix shows it."""
    from scoreboard.extensions import socketio
    contest, team = run["contest"], run["teams"][0]
    console = socketio.test_client(app, namespace="/live", flask_test_client=run["client"])
    assert console.emit("watch_admin", {}, namespace="/live", callback=True) == {"ok": True}
    stranger = socketio.test_client(app, namespace="/live")
    assert stranger.emit("watch_admin", {}, namespace="/live", callback=True)["ok"] is False
    console.get_received("/live")
    code = access.new_access_code()
    access.set_access_code(run["a"], code)
    db.session.commit()
    tablet = app.test_client()
    tablet.get(f"/judge/login/{access.normalize_code(code)}")
    criterion = contest.criteria[0]
    response = tablet.post(f"/judge/contests/{contest.id}/teams/{team.id}",
                           data={f"score-{criterion.id}": "7", "client_id": "tablet-draft-0001",
                                 "intent": "save"})
    assert response.status_code in (200, 302)
    pushed = [m for m in console.get_received("/live") if m["name"] == "progress"]
    assert pushed and pushed[-1]["args"][0]["contest"] == contest.id
    assert not [m for m in stranger.get_received("/live") if m["name"] == "progress"]
    matrix = run["client"].get(f"/admin/contests/{contest.id}/matrix",
                               headers={"HX-Request": "true"}).get_data(as_text=True)
    assert matrix.lstrip().startswith('<section class="card" id="judging-matrix"')
    assert 'class="cell-draft"' in matrix and "0/6" in matrix


def test_before_any_sheet_no_tie_warning_and_no_ranks(run):
    """An untouched contest is not 'tied at 0,00': no boundary warning, teams 'belum dinilai'."""
    client, contest = run["client"], run["contest"]
    page = client.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert 'id="boundary-ties"' not in page
    assert page.count("belum dinilai") == 3 and "Juara I<" not in page
    gen_sheet(contest, run["a"], run["teams"][0], (8, 9))
    page = client.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert page.count("belum dinilai") == 2 and "Juara I<" in page


def test_quiz_run_page_has_no_judging_matrix(app, client):
    """A quiz has no judges' sheets: its run page shows no empty 0/0 matrix."""
    from tests.factories import gen_quiz_contest
    contest, _teams, _keeper = gen_quiz_contest()
    as_organizer(client, gen_organizer())
    page = client.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert 'id="contest-run"' in page and 'id="judging-matrix"' not in page


def test_every_running_action_is_audited_with_the_organizer(app, run):
    """Order, draw, now performing, display, hall, penalty and its withdrawal, lock, unlock,
    publish, unpublish and a refused reopen each leave an audit entry by the organizer."""
    from scoreboard.extensions import socketio
    client, contest, teams = run["client"], run["contest"], run["teams"]
    watcher = socketio.test_client(app, namespace="/live")
    watcher.emit("watch", {"contest": contest.id}, namespace="/live", callback=True)
    url = f"/admin/contests/{contest.id}"
    complete_all(run)
    sheet = db.session.scalar(db.select(Sheet).filter_by(team_id=teams[0].id))
    reopen = ReopenRequest(sheet_id=sheet.id, reason="Salah ketik")
    db.session.add(reopen)
    db.session.commit()
    steps = [
        # Scores exist already: a new order needs a reason.
        ("order", url + "/order", {**{f"order_{t.id}": str(n) for n, t in enumerate(teams, 1)},
                                   "reason": "Tim terlambat datang"}),
        ("draw", url + "/draw", {"seed": "AUDIT", "reason": "Urutan salah diumumkan"}),
        ("now_performing", url + "/now", {"move": "next"}),
        ("display_state", url + "/display", {"state": "hidden"}),
        ("hall_view", "/admin/hall", {"show": str(contest.id)}),
        ("create", url + "/penalties", {"team_id": teams[1].id, "points": "1", "reason": "Waktu"}),
        ("sheet.reopen_refused", f"/admin/reopen/{reopen.id}",
         {"decision": "refuse", "reason": "Sudah benar"}),
        ("lock", url + "/lock", {}),
        ("unlock", url + "/unlock", {"reason": "Koreksi nilai"}),
        ("lock", url + "/lock", {}),
        ("publish", url + "/publish", {"confirm_public": "1"}),  # the board is hidden
        ("unpublish", url + "/unpublish", {"reason": "Salah umum"}),
    ]
    for action, target, data in steps:
        before = len(audits(action))
        response = client.post(target, data=data)
        assert response.status_code == 302, (action, response.get_data(as_text=True)[:300])
        entries = audits(action)
        assert len(entries) == before + 1, action
        assert entries[-1].actor == "panitia: panitia", action
    penalty = db.session.scalar(db.select(Penalty))
    client.post(url + "/lock")
    assert client.post(f"/admin/penalties/{penalty.id}/delete").status_code == 302
    assert audits("delete", contest.id)[-1].old_value == {"points": "1", "reason": "Waktu"}
    assert audits("unlock", contest.id)[-1].new_value["reason"] == "Koreksi nilai"
    assert client.post(url + "/unlock", data={"reason": ""}).status_code == 422
    pushed = {m["name"] for m in watcher.get_received("/live")}
    assert {"now_performing", "standings"} <= pushed


def test_audit_trail_shows_only_the_active_event(run):
    """Last year's entries stay out of this year's audit page; actions read in Indonesian."""
    from scoreboard.services import audit
    from tests.factories import gen_event
    client, contest = run["client"], run["contest"]
    old_event = gen_event(name="Lomba Uji 2025", regions=("Awayan",))
    old_event.active = False
    audit.record("update", "event", entity_id=old_event.id, event_id=old_event.id,
                 new={"name": "Tahun lalu"}, actor="panitia: lama")
    db.session.commit()
    client.post(f"/admin/contests/{contest.id}/lock")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Tahun lalu" not in page
    assert "mengunci" in page and "(lock contest" in page


def test_reveal_counts_its_steps_and_stops_at_juara_i(run):
    """In reveal mode the console says 'langkah n/m'; after the last step the button is off."""
    client, contest = run["client"], run["contest"]
    complete_all(run)
    url = f"/admin/contests/{contest.id}/display"
    page = client.post(url, data={"state": "reveal"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="reveal-step">langkah 0/3<' in page
    for _step in range(3):
        page = client.post(url, data={"state": "reveal_next"},
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="reveal-step">langkah 3/3<' in page
    assert 'value="reveal_next" disabled' in page
    refused = client.post(url, data={"state": "reveal_next"}, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "Semua juara sudah diumumkan" in refused.get_data(as_text=True)


def count_queries(action) -> int:
    """How many SQL statements `action()` runs from a cold session (as after a commit)."""
    from sqlalchemy import event as sa_event
    statements = []

    def count(*_args):
        statements.append(1)

    db.session.expire_all()
    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def add_teams(event, contest, regions):
    from scoreboard.models import ContestTeam
    from tests.factories import gen_team
    for region in regions:
        team = gen_team(event, f"Tim Tambahan {region}", region)
        contest.entries.append(ContestTeam(team=team, order_no=len(contest.entries) + 1))
    db.session.commit()


def test_the_judging_matrix_costs_the_same_few_queries_however_many_teams(run):
    """No query per team: the matrix preloads the contest like the board (was 9 for three teams, 12 for six)."""
    event, contest = run["event"], run["contest"]
    complete_all(run)
    three = count_queries(lambda: running.judging_matrix(contest))
    add_teams(event, contest, ("Juai", "Awayan", "Batumandi"))
    matrix = running.judging_matrix(contest)
    assert len(matrix["rows"]) == 6 and matrix["done"] == 6 and matrix["expected"] == 12
    assert count_queries(lambda: running.judging_matrix(contest)) == three <= 6


def test_the_run_page_and_publishing_compute_the_standings_once(run):
    """Standings, ties and completeness come from one computation per request.

    Before: the run page computed them 3 times (28 queries, now 24); an htmx publish 7 times
    (66 queries, now 58).
    """
    from unittest.mock import patch
    from scoreboard.admin import running as console
    from scoreboard.services import standings
    client, contest = run["client"], run["contest"]
    complete_all(run)
    calls = []
    real = standings.standings_for

    def counted(contest_):
        calls.append(contest_.id)
        return real(contest_)

    with patch.object(console, "standings_for", counted), \
            patch.object(running, "standings_for", counted):
        queries = count_queries(lambda: client.get(f"/admin/contests/{contest.id}"))
        assert calls == [contest.id]
        assert queries <= 24
        running.lock_contest(contest)
        calls.clear()
        page = client.post(f"/admin/contests/{contest.id}/publish", headers={"HX-Request": "true"})
        assert page.status_code == 200 and "Hasil lomba diumumkan." in page.text
        # once for the checks of publish_contest, once for the page (it was 2 + 3)
        assert calls == [contest.id, contest.id]
    db.session.refresh(contest)
    assert contest.status == "published"


def draw(run, **data):
    return run["client"].post(f"/admin/contests/{run['contest'].id}/draw",
                              data={"seed": "ULANG", **data}, headers={"HX-Request": "true"})


def test_first_draw_needs_no_reason_and_offers_no_confirmation(run):
    page = run["client"].get(f"/admin/contests/{run['contest'].id}").get_data(as_text=True)
    assert 'id="draw-form"' in page and "Alasan undi ulang" not in page
    assert draw(run).status_code == 200
    assert audits("draw", run["contest"].id)[-1].new_value["reason"] is None


@pytest.mark.parametrize("started_by", ["performed", "on_stage", "draft", "quiz_tap"])
def test_redraw_after_the_day_began_asks_for_a_confirmed_reason_and_audits_it(app, run, started_by):
    """After the first performance or any score, "Undi urutan" confirms and needs a reason."""
    contest, teams = run["contest"], run["teams"]
    if started_by == "performed":
        contest.entries[0].performed = True
    elif started_by == "on_stage":
        contest.now_performing_id = teams[1].id
    elif started_by == "draft":
        gen_sheet(contest, run["a"], teams[2], (5, 5), submitted=False)
    else:
        from scoreboard.services import quiz as quiz_service
        from tests.factories import gen_quiz_contest
        contest, quiz_teams, (keeper, _code) = gen_quiz_contest(run["event"], teams=teams)
        run = {**run, "contest": contest}
        quiz_service.record_tap(contest, quiz_teams[0], contest.rounds[0], 1, "+100", "q-tablet", keeper)
    db.session.commit()
    before = [e.team_id for e in contest.entries]
    page = run["client"].get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert "Alasan undi ulang" in page and "hx-confirm=\"Undi ulang urutan tampil?" in page
    refused = draw(run)
    assert refused.status_code == 409
    assert "Tuliskan alasan" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert [e.team_id for e in contest.entries] == before and contest.draw_seed is None
    assert draw(run, reason="Tim Halong belum hadir").status_code == 200
    entry = audits("draw", contest.id)[-1]
    assert entry.new_value["reason"] == "Tim Halong belum hadir"
    assert entry.actor == "panitia: panitia"


@pytest.mark.parametrize("status", ["closed", "published"])
def test_locked_or_published_contest_cannot_be_redrawn_or_reordered(run, status):
    contest = run["contest"]
    contest.status = status
    db.session.commit()
    before = [e.team_id for e in contest.entries]
    page = run["client"].get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert 'id="draw-form"' not in page and 'id="order-fixed"' in page
    assert draw(run, reason="tetap").status_code == 409
    reordered = run["client"].post(
        f"/admin/contests/{contest.id}/order",
        data={**{f"order_{e.team_id}": str(n) for n, e in enumerate(reversed(contest.entries), 1)},
              "reason": "tetap"})
    assert reordered.status_code == 409
    db.session.expire_all()
    assert [e.team_id for e in contest.entries] == before
    assert audits("draw", contest.id) == [] and audits("order", contest.id) == []
