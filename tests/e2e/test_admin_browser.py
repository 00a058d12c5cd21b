"""The whole day in headless Chromium, as the rehearsal walked it: the organizer sets the event
up, draws the order, three judges score eight teams, the board is frozen, the awards revealed
one by one, the contest locked and published, and every file downloaded. The README's
screenshots of the console, a judge's sheet, the projector and the recap come from this run."""
import csv
import io
import json
import re
import shutil
import subprocess
import uuid

import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
from scoreboard.models import Contest
from tests.e2e.conftest import screenshot_when_still
from tests.factories import gen_organizer

pytestmark = pytest.mark.browser

REGIONS = ("Awayan", "Batumandi", "Halong", "Juai", "Lampihong", "Paringin", "Paringin Selatan",
           "Tebing Tinggi")
# Each judge gives a team the same value on every criterion, so the order is plain to read:
# Paringin 9,5 > Halong 9 > Awayan 8,5 > Paringin Selatan 8 > Lampihong 7,5 > Batumandi 7 > …
VALUE = {"Awayan": "8,5", "Batumandi": "7", "Halong": "9", "Juai": "6", "Lampihong": "7,5",
         "Paringin": "9,5", "Paringin Selatan": "8", "Tebing Tinggi": "6,5"}
TEAMS_CSV = "nama,kecamatan,desa,anggota,lomba\n" + "".join(
    f"Tim Kecamatan {region},{region},,,Lomba Yel-Yel\n" for region in REGIONS)
CRITERIA = (("Kekompakan", "1"), ("Kreativitas", "1"), ("Kesesuaian tema", "1,5"))


class Tablet:
    """A judge's logged-in tablet; it also sends sheets the way its outbox does (JSON answers)."""

    def __init__(self, browser, link, **options):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("dialog", lambda dialog: dialog.accept())  # "Kirim final … Total …?"
        self.page.goto(link)
        self.token = self.page.locator('meta[name="csrf-token"]').get_attribute("content")

    def submit(self, url, criteria, value):
        form = {f"score-{c}": value for c in criteria}
        form.update(intent="submit", client_id=uuid.uuid4().hex, csrf_token=self.token)
        answer = self.context.request.post(url, form=form, headers={
            "X-CSRFToken": self.token, "Accept": "application/json"})
        assert answer.ok, answer.text()


