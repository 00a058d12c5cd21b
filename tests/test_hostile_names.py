"""Hostile names (HTML, script, Jinja, spreadsheet formulas, a 200-character word, right-to-left
text) stay inert and whole on every page, push, CSV, XLSX and PDF (issue 13, item 13)."""
import csv
import html
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from scoreboard.extensions import db, socketio
from scoreboard.models import Contest, Judge, Team
from scoreboard.services import display_state, sheets
from scoreboard.services.result_files import FORMULA_TRIGGERS
from tests.hostile import (HOSTILE_CONTEST, HOSTILE_JUDGES, HOSTILE_REGIONS, HOSTILE_TEAMS, LONG_WORD,
                           SECRET, check_inert_html, gen_hostile_event, log_in, squeeze)
from tests.routes import concrete_paths

NS = "/live"
ROLES = ("anonim", "juri", "pencatat", "panitia")


@pytest.fixture
def hostile(app):
    """The hostile event, with a secret key a template injection would reveal."""
    app.config["SECRET_KEY"] = SECRET
    return gen_hostile_event()


def spreadsheet_safe(value: str, original: str) -> None:
    """A formula-looking name is written as text, with the apostrophe spreadsheets hide."""
    if original.startswith(FORMULA_TRIGGERS):
        assert value == "'" + original
    else:
        assert value == original


def test_every_page_keeps_hostile_names_inert(app, client, hostile):
    values = {"contest_id": [hostile.published_id, hostile.open_id, hostile.quiz_id],
              "team_id": hostile.team_ids, "event_id": [hostile.event_id],
              "fmt": ["csv", "xlsx", "pdf", "json"], "kind": ["teams", "judges"],
              "entry_id": [hostile.entry_id], "digest": ["0" * 64], "code": ["BUKANKODE"],
              "name": ["juara-umum"], "token": ["BUKANTOKEN"]}
    checked = 0
    for role in ROLES:
        log_in(client, role, hostile)
        for _method, endpoint, path in concrete_paths(app, values):
            if endpoint in ("judge.login_link", "admin.login"):
                continue  # they would end the session this loop relies on
            response = client.get(path)
            assert response.status_code < 500, (role, path)
            if response.status_code != 200:
                continue
            checked += 1
            kind = response.mimetype
            if kind == "text/html":
                check_inert_html(response.get_data(as_text=True), f"{role} {path}")
            elif kind == "application/json":
                text = response.get_data(as_text=True)
                assert SECRET not in text
                json.loads(text)
            elif kind == "application/pdf":
                PdfReader(io.BytesIO(response.data))  # a file that opens
    print(f"\nhostile names: {checked} pages and files checked across {len(ROLES)} roles")
    assert checked > 60


def test_boards_and_console_show_every_hostile_name_whole(client, hostile):
    pages = {f"/board/{hostile.published_id}": HOSTILE_TEAMS,
             f"/display/{hostile.open_id}": HOSTILE_TEAMS,
             f"/results/{hostile.published_id}": HOSTILE_TEAMS + HOSTILE_REGIONS,
             "/admin/teams": HOSTILE_TEAMS + HOSTILE_REGIONS, "/admin/judges": HOSTILE_JUDGES}
    for path, names in pages.items():
        log_in(client, "panitia" if path.startswith("/admin") else "anonim", hostile)
        body = client.get(path).get_data(as_text=True)
        text = html.unescape(body)
        for name in names:
            assert name in text, (path, name)


def test_pushes_carry_hostile_names_as_text(app, client, hostile):
    live = socketio.test_client(app, namespace=NS, flask_test_client=client)
    assert live.emit("watch", {"contest": hostile.open_id, "rows": True}, namespace=NS,
                     callback=True) == {"ok": True}
    live.get_received(NS)
    contest = db.session.get(Contest, hostile.open_id)
    judge = db.session.scalars(db.select(Judge).filter_by(name=HOSTILE_JUDGES[1])).one()
    team = db.session.get(Team, hostile.team_ids[5])
    sheets.submit_sheet(judge, contest, team, {c.id: "9" for c in contest.criteria}, "hostile-push")
    display_state.set_now_performing(contest, team)
    pushes = {p["name"]: p["args"][0] for p in live.get_received(NS)}
    check_inert_html(pushes["standings"]["html"], "standings push")
    assert sorted(row["team"] for row in pushes["standings"]["rows"]) == sorted(HOSTILE_TEAMS)
    assert pushes["now_performing"]["team"] == LONG_WORD


def test_csv_and_xlsx_hold_hostile_names_as_inert_text(client, hostile):
    log_in(client, "panitia", hostile)
    response = client.get(f"/export/contest/{hostile.published_id}.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_name = {row["team"].removeprefix("'"): row for row in rows}
    assert set(by_name) == set(HOSTILE_TEAMS)
    for name, row in by_name.items():
        spreadsheet_safe(row["team"], name)
        assert row["region"].removeprefix("'") in HOSTILE_REGIONS
    for header in rows[0]:
        assert not header.startswith(FORMULA_TRIGGERS)

    for path in (f"/export/contest/{hostile.published_id}.xlsx",
                 f"/export/event/{hostile.event_id}/results.xlsx"):
        workbook = load_workbook(io.BytesIO(client.get(path).data))
        texts = set()
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path, sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        texts.add(cell.value)
        for name in HOSTILE_TEAMS:
            assert name in texts, (path, name)


def test_pdfs_print_hostile_names_whole(client, hostile):
    log_in(client, "panitia", hostile)
    for path in (f"/export/contest/{hostile.published_id}.pdf",
                 f"/export/event/{hostile.event_id}/recap.pdf",
                 f"/export/event/{hostile.event_id}/winners.pdf"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))
        for name in (LONG_WORD, HOSTILE_TEAMS[1], HOSTILE_TEAMS[3]):
            assert squeeze(name) in text, (path, name)
        assert squeeze(HOSTILE_CONTEST) in text, path
