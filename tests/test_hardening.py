"""Hostile input gets a 4xx and changes nothing: huge ids, "²", huge numbers (security review)."""
import csv
import itertools
import io
import uuid
import zipfile

import pytest

from scoreboard.engine import NumberTooLarge, parse_score, score_problem
from scoreboard.extensions import db, socketio
from scoreboard.models import Contest, Event
from scoreboard.params import MAX_ID, to_id
from scoreboard.services import quiz as quiz_service
from tests.admin_helpers import as_organizer
from tests.factories import gen_judge, gen_organizer, gen_quiz_contest, gen_small_contest

BIG = "9" * 25
# Through every endpoint: too large for SQLite, too large for PostgreSQL, not ASCII (to_id's own
# test covers the rest).
BAD_IDS = (BIG, str(2**31), "²")
HUGE_NUMBERS = ("1" + "0" * 40, "1e40", "9" * 15)

# (method, path) with {c} the rubric contest, {q} the quiz, {t} a team of both, {k} a criterion,
# {x} the quiz entry; the id in the path is the bad one.
BAD_PATHS = [
    ("GET", "/board/{bad}"), ("GET", "/display/{bad}"), ("GET", "/api/contests/{bad}/standings"),
    ("GET", "/results/{bad}"), ("GET", "/results/{bad}.csv"),
    ("GET", "/judge/contests/{bad}/teams/1"), ("POST", "/judge/contests/{bad}/teams/1"),
    ("GET", "/judge/contests/{c}/teams/{bad}"),
    ("POST", "/judge/sheets/{bad}/reopen"), ("POST", "/judge/reopen-requests/{bad}"),
    ("GET", "/admin/contests/{bad}"), ("POST", "/admin/teams/{bad}"), ("POST", "/admin/reopen/{bad}"),
    ("GET", "/export/contest/{bad}.csv"), ("GET", "/fairness/{bad}"),
    ("GET", "/export/event/{bad}/archive.json"), ("GET", "/quiz/{bad}"),
    ("POST", "/quiz/{q}/entries/{bad}/correct"),
    ("GET", "/results/{bad}/piagam/{t}.pdf"), ("GET", "/results/{c}/piagam/{bad}.pdf"),
    ("GET", "/admin/piagam/contest/{bad}.pdf"), ("GET", "/admin/piagam/event/{bad}.pdf"),
    ("GET", "/admin/laporan/{bad}"), ("GET", "/admin/laporan/{bad}.pdf"),
    ("GET", "/admin/laporan/{bad}/grafik/juara-umum.png"), ("GET", "/fairness/{bad}/juri.png"),
    ("GET", "/piagam/{bad}"),
]

# (method, path, form) where {bad} is an id field of the form or query.
BAD_ID_FIELDS = [
    ("POST", "/admin/hall", {"show": "{bad}"}),
    ("POST", "/admin/contests/{c}/now", {"move": "{bad}"}),
    ("POST", "/admin/contests/{c}/penalties", {"team_id": "{bad}", "points": "1", "reason": "x"}),
    ("GET", "/admin/audit?contest={bad}&team={bad}&judge={bad}", None),
    ("POST", "/admin/teams", {"name": "Tim Baru", "region_id": "{bad}"}),
    ("POST", "/admin/judges", {"name": "Juri Baru", "home_region_id": "{bad}"}),
    ("POST", "/admin/contests/{c}/entries", {"team_id": ["{t}", "{bad}"]}),
    ("POST", "/admin/contests/{c}/panel", {"judge_id": "{bad}", "head_id": "{bad}"}),
    ("POST", "/quiz/{q}/tap", {"team": "{bad}", "points": "100", "question": "1"}),
    ("POST", "/quiz/{q}/tap", {"team": "{t}", "points": "100", "question": "1", "round": "{bad}"}),
    ("POST", "/quiz/{q}/tap", {"team": "{t}", "points": "100", "question": "{bad}"}),
    ("GET", "/quiz/{q}?round={bad}", None),
    ("GET", "/quiz/{q}?question={bad}", None),
    ("POST", "/quiz/{q}/stage", {"team": "{bad}"}),
    ("POST", "/judge/contests/{c}/teams/{t}", {"score-{bad}": "7", "client_id": "{uuid}"}),
]

