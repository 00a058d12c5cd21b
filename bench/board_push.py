"""What one board push costs the server: the board once, rendered per language, sent to N watchers.

    .venv/bin/python bench/board_push.py --watchers 200 --pushes 20

The app runs here, in this process (threading mode, SQLite, the demo event with scored
sheets), exactly as `python wsgi.py` would. N Socket.IO clients run in a child process
(this file with --client), so this process's CPU time is the server's alone. For each push
it prints nothing; at the end: the render cost, the server CPU milliseconds per push and the
time until the last of the N watchers has the push (p50 and max). Compare ratios against the
bare-stack ceiling of /work/shared/ceiling on the same machine, not absolute numbers: run its
threading variant at the same N in the same session and pass its "srv CPU ms/trig (spaced)"
as --ceiling-ms to print the ratio. The client swarm here (synchronous python-socketio
clients in one process) is heavier than the ceiling's driver, so the latency column is mostly
the swarm's; the server CPU per push is the figure to compare.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_clients(url: str, contest: int, watchers: int) -> None:
    """Child process: N watchers; reports on stdout when all have each version."""
    import socketio

    lock = threading.Lock()
    seen: dict[int, int] = {}
    clients = []
    for _ in range(watchers):
        client = socketio.Client(reconnection=False)

        def on_standings(message):
            with lock:
                seen[message["version"]] = seen.get(message["version"], 0) + 1
                if seen[message["version"]] == watchers:
                    print(json.dumps({"done": message["version"], "at": time.perf_counter()}),
                          flush=True)

        client.on("standings", on_standings, namespace="/live")
        client.connect(url, namespaces=["/live"], transports=["websocket"])
        client.call("watch", {"contest": contest}, namespace="/live")
        clients.append(client)
    print(json.dumps({"ready": watchers}), flush=True)
    sys.stdin.readline()  # the parent closes stdin when it is done
    os._exit(0)  # hundreds of polite disconnects would only slow the end of the run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scored_demo():
    """The demo event with every Yel-Yel sheet submitted: a full eight-row board."""
    from decimal import Decimal

    from scoreboard.demo import seed_demo
    from scoreboard.extensions import db
    from scoreboard.models import Score, Sheet
    event, _, _ = seed_demo()
    contest = event.contests[0]
    for n, team in enumerate(contest.teams):
        for judge in contest.panel:
            if judge.in_conflict_with(team):
                continue
            sheet = Sheet(contest=contest, judge=judge, team=team, state="submitted", version=1)
            for criterion in contest.criteria:
                sheet.scores.append(Score(judge_id=judge.id, team_id=team.id,
                                          criterion=criterion, value=Decimal(5 + n % 5)))
            db.session.add(sheet)
    db.session.commit()
    return contest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchers", type=int, default=100)
    parser.add_argument("--pushes", type=int, default=20)
    parser.add_argument("--ceiling-ms", type=float,
                        help="the bare ceiling's 'srv CPU ms/trig (spaced)' at the same N, "
                             "measured in the same session: prints our ratio to it")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--contest", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        return run_clients(args.url, args.contest, args.watchers)

    import logging

    from flask_migrate import upgrade

    from scoreboard import create_app, realtime
    from scoreboard.extensions import db, socketio
    from scoreboard.models import Contest
    from scoreboard.services.public_board import public_board
    from scoreboard.services.publish import mark_changed, push_contest

    logging.getLogger("alembic").setLevel(logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="board-push-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}",
                      "SECRET_KEY": "bench", "INSTANCE_PATH": str(workdir),
                      "BACKUP_DIR": str(workdir / "backups")})
    with app.app_context():
        upgrade()
        contest_id = scored_demo().id
    port = free_port()
    threading.Thread(target=socketio.run, args=(app,), daemon=True,
                     kwargs={"host": "127.0.0.1", "port": port, "allow_unsafe_werkzeug": True,
                             "log_output": False}).start()
    time.sleep(0.5)
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)

    child = subprocess.Popen(
        [sys.executable, __file__, "--client", "--url", f"http://127.0.0.1:{port}",
         "--contest", str(contest_id), "--watchers", str(args.watchers)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    assert json.loads(child.stdout.readline()) == {"ready": args.watchers}

    render_ms, cpu_ms, wall_ms = [], [], []
    with app.app_context():
        contest = db.session.get(Contest, contest_id)
        for _ in range(args.pushes):
            mark_changed(contest)  # what a judge's submit does before publishing
            db.session.commit()
            rendering = time.perf_counter()
            message = realtime.standings_message(public_board(contest))
            render_ms.append((time.perf_counter() - rendering) * 1000)
            # The real publishing function: the board once, rendered per language, then emitted.
            started, cpu_started = time.perf_counter(), time.process_time()
            push_contest(contest)
            report = json.loads(child.stdout.readline())
            assert report["done"] == message["version"]
            wall_ms.append((report["at"] - started) * 1000)
            time.sleep(0.05)  # let the server's writer threads finish before reading the CPU
            cpu_ms.append((time.process_time() - cpu_started) * 1000)
            db.session.expire_all()
        size = len(json.dumps(message))
    child.stdin.close()
    child.wait(timeout=30)

    def line(name, values):
        return (f"{name:<34} p50 {statistics.median(values):8.2f}   "
                f"max {max(values):8.2f}")
    print(f"board push to {args.watchers} watchers, {args.pushes} pushes, "
          f"payload {size / 1024:.1f} KiB, {os.cpu_count()} CPUs")
    print(line("render once, one language (ms)", render_ms))
    print(line("server CPU per push (ms)", cpu_ms))
    print(line("until the last watcher has it (ms)", wall_ms))
    print(f"server CPU per watcher per push: {statistics.median(cpu_ms) / args.watchers:.3f} ms")
    if args.ceiling_ms:
        print(f"ratio to the bare ceiling (CPU ms per push): "
              f"{statistics.median(cpu_ms) / args.ceiling_ms:.2f}")


if __name__ == "__main__":
    main()
