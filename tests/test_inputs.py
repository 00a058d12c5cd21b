"""Request input bounds (issue 13 items 1, 3, 5, 10): a long number never freezes the server, an
integer never overflows its column, a control character never reaches the database; each refused
with an Indonesian 4xx that changes nothing, on SQLite and PostgreSQL."""
import time

import pytest

from scoreboard.engine import MAX_NUMBER_LENGTH, NumberTooLong, parse_score, score_problem
from scoreboard.extensions import db
from scoreboard.models import Event, Region
from scoreboard.params import MAX_INT, MIN_INT, to_int
from scoreboard.services import setup
from scoreboard.services.errors import ServiceError
from tests.test_hardening import HUGE_FIELDS, clients, fill, snapshot, throw, world  # noqa: F401

# The judge's 600 KB score of the campaign: 20 seconds of one CPU before these bounds.
SIX_HUNDRED_KB = "5," + "7" * 600_000
# Past the engine's bound but far inside every request bound: refused by the number's own check.
LONG_DECIMAL = "0." + "0" * 40 + "1"
# No request, good or hostile, may cost the server this much CPU.
QUICK = 1.0

# Every decimal field of test_hardening, each form complete enough to reach its number.
NUMBER_FIELDS = [(method, path, {**form, "client_id": "{uuid}"} if path.endswith("/tap") else form)
                 for method, path, form in HUGE_FIELDS]
SHEET = ("POST", "/judge/contests/{c}/teams/{t}", {"score-{k}": "{value}", "client_id": "{uuid}"})


def timed(client, method, path, form, **headers):
    """The response and the CPU seconds it cost (the test client runs the app in this thread;
    wall time on a machine shared by several test runs says little)."""
    started = time.thread_time()
    response = client.open(path, method=method, data=form, headers=headers)
    return response, time.thread_time() - started


def role_for(path: str) -> str:
    """Who may post to the path: the organizer, the quiz's scorekeeper or the ketua juri."""
    return {"admin": "organizer", "quiz": "scorekeeper"}.get(path.split("/")[1], "judge")


def test_a_600_kb_score_is_refused_at_once_with_a_message_and_changes_nothing(app, world):
    judge = clients(app, world)["judge"]
    _method, path, form = SHEET
    before = snapshot()
    response, seconds = timed(judge, "POST", fill(path, world), fill(form, world, value=SIX_HUNDRED_KB))
    assert response.status_code == 413
    assert "Data yang dikirim terlalu besar (paling banyak 256 KB)." in response.get_data(as_text=True)
    assert seconds < QUICK
    # The tablet's outbox gets JSON it shows, and an answer it does not send again (413 is final).
    response, seconds = timed(judge, "POST", fill(path, world), fill(form, world, value=SIX_HUNDRED_KB),
                              Accept="application/json")
    assert response.status_code == 413 and "terlalu besar" in response.get_json()["error"]
    assert seconds < QUICK
    assert snapshot() == before


def test_with_a_larger_body_allowed_a_long_field_is_still_refused_before_it_is_read(app, world):
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    judge = clients(app, world)["judge"]
    _method, path, form = SHEET
    before = snapshot()
    response, seconds = timed(judge, "POST", fill(path, world), fill(form, world, value=SIX_HUNDRED_KB),
                              **{"HX-Request": "true"})
    assert response.status_code == 422
    assert ("Isian terlalu panjang (paling banyak 10000 karakter per kolom)."
            in response.get_data(as_text=True))
    assert seconds < QUICK
    assert snapshot() == before


@pytest.mark.parametrize("value", ["5," + "0" * 5000, LONG_DECIMAL])
def test_a_long_score_within_the_request_bounds_is_refused_on_its_field(app, world, value):
    judge = clients(app, world)["judge"]
    _method, path, form = SHEET
    before = snapshot()
    response, seconds = timed(judge, "POST", fill(path, world), fill(form, world, value=value),
                              Accept="application/json")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        str(world["k"]): f"Nilai terlalu panjang (paling banyak {MAX_NUMBER_LENGTH} karakter)."}
    assert seconds < QUICK
    assert snapshot() == before


