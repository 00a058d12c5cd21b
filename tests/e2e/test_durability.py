"""rules §7: a save the server acknowledged survives the server being killed mid-event."""
import re
import signal
import uuid

import requests

from scoreboard.extensions import db
from scoreboard.models import Sheet
from scoreboard.services import access
from tests.factories import gen_small_contest


def test_an_acknowledged_submit_survives_a_killed_server(live_server):
    with live_server.app.app_context():
        _event, contest, teams, (_judge, code), _ = gen_small_contest()
        sheet_path = f"/judge/contests/{contest.id}/teams/{teams[0].id}"
        criteria = [c.id for c in contest.criteria]
    tablet = requests.Session()
    tablet.get(live_server(f"/judge/login/{access.normalize_code(code)}"), timeout=10)
    page = tablet.get(live_server(sheet_path), timeout=10).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = {f"score-{cid}": value for cid, value in zip(criteria, ("8.5", "9"))}
    form.update(client_id=uuid.uuid4().hex, intent="submit")
    answer = tablet.post(live_server(sheet_path), data=form, timeout=10,
                         headers={"Accept": "application/json", "X-CSRFToken": token})
    assert answer.status_code == 200, answer.text

    # The power cut: no shutdown handler, no chance to flush anything after the answer.
    live_server.process.send_signal(signal.SIGKILL)
    live_server.process.wait(timeout=10)

    # This test process opens the database afresh and finds the sheet as acknowledged.
    with live_server.app.app_context():
        db.engine.dispose()
        [sheet] = db.session.scalars(db.select(Sheet)).all()
        assert sheet.state == "submitted"
        assert sorted(str(score.value) for score in sheet.scores) == ["8.5", "9"]
