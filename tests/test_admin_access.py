"""Access matrix of every /admin route: anonymous, judge, organizer; login, logout, CSRF."""
import pytest

from scoreboard.extensions import db
from scoreboard.models import Penalty, ReopenRequest, Team
from scoreboard.stage_models import ProposedPenalty
from tests.admin_helpers import as_judge, as_organizer
from tests.factories import gen_organizer, gen_quiz_contest, gen_sheet, gen_small_contest


@pytest.fixture
def world(app):
    """A small contest with a penalty and a pending reopen request, plus an organizer."""
    event, contest, teams, (judge, _code), _other = gen_small_contest()
    sheet = gen_sheet(contest, judge, teams[0], [8, 9])
    penalty = Penalty(contest_id=contest.id, team=teams[0], points=1, reason="waktu",
                      entered_by="panitia: uji")
    reopen = ReopenRequest(sheet_id=sheet.id, reason="salah ketik")
    proposal = ProposedPenalty(contest_id=contest.id, team_id=teams[1].id, duration_ms=342_000,
                               side="over", outside_seconds=42, points=2)
    db.session.add_all([penalty, reopen, proposal])
    db.session.commit()
    quiz, _quiz_teams, _keeper = gen_quiz_contest(event, teams=teams)
    ids = {"quiz": quiz.id, "round": quiz.rounds[0].id, "contest": contest.id, "team": teams[0].id, "region": teams[0].region_id,
           "judge": judge.id, "criterion": contest.criteria[0].id, "penalty": penalty.id,
           "reopen": reopen.id, "event": event.id, "proposal": proposal.id}
    return {"organizer": gen_organizer(), "judge": judge, "ids": ids}


def routes(ids):
    """Every /admin route with real ids, as (method, url)."""
    c, t, r, j = ids["contest"], ids["team"], ids["region"], ids["judge"]
    return [
        ("GET", "/admin/"), ("POST", "/admin/event"), ("POST", "/admin/hall"),
        ("POST", "/admin/event/overall"),
        ("GET", "/admin/teams"), ("POST", "/admin/teams"), ("POST", f"/admin/teams/{t}"),
        ("POST", f"/admin/teams/{t}/delete"), ("POST", "/admin/regions"),
        ("POST", f"/admin/regions/{r}/delete"),
        ("GET", "/admin/judges"), ("POST", "/admin/judges"), ("POST", f"/admin/judges/{j}"),
        ("POST", f"/admin/judges/{j}/code"), ("POST", "/admin/judges/cards"),
        ("GET", "/admin/import/teams"), ("POST", "/admin/import/teams"),
        ("POST", "/admin/import/teams/apply"), ("GET", "/admin/import/teams/template.csv"),
        ("POST", "/admin/contests"), ("GET", f"/admin/contests/{c}/setup"),
        ("POST", f"/admin/contests/{c}/settings"), ("POST", f"/admin/contests/{c}/criteria"),
        ("POST", f"/admin/criteria/{ids['criterion']}"),
        ("POST", f"/admin/criteria/{ids['criterion']}/delete"),
        ("POST", f"/admin/contests/{c}/entries"), ("POST", f"/admin/contests/{c}/panel"),
        ("GET", f"/admin/contests/{c}"), ("GET", f"/admin/contests/{c}/matrix"),
        ("GET", f"/admin/contests/{c}/live"), ("GET", f"/admin/contests/{c}/reopens"),
        ("POST", f"/admin/contests/{c}/order"), ("POST", f"/admin/contests/{c}/draw"),
        ("POST", f"/admin/contests/{c}/now"), ("POST", f"/admin/contests/{c}/display"),
        ("POST", f"/admin/contests/{c}/penalties"),
        ("POST", f"/admin/penalties/{ids['penalty']}/delete"),
        ("POST", f"/admin/reopen/{ids['reopen']}"),
        ("POST", f"/admin/contests/{c}/lock"), ("POST", f"/admin/contests/{c}/unlock"),
        ("POST", f"/admin/contests/{c}/publish"), ("POST", f"/admin/contests/{c}/unpublish"),
        ("POST", f"/admin/contests/{ids['quiz']}/rounds"),
        ("POST", f"/admin/rounds/{ids['round']}"), ("POST", f"/admin/rounds/{ids['round']}/delete"),
        ("POST", f"/admin/contests/{c}/judge-sessions"),
        ("GET", "/admin/password"), ("POST", "/admin/password"),
        ("GET", "/admin/audit"), ("POST", "/admin/logout"),
        ("GET", "/admin/piagam"), ("POST", "/admin/piagam"), ("POST", "/admin/piagam/logo"),
        ("POST", "/admin/piagam/logo/delete"), ("GET", "/admin/piagam/logo.png"),
        ("GET", f"/admin/piagam/contest/{c}.pdf"), ("GET", f"/admin/piagam/contest/{c}/peserta.pdf"),
        ("GET", f"/admin/piagam/event/{ids['event']}.pdf"),
        ("GET", f"/admin/laporan/{ids['event']}"), ("GET", f"/admin/laporan/{ids['event']}.pdf"),
        ("GET", f"/admin/laporan/{ids['event']}/grafik/juara-umum.png"),
        ("GET", f"/admin/contests/{c}/stage"), ("POST", f"/admin/contests/{c}/time-limits"),
        ("POST", f"/admin/contests/{c}/stage/next"), ("POST", f"/admin/proposals/{ids['proposal']}"),
    ]


