"""Projector, phone, hall and juara umum pages: full pages, htmx partials, what the hall reads."""
import re

import pytest

from scoreboard.extensions import db
from scoreboard.services import display_state
from scoreboard.services.publish import mark_changed
from tests.factories import gen_contest, gen_penalty, gen_sheet, gen_small_contest

HX = {"HX-Request": "true"}


def save(contest, judge, team, values):
    gen_sheet(contest, judge, team, values)
    mark_changed(contest)
    db.session.commit()


@pytest.fixture
def small(app):
    return gen_small_contest()


@pytest.mark.parametrize("page", ["projector", "board"])
def test_board_pages_show_the_standings_the_indonesian_way(client, small, page):
    _, contest, teams, (judge_a, _), (judge_b, _) = small
    save(contest, judge_a, teams[1], [8.5, 9])
    save(contest, judge_b, teams[1], [8, 9.5])
    save(contest, judge_a, teams[0], [7, 7])
    gen_penalty(contest, teams[0], 1.5)
    url = f"/display/{contest.id}" if page == "projector" else f"/board/{contest.id}"
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<html" in html and 'id="board"' in html and 'id="live"' in html
    assert "26,75" in html and "19,50" in html and "−1,50" in html
    rows = html[html.index('id="board"'):]
    rows = rows[rows.index('class="row'):]  # the standings, after any "Bersiap" line
    assert rows.index("Tim Batumandi") < rows.index("Tim Awayan") < rows.index("Tim Halong")
    assert "sementara · 1/2" in html and "Juara I" in html
    assert f'data-version="{contest.version}"' in html