# (method, path, form) where {huge} is a decimal field.
HUGE_FIELDS = [
    ("POST", "/admin/contests/{c}/penalties", {"team_id": "{t}", "points": "{huge}", "reason": "x"}),
    ("POST", "/admin/contests/{c}/criteria", {"name": "Baru", "weight": "1", "min_score": "0",
                                              "max_score": "{huge}", "step": "1"}),
    ("POST", "/admin/criteria/{k}", {"name": "Kekompakan", "weight": "{huge}", "min_score": "1",
                                     "max_score": "10", "step": "0.5"}),
    ("POST", "/admin/event/overall", {"mode": "points", "points_0": "{huge}"}),
    ("POST", "/admin/contests/{q}/rounds", {"name": "Babak baru", "buttons": "{huge}"}),
    ("POST", "/quiz/{q}/tap", {"team": "{t}", "points": "{huge}", "question": "1"}),
    ("POST", "/quiz/{q}/entries/{x}/correct", {"points": "{huge}", "reason": "x"}),
    ("POST", "/judge/contests/{c}/teams/{t}", {"score-{k}": "{huge}", "client_id": "{uuid}"}),
]


@pytest.fixture
def world(app):
    """A rubric contest and a quiz sharing a team, their head judge and scorekeeper, an organizer."""
    event, contest, teams, _a, _b = gen_small_contest()
    quiz, _teams, (keeper, keeper_code) = gen_quiz_contest(event, teams=teams)
    head, head_code = gen_judge(event, "Ketua Juri", [contest], role="head")
    entry, _new = quiz_service.record_tap(quiz, teams[0], quiz.rounds[0], 1, "+100", "first-tablet", keeper)
    return {"c": contest.id, "q": quiz.id, "t": teams[0].id, "k": contest.criteria[0].id,
            "x": entry.id, "organizer": gen_organizer(), "codes": (head_code, keeper_code)}


def clients(app, world):
    """One client per role: anonymous, judge (ketua juri), scorekeeper, organizer."""
    anonymous, judge, keeper, organizer = (app.test_client() for _ in range(4))
    for client, code in zip((judge, keeper), world["codes"]):
        assert client.get(f"/judge/login/{code}").status_code == 302
    as_organizer(organizer, world["organizer"])
    return {"anonymous": anonymous, "judge": judge, "scorekeeper": keeper, "organizer": organizer}


def snapshot() -> tuple:
    """Every table's row count, every contest's version and the event's settings."""
    db.session.expire_all()
    counts = tuple(db.session.scalar(db.select(db.func.count()).select_from(table))
                   for table in db.metadata.sorted_tables)
    versions = tuple(db.session.execute(db.select(Contest.id, Contest.version, Contest.status)))
    events = tuple(db.session.execute(db.select(Event.overall_mode, Event.award_points,
                                                Event.hall_contest_id)))
    return counts, versions, events


def fill(template, world, **values):
    """The template with the world's ids and the hostile value filled in (lists item by item)."""
    if template is None:
        return None
    if isinstance(template, list):
        return [fill(item, world, **values) for item in template]
    if isinstance(template, dict):
        return {fill(key, world, **values): fill(value, world, **values)
                for key, value in template.items()}
    names = {k: world[k] for k in ("c", "q", "t", "k", "x")} | values | {"uuid": uuid.uuid4().hex}
    return template.format(**names)