def expected_get(url: str) -> int:
    """What an organizer's GET answers in this world: no logo uploaded yet (404), and no piagam
    while no contest is published (back to the export page with a message)."""
    if url.endswith("/logo.png"):
        return 404
    if url.startswith("/admin/piagam/") and url.endswith(".pdf"):
        return 302
    return 200


def test_matrix_covers_every_admin_route(app, world):
    """No /admin route is left out of the access matrix below."""
    covered = set()
    adapter = app.url_map.bind("localhost")
    for method, url in routes(world["ids"]):
        endpoint, _args = adapter.match(url, method=method)
        covered.add((endpoint, method))
    declared = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
                if rule.rule.startswith("/admin") for method in rule.methods - {"HEAD", "OPTIONS"}
                if rule.endpoint != "admin.login"}
    assert declared <= covered


def test_anonymous_is_sent_to_login_or_refused(client, world):
    """Anonymous GETs redirect to the login page, anonymous POSTs get 403; nothing changes."""
    for method, url in routes(world["ids"]):
        response = client.open(url, method=method, data={"name": "Tim Baru", "region_id": "1"})
        if method == "GET":
            assert response.status_code == 302, url
            assert "/admin/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, url
    assert db.session.scalar(db.select(Team).filter_by(name="Tim Baru")) is None


def test_judge_session_gets_403_everywhere(client, world):
    """A logged-in judge reaches no organizer page or action."""
    as_judge(client, world["judge"])
    for method, url in routes(world["ids"]):
        assert client.open(url, method=method).status_code == 403, url


def test_organizer_reaches_every_route(client, world):
    """An organizer gets 200 on every page and no authorization error or crash on any action."""
    as_organizer(client, world["organizer"])
    for method, url in routes(world["ids"]):
        if url == "/admin/logout":
            continue
        response = client.open(url, method=method)
        if method == "GET":
            assert response.status_code == expected_get(url), url
        else:
            assert response.status_code in (200, 302, 404, 409, 422), (url, response.status_code)