@pytest.mark.parametrize("url", ["/display/{id}", "/board/{id}"])
def test_htmx_gets_the_board_partial_alone(client, small, url):
    _, contest, *_ = small
    response = client.get(url.format(id=contest.id), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith("<section id=\"board\"") and "<html" not in html


def test_projector_has_the_qr_code_of_the_audience_board(client, small):
    _, contest, *_ = small
    html = client.get(f"/display/{contest.id}").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html
    assert f"http://localhost/board/{contest.id}" in html
    assert 'id="conn"' in html


def test_qr_code_uses_the_public_base_url(app, client, small):
    _, contest, *_ = small
    app.config["PUBLIC_BASE_URL"] = "http://192.168.1.10:5000/"
    html = client.get(f"/display/{contest.id}").get_data(as_text=True)
    assert f"http://192.168.1.10:5000/board/{contest.id}" in html


def test_nothing_is_loaded_from_outside_the_app(client, small):
    _, contest, *_ = small
    for url in (f"/display/{contest.id}", f"/board/{contest.id}", "/display", "/overall"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_now_performing_and_judging_progress(client, small):
    _, contest, teams, (judge_a, _), _ = small
    save(contest, judge_a, teams[2], [6, 6])
    display_state.set_now_performing(contest, teams[2])
    html = client.get(f"/display/{contest.id}").get_data(as_text=True)
    assert "Sedang tampil" in html and "1 dari 2 juri" in html


def test_hidden_board_shows_order_and_performed_but_no_scores(client, small):
    _, contest, teams, (judge_a, _), _ = small
    save(contest, judge_a, teams[0], [9.5, 9.5])
    display_state.set_display_state(contest, "hidden")
    html = client.get(f"/board/{contest.id}").get_data(as_text=True)
    assert "Nilai disembunyikan" in html and "sudah tampil" in html and "belum tampil" in html
    assert "28,50" not in html and "Juara I" not in html


def test_frozen_board_is_marked_and_keeps_its_numbers(client, small):
    _, contest, teams, (judge_a, _), _ = small
    save(contest, judge_a, teams[0], [5, 5])
    display_state.set_display_state(contest, "frozen")
    save(contest, judge_a, teams[1], [10, 10])
    html = client.get(f"/display/{contest.id}").get_data(as_text=True)
    assert "Papan dibekukan" in html and "15,00" in html and "30,00" not in html


def test_team_names_are_text_not_markup(client, small):
    _, contest, teams, *_ = small
    teams[0].name = "<script>alert('x')</script>"
    db.session.commit()
    html = client.get(f"/board/{contest.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("url", ["/display/999", "/board/999"])
def test_unknown_contest_is_404(client, small, url):
    response = client.get(url)
    assert response.status_code == 404 and "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_hall_follows_the_organizers_choice(client, small):
    event, contest, teams, *_ = small
    assert "Lomba Yel-Yel" in client.get("/display").get_data(as_text=True)
    other = gen_contest(event, name="Lomba Tari Kreasi", teams=teams)
    display_state.set_hall_contest(event, other)
    response = client.get("/display", headers=HX)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="screen"') and "Lomba Tari Kreasi" in html
    display_state.set_hall_contest(event, None)
    assert "Juara Umum" in client.get("/display").get_data(as_text=True)


def test_hall_without_an_event(client):
    assert client.get("/display").status_code == 200


def test_overall_counts_awards_of_published_contests_only(client, small):
    event, contest, teams, (judge_a, _), _ = small
    save(contest, judge_a, teams[1], [9, 9])
    save(contest, judge_a, teams[0], [5, 5])
    assert "Juara Umum" in client.get("/overall").get_data(as_text=True)
    partial = client.get("/overall", headers=HX).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="overall"')
    cells = lambda html: re.findall(r'<td class="team">([^<]+)</td>((?:<td class="num">\d+</td>)+)',
                                    html.replace("\n", "").replace("  ", ""))
    assert all("1" not in counts for _, counts in cells(partial))
    contest.status = "published"
    db.session.commit()
    rows = dict(cells(client.get("/overall", headers=HX).get_data(as_text=True)))
    assert rows["Batumandi"].startswith('<td class="num">1</td>')
    assert rows["Awayan"].startswith('<td class="num">0</td><td class="num">1</td>')


def test_overall_without_an_event_is_404(client):
    assert client.get("/overall").status_code == 404


def test_landing_page_links_to_the_boards(client, small):
    _, contest, *_ = small
    html = client.get("/").get_data(as_text=True)
    assert f'href="/board/{contest.id}"' in html and f'href="/display/{contest.id}"' in html
    assert 'href="/display"' in html


def test_overall_page_follows_live_and_knows_what_it_was_made_from(client, small):
    event, contest, teams, (judge_a, _), _ = small
    contest.status = "published"
    db.session.commit()
    html = client.get("/overall").get_data(as_text=True)
    assert f'data-overall="{event.id}"' in html and 'id="conn"' in html and "js/board.js" in html
    api = client.get("/api/contests").get_json()["contests"]
    # The same signature the phone builds from /api/contests in its backstop poll.
    assert f'data-sig="{api[0]["id"]}:{api[0]["version"]}"' in html


def test_console_warns_before_a_provisional_reveal_and_about_a_stale_one(client, small):
    """Item 5: a provisional reveal starts only when confirmed; a late change is named."""
    from tests.admin_helpers import as_organizer
    from tests.factories import gen_organizer
    _, contest, teams, (judge_a, _), (judge_b, _) = small
    as_organizer(client, gen_organizer())
    page = f"/admin/contests/{contest.id}"
    save(contest, judge_a, teams[0], [9, 9])
    assert "akan memakai nilai sementara" in client.get(page).get_data(as_text=True)

    refused = client.post(f"{page}/display", data={"state": "reveal"}, headers=HX)
    assert refused.status_code == 409
    assert "Umumkan dengan nilai sementara" in refused.get_data(as_text=True)
    assert db.session.get(type(contest), contest.id).display_state == "live"

    response = client.post(f"{page}/display", data={"state": "reveal", "confirm_provisional": "1"},
                           headers=HX)
    assert response.status_code == 200
    assert "reveal-alert" not in response.get_data(as_text=True)  # nothing newer yet
    client.post(f"{page}/display", data={"state": "reveal_next"}, headers=HX)  # Awayan: Juara I
    save(contest, judge_a, teams[1], [10, 10])
    live = client.get(f"{page}/live", headers=HX).get_data(as_text=True)
    assert "Nilai berubah selama pengumuman!" in live and 'hx-swap-oob="true"' in live
    assert "aula menampilkan Juara I, sekarang" in live and "Juara II (peringkat 2)" in live

    save(contest, judge_b, teams[0], [1, 1])
    restart = client.post(f"{page}/display", data={"state": "reveal", "confirm_provisional": "1"},
                          headers=HX)
    assert "reveal-alert" not in restart.get_data(as_text=True)
    assert 'id="reveal-step">langkah 0/' in restart.get_data(as_text=True)
    snapshot = db.session.get(type(contest), contest.id).frozen_board
    assert {row["team"]: row["judges_done"] for row in snapshot["rows"]}["Tim Awayan"] == 2
