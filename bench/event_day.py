"""The event day, measured on the real path: judges submit sheets over HTTP, N phones watch.

    .venv/bin/python bench/event_day.py                      # 2,000 viewers, SQLite, python wsgi.py
    .venv/bin/python bench/event_day.py --viewers 5000 --skip-ceiling --skip-standings
    .venv/bin/python bench/event_day.py --scale-out          # + 2 gunicorn processes, PostgreSQL, Redis

It starts `python wsgi.py` (the event-day server) on a fresh SQLite database holding the demo
event plus a bench contest (the demo's eight teams, sixteen judges, three criteria: 128 sheets).
N audience clients (python-socketio AsyncClients, websocket transport, in two client
processes) watch that contest. Judges log in and submit sheets through the real endpoints
(login link, CSRF token, POST of the sheet), and the run prints:

- solo: server CPU per submit with no viewer connected (the submit before any fan-out);
- spaced: one submit at a time, each waited for by every viewer: save->viewer latency
  p50/p95/p99/max, the judge's save latency p50/p99, server CPU per save, RSS per viewer;
- steady: 30 submits, one every 0.1 s, each sent on time whatever the one before is doing, so
  saves meet pushes on their way out: the judge's save latency p50/p99 while pushes go out;
- burst: 50 submits within about a second from sixteen judges at once: how long after the last
  submit every viewer has the final version, and how many clients were disconnected or missed it;
- with --scale-out, the same on two gunicorn processes (gunicorn.conf.py) on PostgreSQL and a
  private Redis: viewers split over both, judges on process A, latency of B's viewers separately;
- the bare-stack ceiling's gevent and Node variants at the same N in the same run (its
  run_all.py, found with --ceiling; --skip-ceiling leaves it out), and the ratios;
- the standings recompute time for 60 teams x 15 judges x 10 criteria and how it grows.

Latency = client receive time - time.monotonic() just before the POST (CLOCK_MONOTONIC is
shared by the processes of one machine). Everything runs on 127.0.0.1. The machine's other
load moves absolute figures: quote the ratios to the ceiling measured in the same run.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CEILING = ROOT.parent / "shared" / "ceiling"
BENCH_JUDGES = 16
# The steady phase's judges submit one sheet every so many seconds (ten a second: a rush).
STEADY_GAP = 0.1


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (nearest rank) of values, None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def fmt(value, digits=1) -> str:
    """A figure for the table ('-' when missing)."""
    return "-" if value is None else f"{value:,.{digits}f}"



def viewer_process(pipe, urls: list[str], count: int, contest_id: int) -> None:
    """One client process: `count` AsyncClients spread over urls, each watching the contest."""
    import asyncio
    asyncio.run(_swarm(pipe, urls, count, contest_id))
    pipe.close()
    os._exit(0)  # thousands of polite disconnects would only slow the end


async def _swarm(pipe, urls, count, contest_id):
    import asyncio
    import gc
    import socketio

    # This process's own full garbage collections (start, ms): with a thousand clients each
    # takes 100 ms or more, and every message this process has not read yet waits for it. The
    # ceiling's driver runs the same swarm (and has the same pauses); they are only recorded.
    pauses: list[tuple[float, float]] = []
    collecting = [0.0]

    def collector(phase, info):
        if info["generation"] == 2:
            if phase == "start":
                collecting[0] = time.monotonic()
            else:
                pauses.append((collecting[0], (time.monotonic() - collecting[0]) * 1000))
    gc.callbacks.append(collector)

    best: list[int] = [0] * count          # newest version each client has
    reached: dict[int, list[float]] = {}   # version -> when each client first had it (or newer)
    target = [count]
    disconnects = [0]
    watching = [0]
    watching_now = [False] * count
    reported: set[int] = set()

    def on_standings(index, message):
        now = time.monotonic()
        version = message["version"]
        if version <= best[index]:
            return
        for v in range(best[index] + 1, version + 1):
            times = reached.setdefault(v, [])
            times.append(now)
            if len(times) >= target[0] and v not in reported:
                reported.add(v)
                pipe.send(("all", v, now))
        best[index] = version

    clients = []
    for index in range(count):
        client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        client.on("standings", lambda m, i=index: on_standings(i, m), namespace="/live")

        def gone(_reason=None, i=index):
            # A dropped viewer is counted, and no longer waited for.
            disconnects[0] += 1
            if watching_now[i]:
                watching_now[i] = False
                target[0] -= 1
                now = time.monotonic()
                for version, times in reached.items():
                    if len(times) >= target[0] and version not in reported:
                        reported.add(version)
                        pipe.send(("all", version, now))
        client.on("disconnect", gone, namespace="/live")
        clients.append(client)

    gate = asyncio.Semaphore(25)

    async def join(index, client):
        async with gate:
            try:
                await client.connect(urls[index % len(urls)], namespaces=["/live"],
                                     transports=["websocket"], wait_timeout=60)
                answer = await client.call("watch", {"contest": contest_id}, namespace="/live",
                                           timeout=60)
                if answer and answer.get("ok"):
                    watching[0] += 1
                    watching_now[index] = True
            except Exception:  # noqa: BLE001 - counted as not watching
                pass

    started = time.monotonic()
    await asyncio.wait([asyncio.ensure_future(join(i, c)) for i, c in enumerate(clients)],
                       timeout=300)
    # A client that never joined cannot be waited for; it counts as missed in the results.
    target[0] = watching[0]
    pipe.send(("ready", watching[0], time.monotonic() - started))
    loop = asyncio.get_running_loop()
    finish = asyncio.Event()
    loop.add_reader(pipe.fileno(), finish.set)
    try:
        await asyncio.wait_for(finish.wait(), timeout=1800)
    except asyncio.TimeoutError:
        pass
    pipe.send(("results", reached, disconnects[0], watching[0], best, pauses))


class Audience:
    """N viewers in two client processes; tells when every viewer has a version."""

    def __init__(self, urls_per_process: list[list[str]], viewers: int, contest_id: int):
        context = mp.get_context("spawn")
        self.pipes, self.processes = [], []
        shares = [viewers // 2, viewers - viewers // 2]
        for urls, share in zip(urls_per_process, shares):
            parent, child = context.Pipe()
            process = context.Process(target=viewer_process, args=(child, urls, share, contest_id),
                                      daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)
        self.lock = threading.Lock()
        self.all_at: list[dict[int, float]] = [{} for _ in self.pipes]
        self.results: list = [None] * len(self.pipes)
        self.ready = [self._expect(pipe, "ready") for pipe in self.pipes]
        self.watching = sum(r[1] for r in self.ready)
        self.connect_s = max(r[2] for r in self.ready)
        self.listeners = [threading.Thread(target=self._listen, args=(i,), daemon=True)
                          for i in range(len(self.pipes))]
        for listener in self.listeners:
            listener.start()

    @staticmethod
    def _expect(pipe, kind):
        message = pipe.recv()
        assert message[0] == kind, message
        return message

    def _listen(self, index):
        while True:
            try:
                message = self.pipes[index].recv()
            except EOFError:
                return
            with self.lock:
                if message[0] == "all":
                    self.all_at[index][message[1]] = message[2]
                elif message[0] == "results":
                    self.results[index] = message[1:]
                    return

    def wait_for(self, version: int, timeout: float) -> float | None:
        """When the last viewer got `version` (or newer); None if not within timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if all(version in got for got in self.all_at):
                    return max(got[version] for got in self.all_at)
            time.sleep(0.005)
        return None

    def finish(self) -> list:
        """Stop the swarm; [(reached, disconnects, watching, best, gc pauses)] per client process."""
        for pipe in self.pipes:
            pipe.send("finish")
        for listener in self.listeners:
            listener.join(120)
        for process in self.processes:
            process.join(30)
            if process.is_alive():
                process.kill()
        return self.results



