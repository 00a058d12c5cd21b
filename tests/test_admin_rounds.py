"""Quiz rounds and their point buttons, edited on the quiz contest's setup page."""
import pytest

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, QuizEntry, QuizRound
from tests.admin_helpers import as_organizer
from tests.factories import gen_organizer, gen_quiz_contest


@pytest.fixture
def quiz(app, client):
    """A quiz with the demo's three rounds and an organizer's client."""
    contest, teams, _keeper = gen_quiz_contest()
    as_organizer(client, gen_organizer())
    return {"contest": contest, "teams": teams, "client": client}


def rounds_of(contest):
    db.session.expire_all()
    return {r.name: r.buttons for r in contest.rounds}


def test_setup_page_lists_rounds_with_their_buttons(quiz):
    """The organizer sees each round and its buttons, as a page and as the htmx partial."""
    url = f"/admin/contests/{quiz['contest'].id}/setup"
    page = quiz["client"].get(url).get_data(as_text=True)
    assert "Babak lemparan" in page and 'value="+50, -25"' in page and "<html" in page
    partial = quiz["client"].get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="contest-setup">') and "Tambah babak" in partial


def test_add_edit_and_delete_a_round_with_audit(quiz):
    """A new round, a changed button set and a deletion each show on the page and are audited."""
    client, contest = quiz["client"], quiz["contest"]
    response = client.post(f"/admin/contests/{contest.id}/rounds", headers={"HX-Request": "true"},
                           data={"name": "Babak final", "buttons": "+200, −50"})
    assert response.status_code == 200
    assert 'value="+200, -50"' in response.get_data(as_text=True)
    assert rounds_of(contest)["Babak final"] == ["+200", "-50"]
    final = db.session.scalar(db.select(QuizRound).filter_by(name="Babak final"))
    client.post(f"/admin/rounds/{final.id}", data={"name": "Babak penentuan", "buttons": "+150"})
    assert rounds_of(contest)["Babak penentuan"] == ["+150"]
    response = client.post(f"/admin/rounds/{final.id}/delete")
    assert response.status_code == 302
    assert "Babak penentuan" not in rounds_of(contest)
    actions = [e.action for e in db.session.scalars(
        db.select(AuditEntry).filter_by(entity="quiz_round").order_by(AuditEntry.id))]
    assert actions == ["save_round", "edit_round", "delete_round"]
    assert all(e.actor == "panitia: panitia" for e in db.session.scalars(
        db.select(AuditEntry).filter_by(entity="quiz_round")))


@pytest.mark.parametrize("data, message", [
    ({"name": "", "buttons": "+100"}, "Nama babak wajib diisi"),
    ({"name": "Babak X", "buttons": ""}, "paling sedikit satu tombol"),
    ({"name": "Babak X", "buttons": "+10 abc"}, "Tombol poin"),
    ({"name": "Babak wajib", "buttons": "+100"}, "sudah ada"),
])
def test_bad_round_is_refused_and_nothing_changes(quiz, data, message):
    """A round without a name, without buttons, with a non-number or a clashing name: 422."""
    client, contest = quiz["client"], quiz["contest"]
    before = rounds_of(contest)
    response = client.post(f"/admin/contests/{contest.id}/rounds", data=data,
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert rounds_of(contest) == before


def test_round_with_points_cannot_be_deleted(quiz):
    """A round that already holds taps stays: 409 with a clear message."""
    client, contest = quiz["client"], quiz["contest"]
    used = contest.rounds[0]
    db.session.add(QuizEntry(contest_id=contest.id, team_id=quiz["teams"][0].id,
                             round_id=used.id, question=1, points=100, entered_by="pencatat: uji"))
    db.session.commit()
    response = client.post(f"/admin/rounds/{used.id}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "sudah berisi poin" in response.get_data(as_text=True)
    assert used.name in rounds_of(contest)


def test_rubric_contest_has_no_rounds(app, client):
    """Rounds belong to a quiz: posting one to a rubric contest is refused."""
    from tests.factories import gen_small_contest
    _event, contest, *_rest = gen_small_contest()
    as_organizer(client, gen_organizer())
    response = client.post(f"/admin/contests/{contest.id}/rounds",
                           data={"name": "Babak", "buttons": "+1"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(QuizRound)) is None
