"""Sessions the server can end (issue 13, item 6): logout, a new password and the organizer's
"end the judges' sessions" make copied cookies worthless; organizer sessions expire and idle out."""
import time

import pytest
from werkzeug.security import check_password_hash

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Organizer
from tests.factories import gen_contest, gen_judge, gen_organizer, gen_small_contest

PASSWORD = "rahasia-panitia"


@pytest.fixture
def organizer(app):
    return gen_organizer(password=PASSWORD)


def organizer_client(app, password=PASSWORD):
    """A browser that logged in through the login form."""
    client = app.test_client()
    response = client.post("/admin/login", data={"username": "panitia", "password": password})
    assert response.status_code == 302
    return client


def copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def opens_console(client) -> bool:
    response = client.get("/admin/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_logout_ends_a_copied_organizer_session(app, organizer):
    client = organizer_client(app)
    thief = copy_of(app, client)
    assert opens_console(thief)
    response = client.post("/admin/logout", follow_redirects=True)
    assert "Anda sudah keluar" in response.get_data(as_text=True)
    assert not opens_console(client)
    assert not opens_console(thief)
    assert opens_console(organizer_client(app))  # logging in again works


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, organizer):
    laptop, phone = organizer_client(app), organizer_client(app)
    page = laptop.get("/admin/password")
    assert page.status_code == 200 and "Kata sandi sekarang" in page.get_data(as_text=True)
    wrong = laptop.post("/admin/password", data={"current": "bukan-ini", "new": "kata-sandi-baru-1",
                                                 "repeated": "kata-sandi-baru-1"})
    assert wrong.status_code == 422 and "Kata sandi sekarang salah" in wrong.get_data(as_text=True)
    short = laptop.post("/admin/password", data={"current": PASSWORD, "new": "pendek",
                                                 "repeated": "pendek"})
    assert short.status_code == 422 and "paling sedikit 10" in short.get_data(as_text=True)
    differ = laptop.post("/admin/password", data={"current": PASSWORD, "new": "kata-sandi-baru-1",
                                                  "repeated": "kata-sandi-baru-2"})
    assert differ.status_code == 422 and "tidak sama" in differ.get_data(as_text=True)
    assert opens_console(phone)  # refused changes ended nothing
    changed = laptop.post("/admin/password", data={"current": PASSWORD, "new": "kata-sandi-baru-1",
                                                   "repeated": "kata-sandi-baru-1"},
                          follow_redirects=True)
    assert changed.status_code == 200 and "Kata sandi diganti" in changed.get_data(as_text=True)
    assert opens_console(laptop)
    assert not opens_console(phone)
    stored = db.session.get(Organizer, organizer.id)
    db.session.refresh(stored)
    assert check_password_hash(stored.password_hash, "kata-sandi-baru-1")
    assert app.test_client().post("/admin/login", data={"username": "panitia",
                                                        "password": PASSWORD}).status_code == 403
    assert opens_console(organizer_client(app, "kata-sandi-baru-1"))
    actions = db.session.scalars(db.select(AuditEntry.action).filter_by(entity="organizer")).all()
    assert actions == ["password"]


def test_an_organizer_session_idles_out_and_has_a_lifetime(app, organizer):
    assert app.config["ORGANIZER_SESSION_HOURS"] == 12 and app.config["ORGANIZER_IDLE_MINUTES"] == 120
    client = organizer_client(app)
    now = int(time.time())
    with client.session_transaction() as session:
        session["seen_at"] = now - 119 * 60
    assert opens_console(client)
    with client.session_transaction() as session:
        assert now - 5 <= session["seen_at"] <= now + 5  # the request counted as activity
        session["seen_at"] = now - 121 * 60
    assert not opens_console(client)

    client = organizer_client(app)
    with client.session_transaction() as session:
        session["signed_in_at"] = now - 11 * 3600
    assert opens_console(client)
    with client.session_transaction() as session:
        session["signed_in_at"] = now - 12 * 3600 - 60
    assert not opens_console(client)


def judge_client(app, code):
    client = app.test_client()
    assert client.post("/judge/login", data={"code": code}).status_code == 302
    return client


def is_judge(client, name) -> bool:
    """The tablet shows the judge's home (their name in the header), not the login form."""
    return f'<span class="judge-name">Juri: {name}</span>' in client.get("/judge/").get_data(as_text=True)


def test_judge_logout_ends_a_copied_tablet_session(app):
    _event, _contest, _teams, (_judge, code), _ = gen_small_contest()
    tablet = judge_client(app, code)
    thief = copy_of(app, tablet)
    assert is_judge(thief, "Juri A")
    tablet.post("/judge/logout")
    assert not is_judge(tablet, "Juri A") and not is_judge(thief, "Juri A")
    assert is_judge(judge_client(app, code), "Juri A")  # the code still works


def test_organizer_ends_every_judge_session_of_a_contest(app, client, organizer):
    event, contest, _teams, (_a, code_a), (_b, code_b) = gen_small_contest()
    other = gen_contest(event, name="Lomba Tari Kreasi")
    _c, code_c = gen_judge(event, "Juri C", [other])
    tablets = {"Juri A": judge_client(app, code_a), "Juri B": judge_client(app, code_b),
               "Juri C": judge_client(app, code_c)}
    console = organizer_client(app)
    page = console.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert "Akhiri sesi semua juri lomba ini" in page
    response = console.post(f"/admin/contests/{contest.id}/judge-sessions", follow_redirects=True)
    assert "Semua juri lomba ini sudah dikeluarkan" in response.get_data(as_text=True)
    assert not is_judge(tablets["Juri A"], "Juri A") and not is_judge(tablets["Juri B"], "Juri B")
    assert is_judge(tablets["Juri C"], "Juri C")  # another contest's judge stays
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="end_sessions"))
    assert entry.contest_id == contest.id and entry.actor == "panitia: panitia"
    assert entry.new_value == {"judges": ["Juri A", "Juri B"]}
    assert is_judge(judge_client(app, code_a), "Juri A")
    assert app.test_client().post(f"/admin/contests/{contest.id}/judge-sessions").status_code == 403


def test_an_answer_that_left_the_session_alone_does_not_send_it_back(app, organizer):
    """A console refresh that began before the language was changed cannot undo the change."""
    client = organizer_client(app)
    before_the_change = client.get_cookie("session").value
    assert "session=" in client.get("/admin/?lang=en").headers.get("Set-Cookie", "")
    late_refresh = app.test_client()
    late_refresh.set_cookie("session", before_the_change)
    assert "Set-Cookie" not in late_refresh.get("/admin/").headers
    assert "Set-Cookie" not in late_refresh.get("/static/js/app.js").headers
    assert 'lang="en"' in client.get("/admin/").get_data(as_text=True)