def prepare_database(url: str, workdir: Path) -> dict:
    """Migrate, seed the demo event and add the bench contest; returns its id and judges' codes."""
    from decimal import Decimal

    from flask_migrate import upgrade

    from scoreboard import create_app
    from scoreboard.demo import seed_demo
    from scoreboard.extensions import db
    from scoreboard.models import Assignment, Contest, ContestTeam, Criterion, Judge
    from scoreboard.services import access
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "BACKUP_DIR": str(workdir / "backups"), "INSTANCE_PATH": str(workdir)})
    with app.app_context():
        upgrade()
        event, _judges, _ = seed_demo()
        contest = Contest(name="Lomba Bench", event=event, kind="rubric", status="open",
                          method="mean", position=99)
        db.session.add(contest)
        for position, name in enumerate(("Kekompakan", "Kreativitas", "Pesan"), 1):
            contest.criteria.append(Criterion(name=name, weight=Decimal(1), min_score=Decimal(1),
                                              max_score=Decimal(10), step=Decimal("0.5"),
                                              position=position))
        for order_no, team in enumerate(event.teams[:8], 1):
            contest.entries.append(ContestTeam(team=team, order_no=order_no))
        codes = []
        for n in range(BENCH_JUDGES):
            judge = Judge(name=f"Juri Bench {n + 1}", event=event)
            code = access.new_access_code()
            access.set_access_code(judge, code)
            judge.assignments.append(Assignment(contest=contest, role="judge"))
            db.session.add(judge)
            codes.append(access.normalize_code(code))
        db.session.commit()
        setup = {"contest": contest.id, "codes": codes,
                 "teams": [entry.team_id for entry in contest.entries],
                 "criteria": [c.id for c in contest.criteria]}
        db.engine.dispose()
    return setup


