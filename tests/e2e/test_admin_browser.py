"""The organizer console in headless Chromium: set up a contest, run it with two judges, publish."""
import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from scoreboard.extensions import db
from scoreboard.models import Contest
from tests.factories import gen_organizer

pytestmark = pytest.mark.browser

TEAMS_CSV = ("nama,kecamatan,desa,anggota,lomba\n"
             "Tim Awayan,Awayan,,,Lomba Yel-Yel\n"
             "Tim Batumandi,Batumandi,,,Lomba Yel-Yel\n"
             "Tim Halong,Halong,,,Lomba Yel-Yel\n")


def test_console_sets_up_runs_and_publishes_a_contest(browser, live_server, screenshot_dir):
    with live_server.app.app_context():
        gen_organizer(password="rahasia-panitia")
        db.session.remove()

    console = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    console.set_default_timeout(10_000)
    asked = []  # dangerous actions (new codes, lock, publish) ask first; the organizer agrees
    console.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    console.goto(live_server("/admin/"))
    console.fill("input[name=username]", "panitia")
    console.fill("input[name=password]", "rahasia-panitia")
    console.get_by_role("button", name="Masuk").click()

    # The event, its regions, the contest and two criteria.
    console.fill("input[name=name]", "Lomba Uji Konsol")
    console.fill("input[name=held_on]", "2026-02-26")
    console.get_by_role("button", name="Simpan acara").click()
    expect(console.locator("h1")).to_have_text("Lomba Uji Konsol")
    console.goto(live_server("/admin/teams"))
    for region in ("Awayan", "Batumandi", "Halong"):
        console.fill("#teams-panel input[name=name] >> nth=0", region)
        console.get_by_role("button", name="Tambah", exact=True).click()
        expect(console.locator(".chips")).to_contain_text(region)
    console.goto(live_server("/admin/"))
    console.fill("input[name=name] >> nth=1", "Lomba Yel-Yel")
    console.get_by_role("button", name="Tambah lomba").click()
    expect(console.locator("#contest-setup h1")).to_contain_text("Lomba Yel-Yel")
    for name, weight in (("Kekompakan", "1"), ("Kreativitas", "2")):
        form = console.locator("#new-criterion")
        form.locator("input[name=name]").fill(name)
        form.locator("input[name=weight]").fill(weight)
        form.get_by_role("button", name="Tambah kriteria").click()
        expect(console.locator(f"#criteria input[value='{name}']")).to_have_count(1)
    contest_url = console.url.replace("/setup", "")

    # Teams by import: preview, then save.
    console.goto(live_server("/admin/import/teams"))
    console.set_input_files("input[type=file]", files=[{
        "name": "tim.csv", "mimeType": "text/csv", "buffer": TEAMS_CSV.encode()}])
    console.get_by_role("button", name="Periksa (pratinjau)").click()
    expect(console.locator("#import-preview tbody tr")).to_have_count(3)
    console.locator("#import-apply").click()
    expect(console.locator("#teams-panel input[value='Tim Halong']")).to_have_count(1)

    # Two judges, assigned with a ketua juri; the contest opens.
    console.goto(live_server("/admin/judges"))
    for name in ("Juri A", "Juri B"):
        console.get_by_label("Juri baru").fill(name)
        console.get_by_role("button", name="Tambah juri").click()
        expect(console.locator(f"#judges-panel input[value='{name}']")).to_have_count(1)
    console.goto(contest_url + "/setup")
    console.get_by_label("Menilai: Juri A").check()
    console.get_by_label("Menilai: Juri B").check()
    console.get_by_label("Ketua juri: Juri A").check()
    console.get_by_role("button", name="Simpan susunan juri").click()
    expect(console.locator("#contest-setup .flash-success")).to_be_visible()
    console.select_option("select[name=status]", "open")
    console.get_by_role("button", name="Simpan pengaturan").click()
    expect(console.locator("#contest-setup h1 .status")).to_have_text("dibuka")

    # Fresh codes, read once from the page.
    codes = {}
    console.goto(live_server("/admin/judges"))
    for row in range(2):
        console.locator("#judges-panel tbody tr").nth(row).get_by_role(
            "button", name="Buat kode baru").click()
        name = console.locator("h1").text_content()
        codes[name] = console.locator("#login-link").get_attribute("href")
        console.goto(live_server("/admin/judges"))

    with live_server.app.app_context():
        contest = db.session.scalar(db.select(Contest))
        contest_id = contest.id
        criteria = [c.id for c in contest.criteria]
        teams = {t.name: t.id for t in contest.teams}
        db.session.remove()

    # Run: draw with a seed, first team on stage; the projector follows.
    console.goto(contest_url)
    console.fill("input[name=seed]", "UJI-2026")
    console.get_by_role("button", name="Undi urutan").click()
    expect(console.locator("#draw-seed")).to_have_text("UJI-2026")
    projector = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    projector.goto(live_server(f"/display/{contest_id}"))
    expect(projector.locator("#conn")).to_have_attribute("data-state", "online")
    console.get_by_role("button", name="Berikutnya →").click()
    expect(console.locator("#now-team")).not_to_have_text("belum ada")
    on_stage = console.locator("#now-team").text_content()
    expect(projector.locator(".now-performing")).to_contain_text(on_stage)

    # A bad penalty far down the page: the Indonesian message is brought into view.
    console.fill("#penalties input[name=points]", "banyak")
    console.get_by_role("button", name="Kurangi nilai").click()
    alert = console.locator("#contest-run [role=alert]")
    expect(alert).to_contain_text("Poin pengurangan harus berupa angka")
    expect(alert).to_be_in_viewport()

    # Two judges score every team on their tablets; the matrix fills in live.
    scores = {"Tim Awayan": ("8", "9"), "Tim Batumandi": ("7", "7,5"), "Tim Halong": ("6", "6")}
    for name, link in codes.items():
        tablet = browser.new_context(viewport={"width": 800, "height": 1000}).new_page()
        tablet.set_default_timeout(10_000)
        tablet.on("dialog", lambda dialog: dialog.accept())  # Kirim final asks first
        tablet.goto(link)
        for team, values in scores.items():
            tablet.goto(live_server(f"/judge/contests/{contest_id}/teams/{teams[team]}"))
            for criterion_id, value in zip(criteria, values):
                tablet.fill(f"#score-{criterion_id}", value)
            tablet.get_by_role("button", name="Kirim final").click()
            expect(tablet.locator("#sheet")).to_contain_text("Terkirim final")
        tablet.context.close()
    expect(console.locator("#progress-count")).to_have_text("6/6", timeout=20_000)
    first = projector.locator("#board .row").first
    expect(first.locator(".team")).to_have_text("Tim Awayan")
    expect(first.locator(".score")).to_have_text("26,00")

    # Close: lock, publish; the public API reports the published result.
    console.get_by_role("button", name="Kunci lomba (tidak ada penyimpanan lagi)").click()
    expect(console.locator("#contest-status")).to_have_text("dikunci")
    console.get_by_role("button", name="Umumkan hasil").click()
    expect(console.locator("#contest-status")).to_have_text("diumumkan")
    console.screenshot(path=str(screenshot_dir / "admin-contest.png"), full_page=True)
    assert any("Kode lamanya langsung tidak berlaku" in m for m in asked)
    assert any(m.startswith("Kunci lomba ini?") for m in asked)
    assert any(m.startswith("Umumkan hasil lomba ini?") for m in asked)
    with urllib.request.urlopen(live_server(f"/api/contests/{contest_id}/standings")) as response:
        board = json.load(response)
    assert board["status"] == "published"
    assert [(r["team"], r["score"], r["award"]) for r in board["rows"]] == [
        ("Tim Awayan", "26.00", "Juara I"), ("Tim Batumandi", "22.00", "Juara II"),
        ("Tim Halong", "18.00", "Juara III")]
    assert re.search(r"/judge/login/[A-Z0-9]+$", next(iter(codes.values())))
