"""The venue Wi-Fi goes dark for 10 s and for 60 s (longer than Socket.IO's ping timeout) while
judges keep saving: afterwards the projector and the tablet show exactly the server's state and
the tablet's outbox delivered every save once (issue 13, item 14)."""
import re
import socket
import threading
import time
import uuid

import pytest
import requests

from scoreboard.extensions import db
from scoreboard.models import AuditEntry, SaveReceipt, Sheet
from scoreboard.services import access
from tests.factories import gen_contest, gen_event, gen_judge, gen_team

pytestmark = [pytest.mark.browser, pytest.mark.reliability]

TABLET = {"viewport": {"width": 1280, "height": 800}, "has_touch": True, "locale": "id-ID",
          "timezone_id": "Asia/Makassar"}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}, "locale": "id-ID",
             "timezone_id": "Asia/Makassar"}


class FlakyLink:
    """A TCP relay standing in for the venue Wi-Fi between the browsers and the server.

    While it is down nothing crosses it: bytes already sent wait (as TCP retransmits into a dead
    link) and new connections hang, so an open WebSocket hears nothing, exactly as on a real
    network loss; a server or client that gives up on its side closes the stream for good.
    """

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.closing = False
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closing:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client):
        self.up.wait()
        try:
            server = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        self.sockets += [client, server]
        threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                self.up.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def down(self):
        self.up.clear()

    def restore(self):
        self.up.set()

    def close(self):
        self.closing = True
        self.up.set()
        self.listener.close()
        for end in self.sockets:
            end.close()


def board_rows(page) -> list[tuple[str, str]]:
    """(team, score) of every row the projector shows, in its order ("—" for not yet scored)."""
    return [(row.locator(".team").first.inner_text().strip(), row.locator(".score").inner_text().strip())
            for row in page.locator("#board li.row").all()]


def server_rows(server, contest_id: int, scored: set[str]) -> tuple[int, list[tuple[str, str]]]:
    """The server's own version and rows, written the way the projector writes them (87,50)."""
    data = requests.get(server(f"/api/contests/{contest_id}/standings"), timeout=10).json()
    return data["version"], [(row["team"], row["score"].replace(".", ",") if row["team"] in scored
                              else "—") for row in data["rows"]]