def test_the_day_from_setup_to_exports(browser, live_server, screenshot_dir):
    with live_server.app.app_context():
        gen_organizer(password="rahasia-panitia")
        db.session.remove()

    console = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    console.set_default_timeout(15_000)
    asked = []  # dangerous actions (new codes, lock, publish) ask first; the organizer agrees
    console.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    console.goto(live_server("/admin/"))
    console.fill("input[name=username]", "panitia")
    console.fill("input[name=password]", "rahasia-panitia")
    console.get_by_role("button", name="Masuk").click()

    # Setup: the event, its kecamatan, the contest and its criteria, teams by import, judges.
    console.fill("input[name=name]", "Temu Kader IMP Kabupaten Balangan 2026")
    console.fill("input[name=held_on]", "2026-02-26")
    console.get_by_role("button", name="Simpan acara").click()
    expect(console.locator("h1")).to_have_text("Temu Kader IMP Kabupaten Balangan 2026")
    console.goto(live_server("/admin/teams"))
    for region in REGIONS:
        console.fill("#teams-panel input[name=name] >> nth=0", region)
        console.get_by_role("button", name="Tambah", exact=True).click()
        expect(console.locator(".chips")).to_contain_text(region)
    console.goto(live_server("/admin/"))
    console.fill("input[name=name] >> nth=1", "Lomba Yel-Yel")
    console.get_by_role("button", name="Tambah lomba").click()
    expect(console.locator("#contest-setup h1")).to_contain_text("Lomba Yel-Yel")
    for name, weight in CRITERIA:
        form = console.locator("#new-criterion")
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=weight]").fill(weight)
        form.get_by_role("button", name="Tambah kriteria").click()
        expect(console.locator(f"#criteria input[value='{name}']")).to_have_count(1)
    contest_url = console.url.replace("/setup", "")

    console.goto(live_server("/admin/import/teams"))
    console.set_input_files("input[type=file]", files=[{
        "name": "tim.csv", "mimeType": "text/csv", "buffer": TEAMS_CSV.encode()}])
    console.get_by_role("button", name="Periksa (pratinjau)").click()
    expect(console.locator("#import-preview tbody tr")).to_have_count(8)
    console.locator("#import-apply").click()
    expect(console.locator("#teams-panel input[value='Tim Kecamatan Tebing Tinggi']")).to_have_count(1)

    judges = ("Hj. Rusmini, S.Pd.", "Ahmad Fauzi, S.Pd.", "dr. Siti Aisyah")
    console.goto(live_server("/admin/judges"))
    for name in judges:
        console.get_by_label("Juri baru").fill(name)
        console.get_by_role("button", name="Tambah juri").click()
        expect(console.locator(f"#judges-panel input[value='{name}']")).to_have_count(1)
    console.goto(contest_url + "/setup")
    for name in judges:
        console.get_by_label(f"Menilai: {name}").check()
    console.get_by_label(f"Ketua juri: {judges[0]}").check()
    console.get_by_role("button", name="Simpan susunan juri").click()
    expect(console.locator("#contest-setup .flash-success")).to_be_visible()
    console.select_option("select[name=status]", "open")
    console.get_by_role("button", name="Simpan pengaturan").click()
    expect(console.locator("#contest-setup h1 .status")).to_have_text("dibuka")

    links = []
    console.goto(live_server("/admin/judges"))
    for row in range(3):
        console.locator("#judges-panel tbody tr").nth(row).get_by_role(
            "button", name="Buat kode baru").click()
        links.append(console.locator("#login-link").get_attribute("href"))
        console.goto(live_server("/admin/judges"))
    assert all(re.search(r"/judge/login/[A-Z0-9]+$", link) for link in links)

    with live_server.app.app_context():
        contest = db.session.scalar(db.select(Contest))
        contest_id, criteria = contest.id, [c.id for c in contest.criteria]
        db.session.remove()

    # Draw: the seed is shown; the projector and the tablets follow.
    console.goto(contest_url)
    console.fill("input[name=seed]", "TEMU-KADER-2026")
    console.get_by_role("button", name="Undi urutan").click()
    expect(console.locator("#draw-seed")).to_have_text("TEMU-KADER-2026")
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projector.set_default_timeout(15_000)
    projector.goto(live_server(f"/display/{contest_id}"))
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online")
    expect(console.locator('body[data-live="watching"]')).to_have_count(1)

    with live_server.app.app_context():
        order = [(e.team.name, e.team.region.name, e.team_id)
                 for e in db.session.get(Contest, contest_id).entries]
        db.session.remove()
    tablets = [Tablet(browser, links[0], viewport={"width": 1280, "height": 800}, has_touch=True,
                      locale="id-ID", timezone_id="Asia/Makassar"),
               *(Tablet(browser, link) for link in links[1:])]
    first_judge = tablets[0].page
    expect(first_judge.locator('body[data-live="watching"]')).to_have_count(1)
    sheet_url = live_server(f"/judge/contests/{contest_id}/teams/{{}}")
    official = console.locator("#standings-admin > table tbody tr")

    def perform(index, advance=True):
        """The team takes the stage and the three judges send their sheets."""
        team, region, team_id = order[index]
        if advance:
            console.get_by_role("button", name="Berikutnya →").click()
        expect(console.locator("#now-team")).to_have_text(team)
        senders = tablets
        if index == 0:
            # The first judge works on the tablet: the banner, the sheet, Simpan, Kirim final.
            banner = first_judge.locator("#now-performing")
            expect(banner).to_contain_text(f"{team} ({region}) sedang tampil")
            banner.get_by_role("link", name="Buka lembar nilai").tap()
            for criterion in criteria:
                first_judge.locator(f"#score-{criterion}").fill(VALUE[region])
            first_judge.get_by_role("button", name="Simpan").tap()
            expect(first_judge.locator(".save-status")).to_contain_text("Tersimpan")
            screenshot_when_still(first_judge, screenshot_dir / "judge-sheet-tablet.png")
            first_judge.get_by_role("button", name="Kirim final").tap()
            expect(first_judge.locator("#sheet.locked")).to_be_visible()
            senders = tablets[1:]
        for tablet in senders:
            tablet.submit(sheet_url.format(team_id), criteria, VALUE[region])

    def best(teams):
        return max(teams, key=lambda entry: float(VALUE[entry[1]].replace(",", ".")))[0]

    for index in range(5):
        perform(index)
    # The matrix follows each sheet's push (and polls every 15 s in case one is missed).
    expect(console.locator("#progress-count")).to_have_text("15/24", timeout=20_000)
    expect(official.first).to_contain_text(best(order[:5]))

    # Live: the projector follows; the sixth team takes the stage, then the board is frozen.
    console.get_by_role("button", name="Berikutnya →").click()
    expect(projector.locator(".now-performing")).to_contain_text(order[5][0])
    expect(projector.locator("#board .row").first.locator(".team")).to_have_text(best(order[:5]))
    screenshot_when_still(projector, screenshot_dir / "projector-1920.png")
    console.get_by_role("button", name="Dibekukan").click()
    expect(projector.locator(".pill-frozen")).to_be_visible()
    perform(5, advance=False)
    perform(6)
    perform(7)
    expect(console.locator("#progress-count")).to_have_text("24/24", timeout=20_000)
    expect(official.first).to_contain_text("Tim Kecamatan Paringin")
    expect(console.locator("#closing-note")).not_to_contain_text("Belum semua tim lengkap")
    hall = console.locator("#hall-view")
    expect(hall).to_contain_text("AULA")
    expect(hall.locator("tbody tr").first).to_contain_text(best(order[:5]))
    screenshot_when_still(console, screenshot_dir / "admin-contest.png", full_page=True)

    # Reveal: every sheet is in, so one tap starts it; six awards, lowest first.
    console.get_by_role("button", name="Pengumuman", exact=True).click()
    expect(console.locator("#display-current")).to_have_text("Pengumuman")
    for step in range(1, 7):
        console.get_by_role("button", name="Umumkan berikutnya").click()
        expect(console.locator("#reveal-step")).to_have_text(f"langkah {step}/6")
        expect(projector.locator("#board .row")).to_have_count(step)
    champion = projector.locator("#board .row").first
    expect(champion.locator(".team")).to_have_text("Tim Kecamatan Paringin")
    expect(champion).to_contain_text("Juara I")

    # Close: lock, publish; the public API and every file carry the result.
    console.get_by_role("button", name="Kunci lomba (tidak ada penyimpanan lagi)").click()
    expect(console.locator("#contest-status")).to_have_text("dikunci")
    # The board is mid-reveal: publishing says what becomes public and needs the tick.
    expect(console.locator("#withheld-warning")).to_contain_text("Pengumuman bertahap")
    console.get_by_label("Tampilkan semua hasil sekarang").check()
    console.get_by_role("button", name="Umumkan hasil").click()
    expect(console.locator("#contest-status")).to_have_text("diumumkan")
    assert any(m.startswith("Kunci lomba ini?") for m in asked)
    assert any(m.startswith("Umumkan hasil lomba ini?") for m in asked)
    expected = [("Tim Kecamatan Paringin", "Juara I"), ("Tim Kecamatan Halong", "Juara II"),
                ("Tim Kecamatan Awayan", "Juara III"), ("Tim Kecamatan Paringin Selatan", "Harapan I"),
                ("Tim Kecamatan Lampihong", "Harapan II"), ("Tim Kecamatan Batumandi", "Harapan III")]
    board = console.request.get(live_server(f"/api/contests/{contest_id}/standings")).json()
    assert board["status"] == "published"
    assert [(r["team"], r["award"]) for r in board["rows"][:6]] == expected
    assert board["rows"][0]["score"] == "33.25"  # 9,5 + 9,5 + 1,5 × 9,5

    console.goto(live_server("/export/"))
    rows = list(csv.DictReader(io.StringIO(console.request.get(
        live_server(f"/export/contest/{contest_id}.csv")).text())))
    assert [(r["team"], r["award"]) for r in rows[:6]] == expected
    from openpyxl import load_workbook
    workbook = load_workbook(io.BytesIO(console.request.get(
        live_server(f"/export/contest/{contest_id}.xlsx")).body()))
    assert "Tim Kecamatan Paringin" in [c.value for row in workbook.worksheets[0].iter_rows()
                                        for c in row]
    from pypdf import PdfReader
    recap = console.request.get(live_server(f"/export/contest/{contest_id}.pdf")).body()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(recap)).pages)
    assert "Tim Kecamatan Paringin" in text and "Hj. Rusmini" in text
    digest = re.search(r"\b[0-9a-f]{64}\b", text.replace("\n", ""))
    if digest:
        verify = console.request.get(live_server(f"/verify/{digest.group(0)}")).text()
        assert "Lomba Yel-Yel" in verify
    with live_server.app.app_context():
        event_id = db.session.get(Contest, contest_id).event_id
        db.session.remove()
    winners = console.request.get(live_server(f"/export/event/{event_id}/winners.pdf")).body()
    winners_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(winners)).pages)
    assert "Tim Kecamatan Paringin" in winners_text
    archive = json.loads(console.request.get(
        live_server(f"/export/event/{event_id}/archive.json")).text())
    assert archive and "Temu Kader" in json.dumps(archive)
    if shutil.which("pdftoppm"):  # the README's picture of the recap's first page
        (screenshot_dir / "recap.pdf").write_bytes(recap)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                        str(screenshot_dir / "recap.pdf"), str(screenshot_dir / "recap-page1")],
                       check=True)
        (screenshot_dir / "recap.pdf").unlink()
