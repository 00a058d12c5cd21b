"""Import of teams and judges: a valid file writes everything, any bad row writes nothing."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, Judge, Team
from scoreboard.services import importer
from tests.admin_helpers import as_organizer
from tests.factories import gen_contest, gen_event, gen_organizer, gen_team


@pytest.fixture
def console(app, client):
    """An event with one contest and one existing team; an organizer's client."""
    event = gen_event()
    gen_team(event, "Tim Lama", "Juai")
    contest = gen_contest(event, name="Lomba Yel-Yel")
    as_organizer(client, gen_organizer())
    return event, contest, client


def csv_file(lines):
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8")), "tim.csv"


def xlsx_file(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer, "tim.xlsx"


def upload(client, kind, file):
    return client.post(f"/admin/import/{kind}", data={"file": file},
                       content_type="multipart/form-data")


def team_count():
    return db.session.scalar(db.select(db.func.count(Team.id)))


def test_valid_csv_previews_then_imports_teams(console):
    """Preview writes nothing; applying writes every row, enters the contest and audits."""
    event, contest, client = console
    preview = upload(client, "teams", csv_file([
        "nama,kecamatan,desa,anggota,lomba",
        "Tim Awayan,Awayan,Desa A,Siti; Nur,Lomba Yel-Yel",
        "Tim Halong,halong,,,",
    ]))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Tim Awayan" in page and "Simpan semua" in page
    assert team_count() == 1
    import html
    import re
    rows = html.unescape(re.search(r'name="rows" value="([^"]*)"', page).group(1))
    applied = client.post("/admin/import/teams/apply", data={"rows": rows})
    assert applied.status_code == 302
    assert team_count() == 3
    halong = db.session.scalar(db.select(Team).filter_by(name="Tim Halong"))
    assert halong.region.name == "Halong"
    db.session.refresh(contest)
    assert [t.name for t in contest.teams] == ["Tim Awayan"]
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))
                             .filter_by(action="import", entity="team")) == 2


def test_valid_xlsx_with_semicolon_csv_twin(console):
    """XLSX and Excel's semicolon CSV read the same."""
    event, _contest, _client = console
    rows = [["nama", "kecamatan"], ["Tim Batumandi", "Batumandi"]]
    for file, name in (xlsx_file(rows), (io.BytesIO(b"nama;kecamatan\nTim Batumandi;Batumandi\n"),
                                         "tim.csv")):
        preview = importer.preview_upload(event, "teams", name, file.getvalue())
        assert preview.valid and preview.rows[0]["kecamatan"] == "Batumandi"


# kind, header, a good row, the model written, how many of them exist before the upload
TEAMS = ("teams", "nama,kecamatan,desa,anggota,lomba", "Tim Awayan,Awayan,,,", Team, 1)
JUDGES = ("judges", "nama,kecamatan_asal,lomba,ketua_juri", "Juri A,Awayan,Lomba Yel-Yel,ya", Judge, 0)