def throw(app, world, method, path, form, **values):
    """Send the request as every role: never a 500, a 4xx for a write, and nothing changes."""
    before = snapshot()
    for number, (role, client) in enumerate(clients(app, world).items()):
        # Half the roles as htmx (partials), half as plain forms (pages).
        headers = {"HX-Request": "true"} if number % 2 else {}
        response = client.open(fill(path, world, **values), method=method,
                               data=fill(form, world, **values), headers=headers)
        assert response.status_code < 500, (role, response.get_data(as_text=True)[:300])
        if method == "POST" and role != "anonymous":
            assert 400 <= response.status_code < 500, (role, response.status_code)
        assert snapshot() == before, role


def test_an_impossible_id_in_the_url_is_a_404(app, world):
    roles = clients(app, world)
    for (method, path), bad in itertools.product(BAD_PATHS, (BIG, str(2**63), str(2**31))):
        for client in roles.values():
            response = client.open(fill(path, world, bad=bad), method=method)
            # 405 when only a GET route of that shape exists (Werkzeug's matcher): still no 500.
            assert response.status_code in (404, 405), (path, bad, response.status_code)


def test_the_largest_id_is_still_an_id_and_only_ascii_digits_are(app, world, client):
    assert client.get(f"/board/{MAX_ID}").status_code == 404
    assert client.get("/board/\u0661").status_code == 404  # Arabic-Indic one, not contest 1
    assert client.get(f"/board/{world['c']}").status_code == 200


@pytest.mark.parametrize("method,path,form", BAD_ID_FIELDS)
def test_a_bad_id_in_a_form_or_query_is_refused_and_changes_nothing(app, world, method, path, form):
    for bad in BAD_IDS:
        throw(app, world, method, path, form, bad=bad)


@pytest.mark.parametrize("method,path,form", HUGE_FIELDS)
def test_a_huge_number_is_refused_and_changes_nothing(app, world, method, path, form):
    for huge in HUGE_NUMBERS:
        throw(app, world, method, path, form, huge=huge)


def test_a_huge_penalty_says_it_is_too_large(app, world):
    organizer = clients(app, world)["organizer"]
    response = organizer.post(f"/admin/contests/{world['c']}/penalties", headers={"HX-Request": "1"},
                              data={"team_id": world["t"], "points": "1" + "0" * 40, "reason": "x"})
    assert response.status_code == 422
    assert "Poin pengurangan terlalu besar." in response.get_data(as_text=True)


@pytest.mark.parametrize("value,expected", [
    ("1", 1), ("42", 42), (" 7 ", 7), (7, 7), (str(MAX_ID), MAX_ID),
    (str(MAX_ID + 1), None), (BIG, None), ("0", None), ("-1", None), (-1, None), ("²", None),
    ("٧", None), ("1e3", None), ("", None), (None, None), (True, None), ("1.0", None), ([1], None),
])
def test_to_id_takes_ascii_digits_within_bigint_only(value, expected):
    assert to_id(value) == expected


def test_parse_score_refuses_a_trillion_or_more_and_it_is_out_of_range():
    assert parse_score("999999999999.999") == parse_score("999999999999,999")
    for huge in ("1000000000000", "-1" + "0" * 40, 10**40, 1e40):
        with pytest.raises(NumberTooLarge):
            parse_score(huge)
    problem = score_problem("1" + "0" * 40, parse_score("1"), parse_score("10"), parse_score("0.5"))
    assert problem.text() == "Nilai harus antara 1 dan 10."


def test_watching_an_impossible_contest_id_is_refused(app, world, client):
    live = socketio.test_client(app, namespace="/live", flask_test_client=client)
    for contest_id in (2**70, 2**63, 2**31, -1, 0):
        ack = live.emit("watch", {"contest": contest_id}, namespace="/live", callback=True)
        assert ack["ok"] is False
    assert live.emit("unwatch", {"contest": 2**70}, namespace="/live", callback=True) == {"ok": True}
    assert live.emit("watch", {"contest": world["c"]}, namespace="/live", callback=True) == {"ok": True}