@pytest.mark.parametrize("method,path,form", NUMBER_FIELDS)
def test_every_number_field_refuses_a_long_number_with_a_message(app, world, method, path, form):
    """Sheets, quiz points and buttons, corrections, penalties, weights, ranges, juara umum points."""
    throw(app, world, method, path, form, huge=LONG_DECIMAL)
    client = clients(app, world)[role_for(path)]
    response, seconds = timed(client, method, fill(path, world), fill(form, world, huge=LONG_DECIMAL),
                              **{"HX-Request": "true"})
    assert response.status_code == 422
    assert f"terlalu panjang (paling banyak {MAX_NUMBER_LENGTH} karakter)" in response.get_data(as_text=True)
    assert seconds < QUICK


def test_the_engine_refuses_a_long_number_before_reading_it():
    started = time.thread_time()
    with pytest.raises(NumberTooLong):
        parse_score(SIX_HUNDRED_KB)
    problem = score_problem(SIX_HUNDRED_KB, parse_score("1"), parse_score("10"), parse_score("0.5"))
    assert time.thread_time() - started < 0.1
    assert problem.text() == f"Nilai terlalu panjang (paling banyak {MAX_NUMBER_LENGTH} karakter)."
    # The longest a real score is written still reads: 12 digits, 3 decimals, trailing zeros.
    assert parse_score(" -999999999999,999" + "0" * 14 + " ") == parse_score("-999999999999.999")


# (method, path, form, message) where {big} is an integer field; each message names the bounds.
BIG_INTEGERS = [
    ("POST", "/admin/criteria/{k}", {"name": "Kekompakan", "weight": "1", "min_score": "1",
                                     "max_score": "10", "step": "0.5", "position": "{big}", "confirm": "on"},
     "Urutan harus bilangan bulat dari 0 sampai 9999."),
    ("POST", "/admin/contests/{c}/settings", {"name": "Lomba Yel-Yel", "kind": "rubric", "method": "mean",
                                              "award_count": "{big}"},
     "Jumlah penghargaan harus bilangan bulat dari 0 sampai 20."),
    ("POST", "/admin/contests/{c}/settings", {"name": "Lomba Yel-Yel", "kind": "rubric", "method": "mean",
                                              "tie_break": "{big}"},
     "Kriteria penentu seri harus kriteria lomba ini."),
    ("POST", "/admin/contests/{c}/order", {"order_{t}": "{big}"}, "harus bilangan bulat dari 1 sampai 9999."),
    ("POST", "/quiz/{q}/tap", {"team": "{t}", "points": "100", "question": "{big}", "client_id": "{uuid}"},
     "Nomor soal harus"),
]


