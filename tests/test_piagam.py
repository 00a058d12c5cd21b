"""Piagam: one page per awarded team of a published contest, a code that /piagam/<code> confirms,
settings and logo from the console, and names of any length and script inside the page."""
import copy
import io
import json
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from scoreboard import create_app
from scoreboard.extensions import db
from scoreboard.document_models import Certificate, PiagamSettings
from scoreboard.services import piagam, running
from scoreboard.services.archive import export_event, import_event
from tests.admin_helpers import as_organizer
from tests.conftest import base_config, fresh_database_url
from tests.factories import (gen_contest, gen_event, gen_judge, gen_organizer, gen_sheet, gen_team)

CODE = re.compile(r"Kode verifikasi: ([A-Z0-9]{5}-[A-Z0-9]{5})")
ARABIC_NAME = "فريق محمد عبد الله"
LONG_NAME = ("Tim Penggerak Kader Institusi Masyarakat Pedesaan Desa Harapan Baru Kecamatan "
             "Paringin Selatan Kabupaten Balangan Kalsel")


def publish(contest):
    """Lock and publish as the organizer does, accepting shared awards."""
    running.lock_contest(contest)
    running.publish_contest(contest, acknowledge_ties=True)


@pytest.fixture
def world(app):
    """A published contest: Awayan first, Batumandi and Halong share Juara II, Juai and
    Lampihong unawarded (three award labels); an unpublished contest; an organizer."""
    event = gen_event(regions=("Awayan", "Batumandi", "Halong", "Juai", "Lampihong"))
    teams = [gen_team(event, f"Tim {region}", region)
             for region in ("Awayan", "Batumandi", "Halong", "Juai", "Lampihong")]
    contest = gen_contest(event, teams=teams)
    contest.award_labels = ["Juara I", "Juara II", "Juara III"]
    judge, _ = gen_judge(event, "Juri A", [contest])
    for team, value in zip(teams, (9, 8, 8, 6, 5)):
        gen_sheet(contest, judge, team, [value])
    publish(contest)
    other = gen_contest(event, name="Lomba Tari Kreasi", teams=teams[:2], status="closed")
    other_judge, _ = gen_judge(event, "Juri B", [other])
    gen_sheet(other, other_judge, teams[0], [9])
    gen_sheet(other, other_judge, teams[1], [7])
    return {"event": event, "contest": contest, "other": other, "teams": teams,
            "organizer": gen_organizer()}


def pages(body: bytes) -> list[str]:
    """The text of every page of a PDF."""
    assert body.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def team_on(text: str) -> str:
    """The team a piagam page is given to: the line after "diberikan kepada"."""
    lines = text.splitlines()
    return lines[lines.index("diberikan kepada") + 1]