class Server:
    """A server process started as the README (python wsgi.py) or docs/deploy.md (gunicorn) does."""

    def __init__(self, command: list[str], env: dict, workdir: Path, name: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / f"{name}.log", "w")
        env = dict(os.environ, PORT=str(self.port), HOST="127.0.0.1", **env)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        import requests
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(self.url + "/api/contests", timeout=5)
                break
            except requests.RequestException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"{name} did not start; see {self.log.name}")
                time.sleep(0.2)

    def processes(self):
        """The server's process tree (gunicorn: master and worker)."""
        import psutil
        try:
            main = psutil.Process(self.process.pid)
            return [main] + main.children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self):
        """Stop the server we started, by its PID."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def cpu_seconds(servers) -> float:
    """User + system CPU seconds of the servers' process trees."""
    import psutil
    total = 0.0
    for server in servers:
        for process in server.processes():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
    return total


def rss_mb(servers) -> float:
    """Resident memory of the servers' process trees, MiB."""
    import psutil
    total = 0
    for server in servers:
        for process in server.processes():
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
    return total / 2 ** 20


class Judges:
    """The bench judges' tablets: logged in once, then submitting sheets over HTTP."""

    def __init__(self, url: str, setup: dict):
        import requests
        self.url = url
        self.setup = setup
        self.sessions = []
        for code in setup["codes"]:
            tablet = requests.Session()
            tablet.get(f"{url}/judge/login/{code}", timeout=30)
            page = tablet.get(f"{url}/judge/contests/{setup['contest']}/teams/{setup['teams'][0]}",
                              timeout=30).text
            token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
            tablet.headers.update({"X-CSRFToken": token, "Accept": "application/json"})
            self.sessions.append(tablet)
        # Every (judge, team) sheet once, judges interleaved so a burst spreads over tablets.
        self.todo = [(j, t) for t in range(len(setup["teams"])) for j in range(len(self.sessions))]
        self.random = random.Random(2025)
        self.lock = threading.Lock()

    def submit(self, judge: int | None = None) -> tuple[float, float]:
        """Submit the next sheet (of `judge`, if given); returns (t_send, seconds to the answer)."""
        import requests
        with self.lock:
            index = next(i for i, (j, _t) in enumerate(self.todo) if judge is None or j == judge)
            judge_index, team_index = self.todo.pop(index)
        team = self.setup["teams"][team_index]
        form = {f"score-{c}": str(self.random.randrange(10, 21) / 2) for c in self.setup["criteria"]}
        form.update(client_id=uuid.uuid4().hex, intent="submit")
        path = f"{self.url}/judge/contests/{self.setup['contest']}/teams/{team}"
        # The request is built before the clock starts, as the ceiling's driver builds its body
        # first: what is timed is the save, not requests' own half a millisecond of preparing.
        tablet = self.sessions[judge_index]
        prepared = tablet.prepare_request(requests.Request("POST", path, data=form))
        settings = tablet.merge_environment_settings(prepared.url, {}, None, None, None)
        started = time.monotonic()
        answer = tablet.send(prepared, timeout=60, **settings)
        elapsed = time.monotonic() - started
        if answer.status_code != 200:
            raise SystemExit(f"submit refused: {answer.status_code} {answer.text[:200]}")
        return started, elapsed