@pytest.mark.parametrize("big", ["99999999999999999999", "3000000000", str(MAX_INT + 1), "-3000000000"])
@pytest.mark.parametrize("method,path,form,message", BIG_INTEGERS)
def test_an_integer_past_its_column_is_refused_with_a_message(app, world, method, path, form, message,
                                                              big):
    throw(app, world, method, path, form, big=big)
    client = clients(app, world)[role_for(path)]
    response = client.open(fill(path, world), method=method, data=fill(form, world, big=big),
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("value,expected", [
    ("7", 7), (" -3 ", -3), ("+2", 2), (str(MAX_INT), MAX_INT), (str(MIN_INT), MIN_INT),
    (str(MAX_INT + 1), None), (str(MIN_INT - 1), None), ("9" * 5000, None), ("٣", None), ("²", None),
    ("1.0", None), ("1e3", None), ("", None), ("-", None), (None, None), (True, None), (10**50, None),
])
def test_to_int_takes_ascii_digits_within_the_integer_column(value, expected):
    assert to_int(value) == expected


def test_a_quiz_question_in_other_digits_is_refused(app, world):
    """"٣" (Arabic-Indic three) was stored as question 3 (item 10)."""
    keeper = clients(app, world)["scorekeeper"]
    before = snapshot()
    response = keeper.post(fill("/quiz/{q}/tap", world), data={
        "team": world["t"], "points": "100", "question": "٣", "client_id": "arabic-three"})
    assert response.status_code == 422
    assert "Nomor soal harus berupa bilangan bulat." in response.get_data(as_text=True)
    assert snapshot() == before


CONTROL_REFUSED = "Isian berisi karakter kontrol (misalnya NUL) yang tidak diizinkan."

# (method, path, form) where {bad} is a text field: every text input the campaign named, and more.
TEXT_FIELDS = [
    ("POST", "/admin/teams", {"name": "{bad}", "region_id": "1", "village": "", "members": ""}),
    ("POST", "/admin/teams", {"name": "Tim Baru", "region_id": "1", "village": "{bad}"}),
    ("POST", "/admin/teams", {"name": "Tim Baru", "region_id": "1", "members": "Siti\r\n{bad}"}),
    ("POST", "/admin/regions", {"name": "{bad}"}),
    ("POST", "/admin/judges", {"name": "{bad}"}),
    ("POST", "/admin/event", {"name": "Acara", "venue": "{bad}", "held_on": "2026-08-17"}),
    ("POST", "/admin/contests", {"name": "{bad}"}),
    ("POST", "/admin/contests/{c}/penalties", {"team_id": "{t}", "points": "1", "reason": "{bad}"}),
    ("POST", "/admin/contests/{c}/draw", {"seed": "{bad}"}),
    ("POST", "/admin/contests/{q}/rounds", {"name": "{bad}", "buttons": "+100"}),
    ("POST", "/quiz/{q}/entries/{x}/correct", {"points": "50", "reason": "{bad}"}),
    ("POST", "/judge/login", {"code": "{bad}"}),
    ("POST", "/admin/login", {"username": "{bad}", "password": "x"}),
    ("GET", "/admin/audit?action={bad}", None),
]


@pytest.mark.parametrize("bad", ["panitia\x00", "Tim\x01Baru", "\x1b[2J", "Tim\x7f", "Tim\x85"])
@pytest.mark.parametrize("method,path,form", TEXT_FIELDS)
def test_a_control_character_in_any_text_is_refused_with_a_message(app, world, method, path, form,
                                                                   bad):
    throw(app, world, method, path, form, bad=bad)
    for role in ("anonymous", "organizer"):
        response = clients(app, world)[role].open(fill(path, world, bad=bad), method=method,
                                                  data=fill(form, world, bad=bad))
        assert response.status_code == 422, role
        assert CONTROL_REFUSED in response.get_data(as_text=True)


def test_tabs_and_line_breaks_are_text(app, world):
    organizer = clients(app, world)["organizer"]
    region = db.session.scalar(db.select(Region.id))
    response = organizer.post("/admin/teams", data={"name": "Tim\tBaru", "region_id": region,
                                                    "members": "Siti\r\nNur\nRahmah"})
    assert response.status_code == 302
    assert "Tim\tBaru" in organizer.get("/admin/teams").get_data(as_text=True)


def test_a_service_refuses_control_characters_without_a_request(app, world):
    """The CLI and imported rows reach the services without the request check."""
    event = db.session.scalar(db.select(Event))
    with pytest.raises(ServiceError) as refused:
        setup.add_region(event, "Kecamatan\x00Baru")
    assert refused.value.status == 422
    assert refused.value.message == "Nama kecamatan berisi karakter kontrol yang tidak diizinkan."
    assert db.session.scalar(db.select(db.func.count(Region.id)).filter(
        Region.name.like("Kecamatan%"))) == 0