def download(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/pdf"
    return pages(response.data)


def test_every_awarded_team_gets_its_piagam_with_the_right_award(client, world):
    as_organizer(client, world["organizer"])
    texts = download(client, f"/admin/piagam/contest/{world['contest'].id}.pdf")
    assert len(texts) == 3
    by_team = {team_on(text): text for text in texts}
    assert sorted(by_team) == ["Tim Awayan", "Tim Batumandi", "Tim Halong"]
    assert "JUARA I\n" in by_team["Tim Awayan"] + "\n" and "PIAGAM PENGHARGAAN" in by_team["Tim Awayan"]
    for name, partner in (("Tim Batumandi", "Tim Halong"), ("Tim Halong", "Tim Batumandi")):
        assert "JUARA II" in by_team[name] and "JUARA III" not in by_team[name]
        assert f"peringkat ke-2, bersama {partner}" in by_team[name]
    whole = "\n".join(texts)
    assert "Tim Juai" not in whole and "Tim Lampihong" not in whole
    assert "dalam Lomba Yel-Yel" in whole and "Paringin, 26 Februari 2026" not in whole  # no city set
    assert all(text.count("Kode verifikasi") == 1 for text in texts)


def test_no_piagam_for_an_unpublished_contest(client, world):
    as_organizer(client, world["organizer"])
    response = client.get(f"/admin/piagam/contest/{world['other'].id}.pdf")
    assert response.status_code == 302 and response.mimetype != "application/pdf"
    assert "Belum ada piagam" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/admin/piagam/contest/{world['other'].id}/peserta.pdf").status_code == 302
    whole = "\n".join(download(client, f"/admin/piagam/event/{world['event'].id}.pdf"))
    assert "Lomba Tari Kreasi" not in whole and whole.count("PIAGAM PENGHARGAAN") == 3
    assert db.session.scalar(db.select(db.func.count(Certificate.id))
                             .filter_by(contest_id=world["other"].id)) == 0


def test_participation_piagam_for_every_team_that_played(client, world):
    as_organizer(client, world["organizer"])
    texts = download(client, f"/admin/piagam/contest/{world['contest'].id}/peserta.pdf")
    assert len(texts) == 5
    assert all("PIAGAM PESERTA" in text and "JUARA" not in text for text in texts)
    assert sorted(team_on(text) for text in texts) == sorted(t.name for t in world["teams"])


def test_verification_page_confirms_a_printed_code_and_refuses_a_made_up_one(client, world):
    as_organizer(client, world["organizer"])
    texts = download(client, f"/admin/piagam/contest/{world['contest'].id}.pdf")
    halong = next(text for text in texts if team_on(text) == "Tim Halong")
    code = CODE.search(halong).group(1)
    assert f"/piagam/{code}" in halong.replace("\n", "")
    client.post("/admin/logout")
    page = client.get(f"/piagam/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sah: piagam ini sesuai hasil resmi" in html
    assert "Tim Halong" in html and "Juara II" in html and "Lomba Yel-Yel" in html
    assert client.get(f"/piagam/{code.lower().replace('-', '')}").status_code == 200
    made_up = "ABCDE-FGHJK" if code != "ABCDE-FGHJK" else "ZZZZZ-ZZZZZ"
    for wrong in (made_up, "12345", "<script>", "0" * 300):
        refused = client.get(f"/piagam/{wrong}")
        assert refused.status_code == 404
        assert "Kode tidak dikenal" in refused.get_data(as_text=True)
        assert "Sah:" not in refused.get_data(as_text=True)


def test_a_reprint_carries_the_same_code(client, world):
    as_organizer(client, world["organizer"])
    url = f"/admin/piagam/contest/{world['contest'].id}.pdf"
    first = [CODE.search(text).group(1) for text in download(client, url)]
    assert len(set(first)) == 3
    assert [CODE.search(text).group(1) for text in download(client, url)] == first


def test_the_page_says_when_results_were_unpublished_since(client, world):
    contest, teams = world["contest"], world["teams"]
    code = piagam.piagam_lines(contest)[0].certificate.code
    running.step_back(contest, "unpublish", "Salah hitung penalti")
    html = client.get(f"/piagam/{code}").get_data(as_text=True)
    assert "sudah dibatalkan pengumumannya" in html and "Salah hitung penalti" in html
    assert "Sah:" not in html
    # Published again with another order: the old piagam no longer holds.
    running.step_back(contest, "unlock", "Penalti tertinggal")
    running.add_penalty(contest, teams[0], "1.5", "Melebihi waktu", "panitia: uji")
    publish(contest)
    html = client.get(f"/piagam/{code}").get_data(as_text=True)
    assert "Tidak berlaku lagi" in html and "tim ini meraih Juara III" in html
    assert "diumumkan kembali" in html


def test_republished_unchanged_result_still_confirms_and_mentions_it(client, world):
    contest = world["contest"]
    code = piagam.piagam_lines(contest)[0].certificate.code
    running.step_back(contest, "unpublish", "Diperiksa ulang")
    running.publish_contest(contest, acknowledge_ties=True)
    html = client.get(f"/piagam/{code}").get_data(as_text=True)
    assert "Sah: piagam ini sesuai hasil resmi" in html
    assert "dibatalkan pada" in html and "Hasil diumumkan kembali pada" in html
    assert [line.certificate.code for line in piagam.piagam_lines(contest)][0] == code


def test_public_per_team_piagam_from_the_results_page(client, world):
    contest, teams = world["contest"], world["teams"]
    html = client.get(f"/results/{contest.id}").get_data(as_text=True)
    link = f"/results/{contest.id}/piagam/{teams[1].id}.pdf"
    assert link in html
    assert f"/results/{contest.id}/piagam/{teams[3].id}.pdf" not in html
    texts = download(client, link)
    assert len(texts) == 1 and "Tim Batumandi" in texts[0] and "JUARA II" in texts[0]
    assert client.get(f"/results/{contest.id}/piagam/{teams[3].id}.pdf").status_code == 404
    assert client.get(f"/results/{world['other'].id}/piagam/{teams[0].id}.pdf").status_code == 404
    assert client.get(f"/results/{contest.id}/piagam/99999.pdf").status_code == 404


def test_long_and_arabic_names_wrap_inside_the_page(client, world, caplog):
    teams = world["teams"]
    teams[0].name = LONG_NAME
    teams[1].name = ARABIC_NAME
    db.session.commit()
    assert len(LONG_NAME) == 120
    as_organizer(client, world["organizer"])
    texts = download(client, f"/admin/piagam/contest/{world['contest'].id}.pdf")
    assert len(texts) == 3  # one page each: nothing spilled onto a second page
    long_page = next(text for text in texts if "Tim Penggerak" in text)
    assert " ".join(long_page.split()).count(LONG_NAME) == 1
    name_lines = [line for line in long_page.splitlines() if "Kader" in line or "Kalsel" in line]
    assert len(name_lines) >= 2 and all(len(line) < 100 for line in name_lines)
    arabic_page = next(text for text in texts if "Kecamatan Batumandi" in text)
    letters = [ch for ch in arabic_page if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff"]
    assert len(letters) >= len(ARABIC_NAME.replace(" ", ""))
    assert not [r for r in caplog.records if "missing" in r.getMessage().lower()]


def png_bytes(kind="PNG", size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, format=kind)
    return out.getvalue()


def test_logo_is_re_encoded_and_served_as_png_only(client, world):
    as_organizer(client, world["organizer"])
    assert client.get("/admin/piagam/logo.png").status_code == 404
    jpeg = png_bytes("JPEG", (1200, 800))
    response = client.post("/admin/piagam/logo", data={"logo": (io.BytesIO(jpeg), "logo.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    served = client.get("/admin/piagam/logo.png")
    assert served.mimetype == "image/png" and served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.data.startswith(b"\x89PNG") and served.data != jpeg
    assert Image.open(io.BytesIO(served.data)).size == (600, 400)
    texts = download(client, f"/admin/piagam/contest/{world['contest'].id}.pdf")
    assert len(texts) == 3
    client.post("/admin/piagam/logo/delete")
    assert client.get("/admin/piagam/logo.png").status_code == 404


@pytest.mark.parametrize("upload, message", [
    (png_bytes("GIF"), "PNG atau JPEG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "bukan gambar PNG atau JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "bukan gambar PNG atau JPEG"),
    (b"\0" * (2 * 1024 * 1024 + 1), "terlalu besar"),
    (b"", "Pilih berkas logo"),
])
def test_bad_logo_is_refused_with_a_message_and_changes_nothing(client, world, upload, message):
    as_organizer(client, world["organizer"])
    response = client.post("/admin/piagam/logo", data={"logo": (io.BytesIO(upload), "logo.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(PiagamSettings)) is None


def test_officials_border_and_place_from_the_console_are_printed(client, world):
    as_organizer(client, world["organizer"])
    form = {"city": "Paringin", "border": "garis", "title_0": "Ketua Panitia",
            "name_0": "Drs. H. Ahmad Fauzi", "nip_0": "19700101 199503 1 001",
            "title_1": "Ketua Dewan Juri", "name_1": "Siti Rahmah", "nip_1": ""}
    assert client.post("/admin/piagam", data=form).status_code == 302
    page = client.get("/admin/piagam").get_data(as_text=True)
    assert 'value="Drs. H. Ahmad Fauzi"' in page
    text = download(client, f"/admin/piagam/contest/{world['contest'].id}.pdf")[0]
    assert "Paringin, 26 Februari 2026" in text
    assert "Drs. H. Ahmad Fauzi" in text and "NIP. 19700101 199503 1 001" in text
    assert "Ketua Dewan Juri" in text and "Siti Rahmah" in text


@pytest.mark.parametrize("change, message", [
    ({"nip_0": "1970-01-01"}, "NIP hanya berisi angka"),
    ({"border": "pelangi"}, "Pilih bingkai piagam"),
    ({"title_0": "", "name_0": "Tanpa Jabatan"}, "Tuliskan jabatan"),
    ({"city": "x" * 121}, "terlalu panjang"),
])
def test_bad_settings_are_refused_and_change_nothing(client, world, change, message):
    as_organizer(client, world["organizer"])
    form = {"city": "", "border": "ganda", "title_0": "Ketua Panitia", "name_0": "A", "nip_0": "1"}
    form.update(change)
    response = client.post("/admin/piagam", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(PiagamSettings)) is None


def test_export_page_reaches_the_piagam_in_one_click(client, world):
    as_organizer(client, world["organizer"])
    html = client.get("/export/").get_data(as_text=True)
    event_link = f"/admin/piagam/event/{world['event'].id}.pdf"
    assert f'href="{event_link}"' in html
    assert f'href="/admin/piagam/contest/{world["contest"].id}.pdf"' in html
    assert f'href="/admin/piagam/contest/{world["other"].id}.pdf"' not in html
    assert len(download(client, event_link)) == 3


def test_settings_and_codes_travel_with_the_event_archive(app, world, migrated_database, tmp_path):
    piagam.save_settings(world["event"], city="Paringin", border="tanpa",
                         officials=[("Ketua Panitia", "Ahmad", "1970")])
    piagam.save_logo(world["event"], png_bytes())
    codes = sorted(line.certificate.code for line in piagam.piagam_lines(world["contest"]))
    document = json.loads(json.dumps(export_event(world["event"])))
    db.session.remove()
    folder = tmp_path / "other"
    folder.mkdir()
    second = create_app(base_config(fresh_database_url(migrated_database, folder), folder))
    with second.app_context():
        imported = import_event(copy.deepcopy(document))
        assert json.loads(json.dumps(export_event(imported))) == document
        settings = piagam.settings_for(imported)
        assert settings.officials == [{"title": "Ketua Panitia", "name": "Ahmad", "nip": "1970"}]
        assert settings.border == "tanpa" and settings.logo_png.startswith(b"\x89PNG")
        client = second.test_client()
        for code in codes:
            assert "Sah: piagam ini sesuai" in client.get(f"/piagam/{code}").get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
