"""A burst of saves on the event-day server: fewer pushes than saves, every viewer ends on the final version."""
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
import socketio as socketio_client

from scoreboard.extensions import db
from scoreboard.models import Contest
from scoreboard.realtime import NAMESPACE
from scoreboard.services import access
from tests.factories import gen_judge, gen_small_contest


def test_a_burst_of_saves_becomes_fewer_pushes_ending_on_the_final_version(live_server):
    with live_server.app.app_context():
        event, contest, teams, first, second = gen_small_contest()
        seats = [first, second] + [gen_judge(event, f"Juri {n}", [contest]) for n in range(3, 7)]
        contest_id, team_ids = contest.id, [t.id for t in teams]
        criteria = [c.id for c in contest.criteria]
        codes = [access.normalize_code(code) for _judge, code in seats]
    versions, arrived = [], threading.Condition()
    viewer = socketio_client.Client(reconnection=False)

    @viewer.on("standings", namespace=NAMESPACE)
    def on_standings(message):
        with arrived:
            versions.append(message["version"])
            arrived.notify_all()

    viewer.connect(live_server.url, namespaces=[NAMESPACE], transports=["websocket"])
    assert viewer.call("watch", {"contest": contest_id}, namespace=NAMESPACE)["ok"]

    def tablet(code):
        """One judge submits a sheet for every team, as fast as the server answers."""
        session = requests.Session()
        session.get(live_server(f"/judge/login/{code}"), timeout=30)
        path = f"/judge/contests/{contest_id}/teams/{team_ids[0]}"
        token = re.search(r'name="csrf-token" content="([^"]+)"',
                          session.get(live_server(path), timeout=30).text)[1]
        answers = []
        for team_id in team_ids:
            form = {f"score-{cid}": "7" for cid in criteria}
            form.update(client_id=uuid.uuid4().hex, intent="submit")
            answers.append(session.post(live_server(f"/judge/contests/{contest_id}/teams/{team_id}"),
                                        data=form, timeout=30,
                                        headers={"Accept": "application/json",
                                                 "X-CSRFToken": token}).status_code)
        return answers

    with ThreadPoolExecutor(len(codes)) as pool:
        answers = [status for statuses in pool.map(tablet, codes) for status in statuses]
    assert answers == [200] * 18
    with live_server.app.app_context():
        final = db.session.get(Contest, contest_id).version
    with arrived:
        assert arrived.wait_for(lambda: versions and versions[-1] == final, timeout=10), versions
    viewer.disconnect()
    # Versioned full state: the viewer never went backwards, and saves that came close
    # together shared a push.
    assert versions == sorted(versions)
    assert len(versions) < 18