def test_projector_and_tablet_recover_from_wifi_outages(browser, live_server):
    from playwright.sync_api import expect

    with live_server.app.app_context():
        event = gen_event()
        teams = [gen_team(event, f"Tim {region}", region)
                 for region in ("Awayan", "Batumandi", "Halong", "Juai")]
        contest = gen_contest(event, teams=teams, criteria=(("Kekompakan", "1", "1", "10", "0.5"),
                                                            ("Kreativitas", "2", "1", "10", "0.5")))
        (tablet_judge, tablet_code), (_desk, desk_code) = (gen_judge(event, "Juri Tablet", [contest]),
                                                           gen_judge(event, "Juri Meja", [contest]))
        contest_id, team_ids, criteria = contest.id, [t.id for t in teams], [c.id for c in contest.criteria]
        tablet_judge_id, names = tablet_judge.id, {t.id: t.name for t in teams}
    link = FlakyLink(int(live_server.url.rsplit(":", 1)[1]))
    venue = f"http://127.0.0.1:{link.port}"

    # The other judge's tablet stays online (another access point) and goes straight to the server.
    desk = requests.Session()
    desk.get(live_server(f"/judge/login/{access.normalize_code(desk_code)}"), timeout=10)
    token = re.search(r'name="csrf-token" content="([^"]+)"',
                      desk.get(live_server(f"/judge/contests/{contest_id}/teams/{team_ids[0]}"),
                               timeout=10).text).group(1)

    def desk_submits(team_id, values):
        form = {f"score-{cid}": value for cid, value in zip(criteria, values)}
        form.update(client_id=uuid.uuid4().hex, intent="submit")
        answer = desk.post(live_server(f"/judge/contests/{contest_id}/teams/{team_id}"), data=form,
                           headers={"Accept": "application/json", "X-CSRFToken": token}, timeout=10)
        assert answer.status_code == 200, answer.text

    hall, tablet = browser.new_context(**PROJECTOR), browser.new_context(**TABLET)
    try:
        for context in (hall, tablet):
            context.set_default_timeout(15_000)
        projector = hall.new_page()
        projector.goto(f"{venue}/display/{contest_id}")
        expect(projector.locator('body[data-conn="online"]')).to_have_count(1, timeout=15_000)
        sheet = tablet.new_page()
        sheet.goto(f"{venue}/judge/login/{access.normalize_code(tablet_code)}")

        def tablet_saves(values):
            """Type the values on the open sheet and tap Simpan (the outbox sends it when it can)."""
            for cid, value in zip(criteria, values):
                sheet.locator(f"#score-{cid}").fill(value)
            sheet.get_by_role("button", name="Simpan").tap()

        scored, sent = set(), {}
        for outage, (team_a, team_b) in ((10, team_ids[:2]), (60, team_ids[2:])):
            sheet.goto(f"{venue}/judge/contests/{contest_id}/teams/{team_a}")
            expect(sheet.locator('body[data-live="watching"]')).to_have_count(1, timeout=15_000)
            tablet_saves(("5", "5,5"))
            expect(sheet.locator(".save-status")).to_contain_text("Tersimpan", timeout=15_000)
            started = time.monotonic()
            link.down()
            for context in (hall, tablet):
                context.set_offline(True)
            # Saves go on: the tablet fills its outbox, the other judge reaches the server.
            tablet_saves(("6", "6,5"))
            expect(sheet.locator(".outbox-count")).to_have_text("1 nilai belum terkirim", timeout=15_000)
            tablet_saves(("7", "7,5"))
            expect(sheet.locator(".outbox-count")).to_have_text("2 nilai belum terkirim", timeout=15_000)
            sent[team_a] = 3
            desk_submits(team_a, ("8", "8"))
            desk_submits(team_b, ("4", "9.5"))
            scored |= {names[team_a], names[team_b]}
            time.sleep(max(0.0, outage - (time.monotonic() - started)))
            if outage > 45:  # past Socket.IO's ping interval + timeout: the hall sees it is not live
                expect(projector.locator('body[data-conn="offline"]')).to_have_count(1)

            link.restore()
            for context in (hall, tablet):
                context.set_offline(False)
            expect(sheet.locator("#outbox-status")).to_be_hidden(timeout=30_000)
            expect(sheet.locator(".save-status")).to_contain_text("Tersimpan", timeout=15_000)
            version, rows = server_rows(live_server, contest_id, scored)
            expect(projector.locator("#board")).to_have_attribute("data-version", str(version),
                                                                  timeout=40_000)
            assert board_rows(projector) == rows, (outage, board_rows(projector), rows)
            with live_server.app.app_context():
                db.engine.dispose()
                stored = db.session.scalar(db.select(Sheet).filter_by(
                    judge_id=tablet_judge_id, team_id=team_a))
                shown = [sheet.locator(f"#score-{cid}").input_value() for cid in criteria]
                assert shown == [str(s.value).replace(".", ",") for s in
                                 sorted(stored.scores, key=lambda s: criteria.index(s.criterion_id))]
                db.session.remove()
    finally:
        hall.close()
        tablet.close()
        link.close()

    with live_server.app.app_context():
        receipts = db.session.scalars(db.select(SaveReceipt).filter_by(judge_id=tablet_judge_id)).all()
        assert len(receipts) == sum(sent.values())
        for team_id, count in sent.items():
            stored = db.session.scalar(db.select(Sheet).filter_by(judge_id=tablet_judge_id,
                                                                  team_id=team_id))
            audits = db.session.query(AuditEntry).filter_by(entity_id=stored.id,
                                                            action="sheet.save").count()
            assert stored.version == audits == count