def test_a_body_over_the_limit_is_a_friendly_413_before_it_is_read(app, client):
    # Sized for the forms (issue 13 item 1); the views taking a file have their own limit.
    assert app.config["MAX_CONTENT_LENGTH"] == 256 * 1024
    body = b"x" * (256 * 1024 + 1)
    page = client.post("/judge/login", data=body, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 413
    assert "Data yang dikirim terlalu besar (paling banyak 256 KB)." in page.get_data(as_text=True)
    api = client.post("/judge/login", data=body, content_type="application/json",
                      headers={"Accept": "application/json"})
    assert api.status_code == 413
    assert api.get_json() == {"error": "Data yang dikirim terlalu besar (paling banyak 256 KB)."}


def test_the_import_upload_keeps_its_own_limit(app, world):
    assert app.config["MAX_UPLOAD_LENGTH"] == 5 * 1024 * 1024
    # A 1 MB team list is read (and its rows checked), not refused as a form would be.
    rows = "\n".join(f"Tim {n},Awayan,{'d' * 500}" for n in range(2100))
    big = f"nama,kecamatan,desa\n{rows}".encode()
    assert len(big) > 1024 * 1024
    response = import_upload(app, world, big, "tim.csv")
    assert response.status_code == 422
    assert "Paling banyak 2000 baris per berkas." in response.get_data(as_text=True)
    too_big = import_upload(app, world, b"x" * (5 * 1024 * 1024 + 1), "tim.csv")
    assert too_big.status_code == 413
    assert "Data yang dikirim terlalu besar (paling banyak 5 MB)." in too_big.get_data(as_text=True)


def test_the_request_limit_is_configurable(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/judge/login", data={"code": "x" * 2000})
    assert response.status_code == 413
    assert "Data yang dikirim terlalu besar" in response.get_data(as_text=True)


def import_upload(app, world, data: bytes, filename: str):
    organizer = clients(app, world)["organizer"]
    return organizer.post("/admin/import/teams", data={"file": (io.BytesIO(data), filename)},
                          content_type="multipart/form-data")


def test_the_importer_stops_reading_after_max_rows(app, world):
    from scoreboard.services.importer import MAX_ROWS
    rows = [f"Tim {n},Awayan" for n in range(MAX_ROWS + 1)]
    # Past MAX_ROWS + 1 comes a field csv refuses to read: it is never reached.
    data = "\n".join(["nama,kecamatan", *rows, "x" * 200_000]).encode()
    before = snapshot()
    response = import_upload(app, world, data, "tim.csv")
    assert response.status_code == 422
    assert f"Paling banyak {MAX_ROWS} baris per berkas." in response.get_data(as_text=True)
    assert snapshot() == before


def test_the_importer_checks_the_header_before_the_rows(app, world):
    data = "\n".join(["name,region", "x" * 200_000]).encode()
    response = import_upload(app, world, data, "tim.csv")
    assert response.status_code == 422
    assert "Kolom wajib tidak ada: nama, kecamatan." in response.get_data(as_text=True)


def test_an_unreadable_csv_is_a_422(app, world):
    response = import_upload(app, world, "\n".join(["nama,kecamatan", "x" * 200_000]).encode(),
                             "tim.csv")
    assert response.status_code == 422
    assert "Berkas CSV tidak dapat dibaca." in response.get_data(as_text=True)


def test_an_xlsx_that_unpacks_too_large_is_refused_before_openpyxl_opens_it(app, world, monkeypatch):
    from openpyxl import Workbook
    from scoreboard.services import importer
    workbook = Workbook()
    workbook.active.append(["nama", "kecamatan"])
    workbook.active.append(["Tim Bom", "Awayan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b"\0" * (2 * 1024 * 1024))
    monkeypatch.setattr(importer, "MAX_XLSX_BYTES", 1024 * 1024)
    monkeypatch.setattr(importer, "load_workbook", lambda *a, **k: pytest.fail("workbook was opened"))
    before = snapshot()
    response = import_upload(app, world, buffer.getvalue(), "tim.xlsx")
    assert response.status_code == 422
    assert ("Berkas XLSX terlalu besar setelah dibuka (paling banyak 1 MB)."
            in response.get_data(as_text=True))
    assert snapshot() == before


def open_live(client, origin=None, **environ):
    """The first request of a Socket.IO connection (Engine.IO polling handshake)."""
    headers = {"Origin": origin} if origin else {}
    return client.get("/socket.io/?EIO=4&transport=polling", headers=headers, **environ)


def test_a_live_connection_from_another_site_is_refused(app, client):
    assert open_live(client, "http://evil.example").status_code == 400
    assert open_live(client, "http://localhost.evil.example").status_code == 400


def test_a_live_connection_from_the_apps_own_pages_is_accepted(app, client):
    assert open_live(client, "http://localhost").status_code == 200
    assert open_live(client).status_code == 200  # no Origin: not a browser page, nothing to check
    assert open_live(client, "https://board.example", environ_overrides={
        "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_HOST": "board.example"}).status_code == 200


def test_public_base_url_is_an_allowed_origin_too(app, client):
    assert open_live(client, "https://skor.example").status_code == 400
    app.config["PUBLIC_BASE_URL"] = "https://skor.example/"
    assert open_live(client, "https://skor.example").status_code == 200
    assert open_live(client, "http://evil.example").status_code == 400


@pytest.mark.parametrize("typed", ["٧", "７", "1٠", "٧,٥", "𝟕"])
def test_only_ascii_digits_are_a_score(typed):
    with pytest.raises(ValueError):
        parse_score(typed)
    assert score_problem(typed, parse_score("1"), parse_score("10"), parse_score("0.5")).text() == (
        "Nilai harus berupa angka.")


def results_csv(contest) -> list[list[str]]:
    from scoreboard.services import result_files, results as results_service
    body = result_files.build_csv(results_service.results_for(contest))
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_negative_score_after_a_penalty_is_a_plain_number_in_the_csv(app):
    from tests.factories import gen_penalty, gen_sheet
    _event, contest, (awayan, *_), (judge_a, _), (judge_b, _) = gen_small_contest()
    gen_sheet(contest, judge_a, awayan, [1, 1])
    gen_sheet(contest, judge_b, awayan, [1, 1])
    gen_penalty(contest, awayan, 5)
    rows = results_csv(contest)
    awayan_row = next(row for row in rows if row[2] == "Tim Awayan")
    assert awayan_row[4] == "-2.00"


def test_a_negative_quiz_score_is_a_plain_number_in_the_csv_and_a_formula_name_is_inert(app):
    contest, (awayan, batumandi, _halong), (keeper, _code) = gen_quiz_contest()
    batumandi.name = "-1+2"  # text that a spreadsheet would compute: still neutralized
    db.session.commit()
    quiz_service.record_tap(contest, awayan, contest.rounds[2], 1, "-100", "minus-tablet", keeper)
    rows = results_csv(contest)
    by_team = {row[2]: row[4] for row in rows[1:]}
    assert by_team["Tim Awayan"] == "-100.00"
    assert "'-1+2" in by_team


def test_the_secret_key_file_is_owner_only_from_its_creation(tmp_path, monkeypatch):
    import os
    from pathlib import Path
    from scoreboard.config import load_or_create_secret_key
    # No fixing the mode up afterwards, and a umask that would leave a plain file world-readable.
    monkeypatch.setattr(Path, "chmod", lambda *args, **kwargs: None)
    previous = os.umask(0)
    try:
        key = load_or_create_secret_key(str(tmp_path))
    finally:
        os.umask(previous)
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert load_or_create_secret_key(str(tmp_path)) == key and len(key) == 64