class StoredVersion:
    """Reads a contest's version as stored, beside the server, over one connection kept open.

    Read right after each save, while the viewers' processes are busy taking the push: opening
    an engine and a connection each time would take CPU from them (the ceiling's driver knows
    its sequence number and reads nothing).
    """

    def __init__(self, database_url: str, contest_id: int):
        from sqlalchemy import create_engine
        self.engine = create_engine(
            database_url.replace("sqlite:///", "sqlite:///file:", 1) + "?mode=ro&uri=true"
            if database_url.startswith("sqlite") else database_url)
        self.connection = self.engine.connect()
        self.contest_id = contest_id

    def read(self) -> int:
        """The version now (a read transaction of its own, so it sees the latest commit)."""
        from sqlalchemy import text
        version = self.connection.execute(text("SELECT version FROM contest WHERE id = :id"),
                                          {"id": self.contest_id}).scalar_one()
        self.connection.rollback()
        return version

    def close(self) -> None:
        """Close the connection and the engine."""
        self.connection.close()
        self.engine.dispose()


def run_app(args, workdir: Path, scale_out: bool) -> dict:
    """Start the server(s), connect the audience, run the phases; the figures as a dict."""
    redis_process = None
    if scale_out:
        database_url = make_postgres_database()
        redis_port = free_port()
        redis_process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
    else:
        database_url = f"sqlite:///{workdir / 'bench.db'}"
    setup = prepare_database(database_url, workdir)
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-secret", "PUBLIC_BASE_URL": "",
           "SCOREBOARD_INSTANCE_PATH": str(workdir / "instance"),
           "BACKUP_DIR": str(workdir / "backups")}
    servers = []
    try:
        if scale_out:
            env.update(SOCKETIO_MESSAGE_QUEUE=f"redis://127.0.0.1:{redis_port}/0",
                       RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{redis_port}/1")
            gunicorn = str(Path(sys.executable).parent / "gunicorn")
            for name in ("a", "b"):
                servers.append(Server([gunicorn, "-c", "gunicorn.conf.py", "wsgi:app"], env, workdir,
                                      f"gunicorn-{name}"))
        else:
            servers.append(Server([sys.executable, "wsgi.py"], env, workdir, "wsgi"))
        return measure(args, servers, setup, database_url, scale_out)
    finally:
        for server in servers:
            server.stop()
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(10)
        if scale_out:
            drop_postgres_database(database_url)


def measure(args, servers, setup, database_url, scale_out) -> dict:
    """The phases of one run (docstring of this file)."""
    judges = Judges(servers[0].url, setup)
    contest = setup["contest"]
    figures: dict = {"viewers": args.viewers, "servers": len(servers)}
    for _ in range(3):  # warm-up: templates compiled, connections pooled
        judges.submit()
    solo = args.solo_saves
    before = cpu_seconds(servers)
    for _ in range(solo):
        judges.submit()
        time.sleep(0.05)
    figures["solo_cpu_ms"] = (cpu_seconds(servers) - before) / solo * 1000

    rss_before = rss_mb(servers)
    urls = [[s.url for s in servers]] * 2 if not scale_out else [[servers[0].url], [servers[1].url]]
    audience = Audience(urls, args.viewers, contest)
    figures.update(watching=audience.watching, connect_s=audience.connect_s)
    stored = StoredVersion(database_url, contest)
    if audience.watching < args.viewers * 0.9:
        audience.finish()
        raise SystemExit(f"only {audience.watching} of {args.viewers} viewers could connect")
    time.sleep(2)
    figures["rss_per_viewer_kb"] = (rss_mb(servers) - rss_before) * 1024 / max(1, audience.watching)

    spaced, save_latency = [], []
    before = cpu_seconds(servers)
    for _ in range(args.saves):
        sent, elapsed = judges.submit()
        save_latency.append(elapsed * 1000)
        version = stored.read()
        spaced.append((sent, version))
        audience.wait_for(version, 30)
        time.sleep(0.2)
    figures["spaced_cpu_ms"] = (cpu_seconds(servers) - before) / args.saves * 1000
    figures["save_p50_ms"] = percentile(save_latency, 50)
    figures["save_p99_ms"] = percentile(save_latency, 99)

    # Judges at work while pushes go out: a submit every STEADY_GAP seconds, each sent on time
    # whether or not the one before has been answered or pushed, so saves meet fan-outs.
    steady_latency: list[float] = []
    steady_saves = min(args.steady, len(judges.todo))
    steady_started = time.monotonic()

    def on_time(index):
        time.sleep(max(0.0, steady_started + index * STEADY_GAP - time.monotonic()))
        steady_latency.append(judges.submit()[1] * 1000)

    # A thread per save: none waits for a slow one before it to be sent.
    with ThreadPoolExecutor(max(1, steady_saves)) as pool:
        list(pool.map(on_time, range(steady_saves)))
    audience.wait_for(stored.read(), 30)
    figures.update(steady_saves=steady_saves, steady_save_p50_ms=percentile(steady_latency, 50),
                   steady_save_p99_ms=percentile(steady_latency, 99))
    time.sleep(0.5)

    burst_saves = min(args.burst, len(judges.todo))
    burst_started = time.monotonic()
    burst_latency: list[float] = []
    quota = [burst_saves]
    lock = threading.Lock()

    def tablet(j):
        """One judge submits their remaining sheets until the burst has its count."""
        while True:
            with lock:
                if not quota[0] or not any(judge == j for judge, _t in judges.todo):
                    return time.monotonic()
                quota[0] -= 1
            _sent, elapsed = judges.submit(j)
            burst_latency.append(elapsed * 1000)

    with ThreadPoolExecutor(BENCH_JUDGES) as pool:
        last_answer = max(pool.map(tablet, range(BENCH_JUDGES)))
    final = stored.read()
    stored.close()
    all_final = audience.wait_for(final, 30)
    figures.update(burst_saves=burst_saves, burst_s=last_answer - burst_started,
                   burst_save_p99_ms=percentile(burst_latency, 99),
                   final_after_last_save_ms=None if all_final is None
                   else (all_final - last_answer) * 1000)
    time.sleep(1)
    results = audience.finish()

    latencies, cross = [], []
    disconnected, missed = 0, 0
    # (client process, version) -> that process's latencies for that spaced save, in ms.
    per_save: dict[tuple[int, int], list[float]] = {}
    pauses: list[tuple[int, float, float]] = []  # (client process, start, ms)
    for index, result in enumerate(results):
        if result is None:
            missed += args.viewers // 2
            continue
        reached, disconnects, watching, best, process_pauses = result
        disconnected += disconnects
        missed += sum(1 for b in best if b < final)
        pauses += [(index, start, ms) for start, ms in process_pauses]
        for sent, version in spaced:
            mine = per_save[index, version] = [(at - sent) * 1000
                                               for at in reached.get(version, [])]
            latencies += mine
            if scale_out and index == 1:
                cross += mine
    figures.update(disconnected=disconnected, missed=missed)
    for p in (50, 95, 99):
        figures[f"p{p}_ms"] = percentile(latencies, p)
    figures["max_ms"] = max(latencies) if latencies else None
    if scale_out:
        figures["cross_p99_ms"] = percentile(cross, 99)
    # A viewer process's pause delays its own deliveries of a save if it began before that
    # process's last one and ended after the save was sent.
    sent_at = {version: sent for sent, version in spaced}
    paused: dict[tuple[int, int], float] = {}
    for (index, version), mine in per_save.items():
        sent = sent_at[version]
        for process, start, ms in pauses:
            if (process == index and mine and start < sent + max(mine) / 1000
                    and start + ms / 1000 > sent):
                paused[index, version] = max(ms, paused.get((index, version), 0.0))
    figures.update(viewer_pauses_saves=len({version for _index, version in paused}),
                   viewer_pause_max_ms=max(paused.values(), default=None),
                   p99_unpaused_ms=percentile([ms for key, mine in per_save.items()
                                               if key not in paused for ms in mine], 99))
    return figures


def make_postgres_database() -> str:
    """A PostgreSQL database of the bench's own (TEST_DATABASE_URL's server, else 127.0.0.1)."""
    from sqlalchemy import create_engine, make_url, text
    base = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1/postgres"
    name = f"sb_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop the bench's database."""
    from sqlalchemy import create_engine, make_url, text
    name = make_url(url).database
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()



def run_ceiling(args, workdir: Path) -> dict:
    """The ceiling's gevent and node variants at the same N: {variant: figures}."""
    ceiling = Path(args.ceiling)
    venv = os.environ.get("CEILING_VENV", str(ceiling / ".venv"))
    if not (ceiling / "run_all.py").exists() or not Path(venv, "bin", "python").exists():
        print(f"ceiling skipped: no run_all.py in {ceiling} or no CEILING_VENV at {venv}")
        return {}
    out = workdir / "ceiling"
    env = dict(os.environ, CEILING_VENV=venv, CEILING_OUT=str(out))
    subprocess.run([str(Path(venv, "bin", "python")), "run_all.py", "--ns", str(args.viewers),
                    "--runs", "1", "--variants", "gevent", "node", "--triggers", str(args.saves)],
                   cwd=ceiling, env=env, capture_output=True, text=True, timeout=1800)
    figures = {}
    for result in out.glob("results/*/*.json"):
        variant = result.name.split("-N")[0]
        data = json.loads(result.read_text())
        spaced = data.get("spaced", {})
        cpu_ms = None
        if spaced.get("sent") and spaced.get("server_cpu_pct") is not None:
            cpu_ms = spaced["server_cpu_pct"] / 100 * spaced["wall_s"] / spaced["sent"] * 1000
        figures[variant] = {"p50_ms": spaced.get("p50_ms"), "p99_ms": spaced.get("p99_ms"),
                            "cpu_ms": cpu_ms, "missing": spaced.get("missing"),
                            "error": data.get("error")}
    return figures



STANDINGS_SHAPES = [(15, 15, 10), (30, 15, 10), (60, 15, 10), (120, 15, 10), (60, 5, 10), (60, 30, 10)]


def standings_growth(workdir: Path, shapes=STANDINGS_SHAPES) -> list[tuple[int, int, int, float, float]]:
    """(teams, judges, criteria, CPU ms of the whole recompute, CPU ms in the engine alone), median of 5."""
    from decimal import Decimal

    from scoreboard import create_app
    from scoreboard.engine.rubric import rubric_standings
    from scoreboard.extensions import db
    from scoreboard.models import (Assignment, Contest, ContestTeam, Criterion, Event, Judge,
                                   Region, Score, Sheet, Team)
    from scoreboard.services.standings import preload_contest, rubric_input, standings_for
    from datetime import date
    from flask_migrate import upgrade
    rows = []
    for teams, judges, criteria in shapes:
        path = workdir / f"standings-{teams}-{judges}-{criteria}.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench",
                          "TESTING": True, "BACKUP_DIR": str(workdir), "INSTANCE_PATH": str(workdir)})
        generator = random.Random(teams * 1000 + judges)
        with app.app_context():
            upgrade()
            event = Event(name="Bench", held_on=date(2026, 2, 26), active=True)
            region = Region(name="Paringin", event=event)
            contest = Contest(name="Besar", event=event, status="open")
            db.session.add_all([event, region, contest])
            for position in range(criteria):
                contest.criteria.append(Criterion(name=f"K{position}", weight=Decimal(1),
                                                  min_score=Decimal(1), max_score=Decimal(100),
                                                  step=Decimal("0.5"), position=position))
            team_rows = [Team(name=f"Tim {n}", region=region, event=event) for n in range(teams)]
            judge_rows = [Judge(name=f"Juri {n}", event=event) for n in range(judges)]
            db.session.add_all(team_rows + judge_rows)
            for order_no, team in enumerate(team_rows, 1):
                contest.entries.append(ContestTeam(team=team, order_no=order_no))
            for judge in judge_rows:
                judge.assignments.append(Assignment(contest=contest, role="judge"))
            db.session.flush()
            for judge in judge_rows:
                for team in team_rows:
                    sheet = Sheet(contest=contest, judge=judge, team=team, state="submitted",
                                  version=1)
                    for criterion in contest.criteria:
                        sheet.scores.append(Score(judge_id=judge.id, team_id=team.id,
                                                  criterion=criterion,
                                                  value=Decimal(generator.randrange(2, 201)) / 2))
                    db.session.add(sheet)
            db.session.commit()
            whole, engine = [], []
            for _ in range(5):
                db.session.expire_all()
                # CPU time of this process: what the server spends, whatever else the machine runs.
                started = time.process_time()
                # As a push computes them: the contest preloaded in a few queries, then the engine.
                fresh = db.session.get(Contest, contest.id)
                preload_contest(fresh)
                standings_for(fresh)
                whole.append((time.process_time() - started) * 1000)
                data = rubric_input(db.session.get(Contest, contest.id))
                started = time.process_time()
                rubric_standings(data)
                engine.append((time.process_time() - started) * 1000)
            rows.append((teams, judges, criteria, statistics.median(whole), statistics.median(engine)))
            db.engine.dispose()
    return rows



