"""The public JSON API of rules §4: shapes, two-decimal strings, versions, frozen answers."""
from scoreboard.extensions import db
from scoreboard.services import display_state
from scoreboard.services.publish import mark_changed
from tests.factories import gen_sheet, gen_small_contest


def save(contest, judge, team, values):
    gen_sheet(contest, judge, team, values)
    mark_changed(contest)
    db.session.commit()


def test_contests_lists_the_active_event(app, client):
    event, contest, *_ = gen_small_contest()
    response = client.get("/api/contests")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["event"] == {"id": event.id, "name": "Lomba Uji 2026", "venue": "Gedung Sanggam",
                             "date": "2026-02-26", "timezone": "Asia/Makassar"}
    assert data["contests"] == [{"id": contest.id, "name": "Lomba Yel-Yel", "kind": "rubric",
                                 "status": "open", "version": contest.version, "frozen": False,
                                 "display_state": "live"}]


def test_contests_without_an_event(app, client):
    assert client.get("/api/contests").get_json() == {"event": None, "contests": []}


def test_standings_rows_follow_the_contract(app, client):
    _, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
    save(contest, judge_a, teams[2], [8.5, 7])
    save(contest, judge_b, teams[2], [9, 7.5])
    save(contest, judge_a, teams[0], [6, 6])
    data = client.get(f"/api/contests/{contest.id}/standings").get_json()
    assert data["version"] == contest.version and data["status"] == "open"
    assert data["frozen"] is False and data["contest"]["id"] == contest.id
    assert data["rows"] == [
        {"rank": 1, "award": "Juara I", "team": "Tim Halong", "region": "Halong",
         "score": "23.25", "complete": True},
        {"rank": 2, "award": "Juara II", "team": "Tim Awayan", "region": "Awayan",
         "score": "18.00", "complete": False},
        # Not scored yet: no rank, no award, not complete (one rule everywhere).
        {"rank": None, "award": "", "team": "Tim Batumandi", "region": "Batumandi",
         "score": "0.00", "complete": False},
    ]


def test_frozen_standings_never_show_later_scores(app, client):
    _, contest, teams, (judge_a, _), _ = gen_small_contest()
    save(contest, judge_a, teams[0], [5, 5])
    display_state.set_display_state(contest, "frozen")
    frozen = client.get(f"/api/contests/{contest.id}/standings").get_json()
    save(contest, judge_a, teams[1], [10, 10])
    after = client.get(f"/api/contests/{contest.id}/standings").get_json()
    assert after == frozen and after["frozen"] is True
    assert client.get("/api/contests").get_json()["contests"][0]["version"] == frozen["version"]
    assert "30.00" not in str(after)


def test_hidden_standings_have_no_scores(app, client):
    _, contest, teams, (judge_a, _), _ = gen_small_contest()
    save(contest, judge_a, teams[0], [5, 5])
    display_state.set_display_state(contest, "hidden")
    data = client.get(f"/api/contests/{contest.id}/standings").get_json()
    assert data["display_state"] == "hidden"
    assert [row["team"] for row in data["rows"]] == ["Tim Awayan", "Tim Batumandi", "Tim Halong"]
    assert all(row["score"] == "" and row["rank"] is None for row in data["rows"])


def test_unknown_contest_is_a_json_404(app, client):
    response = client.get("/api/contests/999/standings")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Halaman tidak ditemukan."}


def test_the_api_is_read_only(app, client):
    _, contest, *_ = gen_small_contest()
    for url in ("/api/contests", f"/api/contests/{contest.id}/standings"):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405
