"""The export blueprint: access matrix, downloads, public results, fairness preview, CSRF."""
import csv
import io

import pytest

from scoreboard import create_app
from scoreboard.extensions import db
from scoreboard.identity import organizer_session
from scoreboard.models import Organizer
from scoreboard.services.backup import snapshots
from tests.conftest import base_config
from tests.factories import gen_contest, gen_judge, gen_sheet, gen_small_contest, gen_team


@pytest.fixture
def world(app):
    """A scored rubric contest (3 judges, one harsh), its ketua juri, another contest's head, an organizer."""
    event, contest, teams, (judge_a, _), (judge_b, _) = gen_small_contest()
    judge_c, _ = gen_judge(event, "Juri C", [contest])
    head, _ = gen_judge(event, "Ketua Yel", [contest], role="head")
    other = gen_contest(event, name="Lomba Tari Kreasi", teams=teams)
    other_head, _ = gen_judge(event, "Ketua Tari", [other], role="head")
    # Totals (K + 2·Kr): Awayan 30/12/12 (mean 18, median 12), Batumandi 15/15/15, Halong 3/3/3.
    for judge, awayan in ((judge_a, [10, 10]), (judge_b, [4, 4]), (judge_c, [4, 4])):
        gen_sheet(contest, judge, teams[0], awayan)
        gen_sheet(contest, judge, teams[1], [5, 5])
        gen_sheet(contest, judge, teams[2], [1, 1])
    organizer = Organizer(username="admin", password_hash="x")
    db.session.add(organizer)
    db.session.commit()
    return {"contest": contest, "other": other, "event": event, "teams": teams,
            "roles": {"anonim": None, "juri": ("judge_id", judge_a.id),
                      "ketua": ("judge_id", head.id), "ketua lain": ("judge_id", other_head.id),
                      "panitia": ("organizer_id", organizer.id)}}


def login(client, role):
    with client.session_transaction() as session:
        session.clear()
        if role and role[0] == "organizer_id":
            session.update(organizer_session(db.session.get(Organizer, role[1])))
        elif role:
            session[role[0]] = role[1]
        if role and role[0] == "judge_id":  # as the judge login does: tied to the current code
            from scoreboard.identity import session_stamp
            from scoreboard.models import Judge
            session["judge_stamp"] = session_stamp(db.session.get(Judge, role[1]))


def organizer_routes(w):
    contest, event = w["contest"], w["event"]
    return ["/export/", f"/export/contest/{contest.id}.csv", f"/export/contest/{contest.id}.xlsx",
            f"/export/contest/{contest.id}.pdf", f"/export/contest/{contest.id}.json",
            f"/export/event/{event.id}/results.xlsx", f"/export/event/{event.id}/recap.pdf",
            f"/export/event/{event.id}/winners.pdf", f"/export/event/{event.id}/archive.json"]


@pytest.mark.parametrize("role, allowed", [("anonim", False), ("juri", False), ("ketua", False),
                                           ("ketua lain", False), ("panitia", True)])
def test_organizer_downloads_matrix(world, client, role, allowed):
    login(client, world["roles"][role])
    for path in organizer_routes(world):
        response = client.get(path)
        assert response.status_code == (200 if allowed else 403), path
        if allowed and path != "/export/":
            assert response.headers["Content-Disposition"].startswith("attachment")
    assert client.post("/export/backup").status_code == (302 if allowed else 403)


@pytest.mark.parametrize("role, allowed", [("anonim", False), ("juri", False), ("ketua", True),
                                           ("ketua lain", False), ("panitia", True)])
def test_fairness_matrix(world, client, role, allowed):
    login(client, world["roles"][role])
    response = client.get(f"/fairness/{world['contest'].id}")
    assert response.status_code == (200 if allowed else 403)
    chart = client.get(f"/fairness/{world['contest'].id}/juri.png")
    assert chart.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", ["anonim", "juri", "ketua", "panitia"])
def test_public_pages_for_everyone_once_published(world, client, role):
    contest = world["contest"]
    login(client, world["roles"][role])
    assert client.get(f"/results/{contest.id}").status_code == 404
    assert client.get(f"/results/{contest.id}.csv").status_code == 404
    contest.status = "published"
    db.session.commit()
    page = client.get(f"/results/{contest.id}")
    assert page.status_code == 200
    assert "Tim Awayan" in page.get_data(as_text=True) and "18,00" in page.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get(f"/results/{contest.id}.csv").data.decode("utf-8-sig"))))
    assert rows[1][:5] == ["1", "Juara I", "Tim Awayan", "Awayan", "18.00"]
    assert client.get(f"/results/{contest.id}.docx").status_code == 404
    assert client.get("/results/9999").status_code == 404


