"""The one page-or-partial helper every blueprint uses (scoreboard/htmx.py)."""

from scoreboard.htmx import is_htmx, page_or_partial
from tests.factories import gen_small_contest


def test_only_htmx_true_counts_as_htmx(app):
    for value, expected in (("true", True), ("false", False), ("", False), (None, False)):
        headers = {"HX-Request": value} if value is not None else {}
        with app.test_request_context("/", headers=headers):
            assert is_htmx() is expected


def test_page_or_partial_keeps_vary_a_set_and_passes_the_status(app):
    with app.test_request_context("/", headers={"HX-Request": "true"}):
        response = page_or_partial("display/board.html", "display/_overall.html", status=201,
                                   overall=None, event=None)
        response.vary.add("Accept-Language")
        assert response.status_code == 201
        assert {"HX-Request", "Accept-Language"} <= set(response.vary)


def test_the_public_board_varies_on_hx_request_and_is_never_cached(client):
    _, contest, *_ = gen_small_contest()
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(f"/board/{contest.id}", headers=headers)
        assert response.status_code == 200
        assert "HX-Request" in response.vary
        assert response.headers["Cache-Control"] == "no-store"
    partial = client.get(f"/board/{contest.id}", headers={"HX-Request": "true"})
    assert "<html" not in partial.get_data(as_text=True)