def test_login_logout_and_wrong_password(client, app):
    """The right password opens the console; a wrong one is refused; logout closes it."""
    gen_organizer(password="benar-sekali")
    wrong = client.post("/admin/login", data={"username": "panitia", "password": "salah"})
    assert wrong.status_code == 403
    assert "salah" in wrong.get_data(as_text=True)
    ok = client.post("/admin/login?next=/admin/audit",
                     data={"username": "panitia", "password": "benar-sekali"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/admin/audit")
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout")
    assert client.get("/admin/").status_code == 302


def test_the_language_chosen_on_the_login_page_stays_after_login(client, app):
    """An organizer who picks English on the login page gets the console in English."""
    gen_organizer(password="benar-sekali")
    assert "Log in" in client.get("/admin/login?lang=en").get_data(as_text=True)
    client.post("/admin/login", data={"username": "panitia", "password": "benar-sekali"})
    # The session is what every later page reads its language from (the test's shared app
    # context would remember the locale of the first request by itself).
    with client.session_transaction() as session:
        assert session.get("lang") == "en" and session.get("organizer_id")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Teams" in page and "Meja kendali" not in page


def test_login_never_redirects_off_site(client, app):
    """The next parameter cannot send the organizer to another site."""
    gen_organizer(password="benar-sekali")
    response = client.post("/admin/login?next=//evil.example/",
                           data={"username": "panitia", "password": "benar-sekali"})
    assert response.headers["Location"].endswith("/admin/")


def test_login_is_rate_limited(app, tmp_path):
    """Guessing passwords is throttled (429) after a handful of tries."""
    from scoreboard import create_app
    from tests.conftest import base_config
    config = base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    config["RATELIMIT_ENABLED"] = True
    limited = create_app(config)
    client = limited.test_client()
    codes = [client.post("/admin/login", data={"username": "x", "password": "y"}).status_code
             for _ in range(12)]
    assert codes[0] == 403
    assert codes[-1] == 429


def test_post_without_csrf_token_is_refused(app, world):
    """With CSRF protection on, a console POST without its token gets 400 and changes nothing."""
    app.config["WTF_CSRF_ENABLED"] = True
    client = as_organizer(app.test_client(), world["organizer"])
    response = client.post("/admin/teams", data={"name": "Tim Palsu",
                                                 "region_id": str(world["ids"]["region"])})
    assert response.status_code == 400
    assert db.session.scalar(db.select(Team).filter_by(name="Tim Palsu")) is None


def test_create_admin_command(runner, app):
    """flask create-admin stores a scrypt hash, never the password."""
    from scoreboard.models import Organizer
    result = runner.invoke(args=["create-admin", "--username", "ketua"],
                           input="sandi-rahasia\nsandi-rahasia\n")
    assert result.exit_code == 0, result.output
    organizer = db.session.scalar(db.select(Organizer).filter_by(username="ketua"))
    assert organizer.password_hash.startswith("scrypt:")
    assert "sandi-rahasia" not in organizer.password_hash


def test_organizer_cannot_reopen_a_sheet_of_a_published_contest(client, world):
    """The console's decision on a reopen request is refused (409) until the contest is unlocked."""
    from scoreboard.models import Contest, Sheet
    contest = db.session.get(Contest, world["ids"]["contest"])
    contest.status = "published"
    db.session.commit()
    as_organizer(client, world["organizer"])
    response = client.post(f"/admin/reopen/{world['ids']['reopen']}",
                           data={"decision": "approve", "reason": "Disetujui"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "membuka kunci lomba" in response.get_data(as_text=True)
    db.session.expire_all()
    reopen = db.session.get(ReopenRequest, world["ids"]["reopen"])
    assert reopen.status == "pending"
    assert db.session.get(Sheet, reopen.sheet_id).state == "submitted"


def test_unknown_username_costs_the_same_password_check(client, app, monkeypatch):
    """An unknown username still runs a scrypt password check, so timing does not reveal usernames."""
    import scoreboard.admin.auth as admin
    gen_organizer(password="benar-sekali")
    checked = []
    real_check = admin.check_password_hash

    def recording_check(stored, password):
        checked.append(stored.split("$", 1)[0])
        return real_check(stored, password)

    monkeypatch.setattr(admin, "check_password_hash", recording_check)
    unknown = client.post("/admin/login", data={"username": "tidak-ada", "password": "benar-sekali"})
    assert unknown.status_code == 403 and "salah" in unknown.get_data(as_text=True)
    assert len(checked) == 1 and checked[0].startswith("scrypt:")
    wrong = client.post("/admin/login", data={"username": "panitia", "password": "salah"})
    assert wrong.status_code == 403 and len(checked) == 2
    with client.session_transaction() as session:
        assert "organizer_id" not in session