def test_public_xlsx_has_no_audit_trail(world, client):
    from openpyxl import load_workbook
    world["contest"].status = "published"
    db.session.commit()
    workbook = load_workbook(io.BytesIO(client.get(f"/results/{world['contest'].id}.xlsx").data))
    assert "Jejak audit" not in workbook.sheetnames


def test_fairness_preview_shows_methods_and_highlights_changed_places(world, client):
    login(client, world["roles"]["panitia"])
    html = client.get(f"/fairness/{world['contest'].id}").get_data(as_text=True)
    for label in ("rata-rata", "median", "jumlah peringkat", "normalisasi (z)"):
        assert label in html
    # Under the median Batumandi (15) beats Awayan (12): both places change; Halong stays last.
    teams = world["teams"]
    assert f'class="changed" data-team="{teams[0].id}"' in html
    assert f'class="changed" data-team="{teams[1].id}"' in html
    assert f'class="" data-team="{teams[2].id}"' in html
    # Juri A: totals 30, 15, 3 -> mean 16,00, population SD 11,05.
    assert "Juri A" in html and "16,00" in html and "11,05" in html


def test_fairness_of_a_quiz_or_unknown_contest_is_404(world, client):
    login(client, world["roles"]["panitia"])
    quiz = gen_contest(world["event"], name="Cerdas Cermat", kind="quiz", teams=world["teams"])
    assert client.get(f"/fairness/{quiz.id}").status_code == 404
    assert client.get("/fairness/9999").status_code == 404
    assert client.get("/export/contest/9999.csv").status_code == 404
    assert client.get(f"/export/contest/{world['contest'].id}.exe").status_code == 404


def test_team_names_are_text_not_markup(world, client):
    team = gen_team(world["event"], "<script>alert(1)</script>", "Juai")
    from scoreboard.models import ContestTeam
    world["contest"].entries.append(ContestTeam(team=team, order_no=4))
    world["contest"].status = "published"
    db.session.commit()
    html = client.get(f"/results/{world['contest'].id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_backup_button_without_csrf_token_is_refused(app, world, tmp_path):
    csrf_app = create_app(dict(base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path),
                               WTF_CSRF_ENABLED=True))
    client = csrf_app.test_client()
    with csrf_app.app_context():
        login(client, world["roles"]["panitia"])
        refused = client.post("/export/backup")
        assert refused.status_code == 400
        assert "kedaluwarsa" in refused.get_data(as_text=True)
        assert snapshots() == []
        db.session.remove()


def test_console_downloads_page_speaks_indonesian_and_keeps_the_console_menu(world, client):
    login(client, world["roles"]["panitia"])
    world["contest"].status = "published"
    db.session.commit()
    html = client.get("/export/").get_data(as_text=True)
    assert "<td>diumumkan</td>" in html and "<td>dibuka</td>" in html
    assert "<td>published</td>" not in html and "<td>open</td>" not in html
    assert "Meja kendali" in html  # the console's menu
    fairness = client.get(f"/fairness/{world['contest'].id}").get_data(as_text=True)
    assert "Meja kendali" in fairness
    login(client, world["roles"]["ketua"])
    assert "Meja kendali" not in client.get(f"/fairness/{world['contest'].id}").get_data(as_text=True)


def test_public_results_page_gives_the_date_in_indonesian(world, client):
    world["contest"].status = "published"
    db.session.commit()
    html = client.get(f"/results/{world['contest'].id}").get_data(as_text=True)
    assert "Kamis, 26 Februari 2026" in html
    assert '<span class="sub">Juara I</span>' in html


def test_fairness_locks_out_a_tablet_whose_code_was_regenerated(world, client):
    """A new access code logs the old tablet out of the fairness preview too, not only the judge pages."""
    from scoreboard.models import Judge
    from scoreboard.services import access
    login(client, world["roles"]["ketua"])
    url = f"/fairness/{world['contest'].id}"
    assert client.get(url).status_code == 200
    head = db.session.get(Judge, world["roles"]["ketua"][1])
    access.set_access_code(head, access.new_access_code())
    db.session.commit()
    assert client.get(url).status_code == 403