@pytest.mark.parametrize("upload_kind, bad_row, reason", [
    (TEAMS, ",Awayan,,,", "nama kosong"),
    (TEAMS, "Tim X,,,,", "kecamatan kosong"),
    (TEAMS, "Tim X,Gotham,,,", "kecamatan Gotham tidak dikenal"),
    (TEAMS, "Tim X,Awayan,,,Lomba Hantu", "lomba tidak dikenal: Lomba Hantu"),
    (TEAMS, "Tim Lama,Awayan,,,", "tim Tim Lama sudah ada"),
    (TEAMS, "Tim Awayan,Awayan,,,", "nama Tim Awayan sudah ada di baris 2"),
    (TEAMS, "T" * 201 + ",Awayan,,,", "nama terlalu panjang"),
    # Judges: unknown region, bad ketua flag, a second ketua juri are each refused.
    (JUDGES, "Juri X,Gotham,Lomba Yel-Yel,", "kecamatan Gotham tidak dikenal"),
    (JUDGES, "Juri X,,Lomba Yel-Yel,mungkin", "ketua_juri harus"),
    (JUDGES, "Juri X,,,ya", "ketua juri harus punya lomba"),
    (JUDGES, "Juri Y,,Lomba Yel-Yel,ya", "Lomba Yel-Yel sudah punya ketua juri"),
    # A contest named twice, also differing only in case (issue 13 item 2: a 500 on apply before).
    (TEAMS, "Tim X,Awayan,,,Lomba Yel-Yel; Lomba Yel-Yel", "lomba disebut lebih dari sekali: Lomba Yel-Yel"),
    (TEAMS, "Tim X,Awayan,,,Lomba Yel-Yel; lomba yel-YEL", "lomba disebut lebih dari sekali: Lomba Yel-Yel"),
    (JUDGES, "Juri X,,Lomba Yel-Yel; LOMBA YEL-YEL,", "lomba disebut lebih dari sekali: Lomba Yel-Yel"),
    (JUDGES, "Juri X,,Lomba Yel-Yel; Lomba Yel-Yel,", "lomba disebut lebih dari sekali: Lomba Yel-Yel"),
    # Control characters (a NUL is a 500 on PostgreSQL) and cells too long to show back (item 5, 1).
    (TEAMS, "Tim\x00X,Awayan,,,", "kolom nama berisi karakter kontrol"),
    (TEAMS, "Tim X,Awayan,Desa\x1b[31m,,", "kolom desa berisi karakter kontrol"),
    (JUDGES, "Juri X,Awa\x00yan,,", "kolom kecamatan_asal berisi karakter kontrol"),
    (TEAMS, "Tim X,Awayan,,,Lomba " + "Y" * 6000, "kolom lomba terlalu panjang (paling banyak 5000 karakter)"),
])
def test_each_bad_row_is_listed_and_nothing_written(console, upload_kind, bad_row, reason):
    """One bad row among good ones: the preview names its line and reason, nothing is written."""
    kind, header, good_row, model, before = upload_kind
    _event, _contest, client = console
    response = upload(client, kind, csv_file([header, good_row, bad_row]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Baris 3" in page and reason in page
    assert "Simpan semua" not in page
    assert db.session.scalar(db.select(db.func.count(model.id))) == before


def test_judges_import_assigns_contests_and_ketua(console):
    """A valid judges file assigns contests, with the ketua juri as head."""
    event, contest, _client = console
    preview = importer.preview_upload(event, "judges", "juri.csv", (
        "nama,kecamatan_asal,lomba,ketua_juri\nJuri A,Awayan,Lomba Yel-Yel,ya\n"
        "Juri B,,Lomba Yel-Yel,\n").encode())
    assert preview.valid
    importer.apply_import(event, "judges", preview.rows)
    db.session.refresh(contest)
    assert contest.head_judge.name == "Juri A"
    assert [j.name for j in contest.panel] == ["Juri A", "Juri B"]


@pytest.mark.parametrize("name, data, message", [
    ("tim.txt", b"nama,kecamatan\n", "Unggah berkas .csv atau .xlsx"),
    ("tim.csv", b"name,region\nA,B\n", "Kolom wajib tidak ada"),
    ("tim.csv", b"", "Berkas kosong"),
    ("tim.csv", b"nama,kecamatan\n", "tidak berisi baris data"),
    ("tim.xlsx", b"not a workbook", "XLSX tidak dapat dibaca"),
    ("tim.csv", "nama,kecamatan\nTim É,Awayan\n".encode("latin-1"), "UTF-8"),
])
def test_unreadable_files_are_refused(console, name, data, message):
    """Wrong type, missing column, empty, broken workbook, wrong encoding: 422, nothing written."""
    _event, _contest, client = console
    response = upload(client, "teams", (io.BytesIO(data), name))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert team_count() == 1


def test_tampered_apply_is_validated_again(console):
    """Rows posted to apply are checked again: an unknown region writes nothing."""
    _event, _contest, client = console
    response = client.post("/admin/import/teams/apply", data={
        "rows": '[{"nama": "Tim Z", "kecamatan": "Gotham", "lomba": []}]'})
    assert response.status_code == 422
    assert team_count() == 1
    assert client.post("/admin/import/teams/apply", data={"rows": "{oops"}).status_code == 422


@pytest.mark.parametrize("kind, row", [
    ("teams", {"nama": "Tim Z", "kecamatan": "Awayan", "lomba": ["Lomba Yel-Yel", "lomba yel-yel"]}),
    ("judges", {"nama": "Juri Z", "kecamatan": "", "lomba": ["Lomba Yel-Yel", "Lomba Yel-Yel"],
                "ketua_juri": False}),
    ("teams", {"nama": "Tim\u0000Z", "kecamatan": "Awayan", "lomba": []}),
])
def test_a_tampered_apply_naming_a_contest_twice_or_a_nul_is_a_bad_row(console, kind, row):
    """Rows posted back to apply are checked again: a contest named twice or a NUL never reaches
    the database (it was an IntegrityError, a 500, on the contest's unique team or judge)."""
    import json
    _event, contest, client = console
    response = client.post(f"/admin/import/{kind}/apply", data={"rows": json.dumps([row])})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Baris 2" in page
    assert "lomba disebut lebih dari sekali" in page or "kolom nama berisi karakter kontrol" in page
    assert team_count() == 1
    assert db.session.scalar(db.select(db.func.count(Judge.id))) == 0


@pytest.mark.parametrize("kind", ["teams", "judges"])
def test_templates_download_and_read_back(console, kind):
    """The CSV and XLSX templates carry the columns the importer expects."""
    _event, _contest, client = console
    csv_response = client.get(f"/admin/import/{kind}/template.csv")
    assert csv_response.status_code == 200
    assert csv_response.get_data(as_text=True).lstrip("\ufeff").startswith(
        ",".join(importer.COLUMNS[kind]))
    xlsx = client.get(f"/admin/import/{kind}/template.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[1]] == importer.COLUMNS[kind]
