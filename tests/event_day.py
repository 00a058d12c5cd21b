"""The real event-day server as a child process, started the way the README tells organizers to."""
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class EventDayServer:
    """`python wsgi.py` on a port of its own; kill() is the power cut, start() the restart."""

    def __init__(self, database_url: str, port: int, workdir: Path):
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = workdir / "server.log"
        self.env = dict(os.environ, DATABASE_URL=database_url, HOST="127.0.0.1", PORT=str(port),
                        SECRET_KEY="event-day-secret", SCOREBOARD_INSTANCE_PATH=str(workdir),
                        BACKUP_DIR=str(workdir / "backups"), PUBLIC_BASE_URL=self.url)
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def __call__(self, path: str) -> str:
        return self.url + path

    def start(self, timeout: float = 180) -> None:
        """Start the server and wait until it answers."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(self.url + "/api/contests", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the event-day server did not start:\n{self.log()}")
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, nothing gets a chance to flush."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """End the server (SIGKILL too: nothing of it is needed any more)."""
        self.kill()
        self.process = None

    def log(self) -> str:
        """What the server printed, for a failure message."""
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""
