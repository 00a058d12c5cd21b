"""Setting up from the console: event, regions, teams, contests, criteria, judges, guard rails."""
import pytest

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Criterion, Event, Team
from tests.admin_helpers import as_organizer
from tests.factories import gen_event, gen_organizer, gen_sheet, gen_small_contest


@pytest.fixture
def org(app, client):
    """An organizer's client."""
    return as_organizer(client, gen_organizer())


def last_audit(entity):
    return db.session.scalar(db.select(AuditEntry).filter_by(entity=entity)
                             .order_by(AuditEntry.id.desc()).limit(1))


def test_event_contest_criteria_and_panel_from_scratch(org):
    """From an empty database: event, region, team, contest, criterion, judges, entries."""
    assert "Siapkan acara" in org.get("/admin/").get_data(as_text=True)
    assert org.post("/admin/event", data={"name": "Temu Kader 2026", "venue": "Paringin",
                                          "held_on": "2026-02-25"}).status_code == 302
    event = db.session.scalar(db.select(Event))
    assert event.active and last_audit("event").new_value["name"] == "Temu Kader 2026"
    org.post("/admin/regions", data={"name": "Awayan"})
    region = event.regions[0]
    org.post("/admin/teams", data={"name": "Tim <b>Awayan</b>", "region_id": region.id})
    page = org.get("/admin/teams").get_data(as_text=True)
    assert "Tim &lt;b&gt;Awayan&lt;/b&gt;" in page and "<b>Awayan</b>" not in page
    org.post("/admin/contests", data={"name": "Lomba Yel-Yel", "kind": "rubric"})
    contest = event.contests[0]
    response = org.post(f"/admin/contests/{contest.id}/criteria", headers={"HX-Request": "true"},
                        data={"name": "Kekompakan", "weight": "1,5", "min_score": "1",
                              "max_score": "10", "step": "0,5"})
    assert response.status_code == 200 and 'id="contest-setup"' in response.get_data(as_text=True)
    criterion = db.session.scalar(db.select(Criterion))
    assert str(criterion.weight) == "1.500" or criterion.weight == 1.5
    org.post("/admin/judges", data={"name": "Juri A"})
    org.post("/admin/judges", data={"name": "Juri B", "home_region_id": region.id})
    judges = {j.name: j.id for j in event.judges}
    org.post(f"/admin/contests/{contest.id}/panel",
             data={"judge_id": [judges["Juri A"], judges["Juri B"]], "head_id": judges["Juri A"]})
    team = db.session.scalar(db.select(Team))
    org.post(f"/admin/contests/{contest.id}/entries", data={"team_id": [team.id]})
    org.post(f"/admin/contests/{contest.id}/settings",
             data={"name": "Lomba Yel-Yel", "kind": "rubric", "method": "median", "status": "open",
                   "tie_break": [criterion.id], "award_labels": "Juara I\nJuara II",
                   "award_count": "2"})
    db.session.expire_all()
    assert contest.head_judge.name == "Juri A" and [t.name for t in contest.teams] == [team.name]
    assert contest.method == "median" and contest.status == "open"
    assert contest.tie_break == [criterion.id] and contest.awards == ("Juara I", "Juara II")
    for entity in ("region", "team", "contest", "criterion", "judge", "contest_judges",
                   "contest_teams"):
        assert last_audit(entity) is not None, entity


@pytest.mark.parametrize("fields, message", [
    ({"name": ""}, "Nama kriteria wajib diisi"),
    ({"min_score": "10", "max_score": "1"}, "minimum harus lebih kecil"),
    ({"step": "0"}, "Langkah harus lebih dari 0"),
    ({"weight": "dua"}, "Bobot harus berupa angka"),
    ({"step": "0,4"}, "habis dibagi langkahnya"),
])
def test_bad_criterion_is_refused(org, fields, message):
    """Invalid criteria get a clear 422 and nothing is stored."""
    _event, contest, *_ = gen_small_contest()
    data = {"name": "Baru", "weight": "1", "min_score": "1", "max_score": "10", "step": "0,5"}
    data.update(fields)
    response = org.post(f"/admin/contests/{contest.id}/criteria", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Criterion.id))) == 2


def test_scored_contest_needs_confirmation_for_criteria_and_judges(org):
    """Once scores exist, criteria and panel changes need confirming, and are audited."""
    event, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
    gen_sheet(contest, judge_a, teams[0], [8, 9])
    criterion = contest.criteria[0]
    data = {"name": "Kekompakan", "weight": "2", "min_score": "1", "max_score": "10",
            "step": "0,5"}
    refused = org.post(f"/admin/criteria/{criterion.id}", data=data)
    assert refused.status_code == 409
    assert "sudah memiliki nilai" in refused.get_data(as_text=True)
    db.session.refresh(criterion)
    assert criterion.weight == 1
    assert org.post(f"/admin/criteria/{criterion.id}",
                    data={**data, "confirm": "1"}).status_code == 302
    db.session.refresh(criterion)
    assert criterion.weight == 2
    assert last_audit("criterion").old_value["weight"] == "1"
    assert org.post(f"/admin/contests/{contest.id}/panel",
                    data={"judge_id": [judge_a.id]}).status_code == 409
    assert len(contest.panel) == 2
    narrowed = org.post(f"/admin/criteria/{criterion.id}",
                        data={**data, "min_score": "9", "confirm": "1"})
    assert narrowed.status_code == 422  # a stored 8 would fall outside the range


def test_scored_team_cannot_be_deleted_and_region_in_use_stays(org):
    """Deleting what scores or teams depend on is refused with a reason."""
    event, contest, teams, (judge_a, _), _b = gen_small_contest()
    gen_sheet(contest, judge_a, teams[0], [8, 9])
    assert org.post(f"/admin/teams/{teams[0].id}/delete").status_code == 422
    assert org.post(f"/admin/regions/{teams[0].region_id}/delete").status_code == 422
    assert org.post(f"/admin/teams/{teams[1].id}/delete").status_code == 302
    assert db.session.get(Team, teams[1].id) is None


def test_duplicate_team_name_is_a_clear_422(org):
    """A second team with the same name is refused, not a 500."""
    event = gen_event()
    region = event.regions[0]
    org.post("/admin/teams", data={"name": "Tim A", "region_id": region.id})
    response = org.post("/admin/teams", data={"name": "Tim A", "region_id": region.id},
                        headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "sudah ada" in response.get_data(as_text=True)
    assert 'id="teams-panel"' in response.get_data(as_text=True)


def test_unknown_ids_are_404(org):
    """Unknown contests, teams and judges answer 404."""
    gen_event()
    assert org.get("/admin/contests/999").status_code == 404
    assert org.post("/admin/teams/999").status_code == 404
    assert org.post("/admin/judges/999/code").status_code == 404