def report(args, runs: dict, ceiling: dict, standings) -> None:
    """Print the figures and the ratios the targets are stated in."""
    print(f"\nEvent-day bench, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    head = ("| run | N watching | p50 ms | p95 ms | p99 ms | max ms | save p50/p99 ms | "
            "CPU ms/save (solo / spaced) | RSS KB/viewer | burst: saves in s, final after ms | "
            "disconnected / missed |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for name, f in runs.items():
        print(f"| {name} | {f['watching']} | {fmt(f['p50_ms'])} | {fmt(f['p95_ms'])} "
              f"| {fmt(f['p99_ms'])} | {fmt(f['max_ms'])} "
              f"| {fmt(f['save_p50_ms'])} / {fmt(f['save_p99_ms'])} "
              f"| {fmt(f['solo_cpu_ms'])} / {fmt(f['spaced_cpu_ms'])} "
              f"| {fmt(f['rss_per_viewer_kb'], 0)} "
              f"| {f['burst_saves']} in {fmt(f['burst_s'], 2)}, {fmt(f['final_after_last_save_ms'], 0)} "
              f"| {f['disconnected']} / {f['missed']} |")
        if "cross_p99_ms" in f:
            print(f"|   viewers of process B only (cross-process) | | | | {fmt(f['cross_p99_ms'])} | | | | | | |")
    for name, f in runs.items():
        print(f"{name}: judges' saves while pushes go out ({f['steady_saves']} saves, one every "
              f"{STEADY_GAP} s): p50 {fmt(f['steady_save_p50_ms'])} / p99 "
              f"{fmt(f['steady_save_p99_ms'])} ms")
    for name, f in runs.items():
        print(f"{name}: the viewer processes' own full garbage collections (up to "
              f"{fmt(f['viewer_pause_max_ms'], 0)} ms) fell in {f['viewer_pauses_saves']} of "
              f"{args.saves} spaced saves; p99 of the deliveries they did not delay: "
              f"{fmt(f['p99_unpaused_ms'])} ms")
    if ceiling:
        print("\n| ceiling (same run) | p50 ms | p99 ms | CPU ms/push | missing |")
        print("|---|---|---|---|---|")
        for variant, c in sorted(ceiling.items()):
            print(f"| {variant} | {fmt(c['p50_ms'])} | {fmt(c['p99_ms'])} | {fmt(c['cpu_ms'])} "
                  f"| {c['missing']} {c['error'] or ''} |")
        app = runs.get("app")
        if app and "gevent" in ceiling and ceiling["gevent"]["cpu_ms"]:
            print(f"\nCPU per save / bare gevent push: "
                  f"{app['spaced_cpu_ms'] / ceiling['gevent']['cpu_ms']:.2f} (target <= 1.2)")
        if app and "node" in ceiling and ceiling["node"]["p99_ms"]:
            print(f"p99 save->viewer / bare Node p99: "
                  f"{app['p99_ms'] / ceiling['node']['p99_ms']:.2f} (target <= 1.0)")
    if "app" in runs and "scale-out" in runs and runs["scale-out"].get("cross_p99_ms"):
        print(f"cross-process p99 / single-process p99: "
              f"{runs['scale-out']['cross_p99_ms'] / runs['app']['p99_ms']:.2f} (target <= 1.3)")
    if standings:
        print("\n| teams x judges x criteria | recompute CPU ms (load + engine) | engine alone CPU ms |")
        print("|---|---|---|")
        for teams, judges, criteria, whole, engine in standings:
            print(f"| {teams} x {judges} x {criteria} | {whole:.1f} | {engine:.1f} |")


def main() -> None:
    """Parse the options, run what they ask for, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=20, help="spaced saves (and ceiling triggers)")
    parser.add_argument("--steady", type=int, default=30,
                        help=f"saves in the steady phase (one every {STEADY_GAP} s)")
    parser.add_argument("--burst", type=int, default=50, help="saves in the burst")
    parser.add_argument("--solo-saves", type=int, default=10)
    parser.add_argument("--scale-out", action="store_true",
                        help="also run 2 gunicorn processes on PostgreSQL + Redis")
    parser.add_argument("--ceiling", default=str(DEFAULT_CEILING),
                        help="folder of the bare-stack ceiling benchmark (its run_all.py); "
                             "CEILING_VENV and NODE_PATH as its README says")
    parser.add_argument("--skip-ceiling", action="store_true")
    parser.add_argument("--skip-standings", action="store_true")
    parser.add_argument("--skip-app", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="event-day-bench-"))
    started = time.monotonic()
    try:
        runs = {}
        if not args.skip_app:
            (workdir / "app").mkdir()
            runs["app"] = run_app(args, workdir / "app", scale_out=False)
            print("app:", json.dumps(runs["app"]), flush=True)
        if args.scale_out:
            (workdir / "scale").mkdir()
            runs["scale-out"] = run_app(args, workdir / "scale", scale_out=True)
            print("scale-out:", json.dumps(runs["scale-out"]), flush=True)
        ceiling = {} if args.skip_ceiling else run_ceiling(args, workdir)
        standings = None
        if not args.skip_standings:
            (workdir / "standings").mkdir()
            standings = standings_growth(workdir / "standings")
        report(args, runs, ceiling, standings)
        print(f"\n(whole run: {time.monotonic() - started:.0f} s)")
    except BaseException:
        for log in workdir.rglob("*.log"):
            print(f"--- {log.name}:\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
