"""Every download is an attachment no cache keeps, with its file name (scoreboard/downloads.py)."""
from tests.admin_helpers import as_organizer
from tests.factories import gen_organizer, gen_small_contest


def test_downloads_are_named_attachments_that_no_cache_keeps(app, client):
    event, contest, *_ = gen_small_contest()
    as_organizer(client, gen_organizer())
    for path, mimetype, filename in (
            ("/admin/import/teams/template.csv", "text/csv; charset=utf-8", "templat-teams.csv"),
            ("/admin/import/judges/template.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "templat-judges.xlsx"),
            (f"/export/event/{event.id}/recap.pdf", "application/pdf", None),
            (f"/export/contest/{contest.id}.csv", "text/csv; charset=utf-8", None)):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == mimetype
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        if filename:
            assert filename in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.data
