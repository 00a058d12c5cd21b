"""The console speaks Indonesian, links to results and fairness, and asks before the irreversible."""
import pytest

from scoreboard.extensions import db
from tests.admin_helpers import as_organizer
from tests.factories import gen_organizer, gen_quiz_contest, gen_small_contest


@pytest.fixture
def desk(app, client):
    """A small rubric contest, a quiz, and an organizer's client."""
    event, contest, teams, *_judges = gen_small_contest()
    quiz, *_rest = gen_quiz_contest(event, teams=teams)
    return {"contest": contest, "quiz": quiz, "client": as_organizer(client, gen_organizer())}


def test_status_state_and_method_are_shown_in_indonesian(desk):
    """No raw codes ("open", "live", "trimmed_mean") where the organizer reads them."""
    client, contest = desk["client"], desk["contest"]
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert ">dibuka</span>" in dashboard and "<td>Langsung</td>" in dashboard
    assert ">open<" not in dashboard and "<td>live</td>" not in dashboard
    run = client.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert 'data-status="open">dibuka</small>' in run
    setup = client.get(f"/admin/contests/{contest.id}/setup").get_data(as_text=True)
    assert '<option value="trimmed_mean" >rata-rata terpangkas</option>' in setup
    contest.status = "closed"
    db.session.commit()
    run = client.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert 'data-status="closed">dikunci</small>' in run


def test_nav_links_to_results_downloads_and_fairness(desk):
    """The console links the downloads page and, per rubric contest, the fairness preview."""
    client, contest, quiz = desk["client"], desk["contest"], desk["quiz"]
    page = client.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert 'href="/export/"' in page
    assert f'href="/fairness/{contest.id}"' in page
    assert f'href="/results/{contest.id}"' not in page  # 404 until published
    assert client.get(f"/fairness/{contest.id}").status_code == 200
    assert client.get("/export/").status_code == 200
    quiz_page = client.get(f"/admin/contests/{quiz.id}").get_data(as_text=True)
    assert f'href="/fairness/{quiz.id}"' not in quiz_page
    contest.status = "published"
    db.session.commit()
    page = client.get(f"/admin/contests/{contest.id}").get_data(as_text=True)
    assert f'href="/results/{contest.id}"' in page
    assert client.get(f"/results/{contest.id}").status_code == 200


def test_irreversible_actions_ask_first(desk):
    """Lock, publish, unpublish and new access codes carry a confirmation question."""
    client, contest = desk["client"], desk["contest"]
    assert 'hx-confirm="Kunci lomba ini?' in client.get(
        f"/admin/contests/{contest.id}").get_data(as_text=True)
    contest.status = "closed"
    db.session.commit()
    assert 'hx-confirm="Umumkan hasil lomba ini?' in client.get(
        f"/admin/contests/{contest.id}").get_data(as_text=True)
    contest.status = "published"
    db.session.commit()
    assert 'hx-confirm="Batalkan pengumuman?' in client.get(
        f"/admin/contests/{contest.id}").get_data(as_text=True)
    judges = client.get("/admin/judges").get_data(as_text=True)
    assert judges.count('data-confirm="Buat kode baru untuk juri ini?') == 3
    assert 'data-confirm="Buat ulang kode SEMUA juri?' in judges
