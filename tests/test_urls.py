"""One rule for addresses that leave the app (scoreboard/urls.py public_url)."""
from scoreboard.services.access import login_link
from scoreboard.services.results import verify_url
from scoreboard.urls import public_url


def test_public_base_url_wins_everywhere(app):
    app.config["PUBLIC_BASE_URL"] = "https://skor.example/"
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        assert login_link("abcd-efgh") == "https://skor.example/judge/login/ABCDEFGH"
        assert verify_url("ab12") == "https://skor.example/verify/ab12"
        assert public_url("display.board", contest_id=3) == "https://skor.example/board/3"
    assert login_link("abcd") == "https://skor.example/judge/login/ABCD"


def test_without_it_the_requests_host_then_the_cli_default(app):
    app.config["PUBLIC_BASE_URL"] = None
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        assert login_link("abcd") == "http://10.0.0.5:8000/judge/login/ABCD"
        assert verify_url("ab12") == "http://10.0.0.5:8000/verify/ab12"
        assert public_url("display.board", contest_id=3) == "http://10.0.0.5:8000/board/3"
    assert login_link("abcd") == "http://127.0.0.1:5000/judge/login/ABCD"
    assert verify_url("ab12") == "http://127.0.0.1:5000/verify/ab12"
