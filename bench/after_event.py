"""Size and render time of the after-event documents for the 2025 demo event.

    .venv/bin/python bench/after_event.py [--rounds 3] [--pages-png DIR]

Builds the demo event in a temporary SQLite database (`seed-demo --scores`), publishes every
contest (with an override reason: the demo scores five teams per contest), then times each
document as a request makes it: the whole event's piagam, every contest's piagam peserta, the
laporan kegiatan PDF (charts drawn inside), and one chart on its own. Prints the best and the
median of --rounds runs and each file's size; the laporan must stay under 2 MB for messaging
apps. With --pages-png it also writes the report's pages as PNG (needs pdftoppm).
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(rounds: int, make):
    """(best seconds, median seconds, last result) of `make()` over `rounds` runs."""
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = make()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages-png", help="write the report's pages as PNG files here")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from scoreboard import create_app
    from scoreboard.demo import play_demo_scores, seed_demo
    from scoreboard.documents.piagam import build_piagam_pdf
    from scoreboard.documents.report import build_report_pdf, render_chart
    from scoreboard.services import piagam, running
    from scoreboard.services.report import report_for

    folder = Path(tempfile.mkdtemp(prefix="bench-after-event-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SECRET_KEY": "bench", "BACKUP_DIR": str(folder / "backups")})
    with app.app_context():
        upgrade()
        event, _judges, _created = seed_demo()
        play_demo_scores(event)
        for contest in event.contests:
            running.lock_contest(contest)
            running.publish_contest(contest, override_reason="bench: demo scores five teams",
                                    acknowledge_ties=True)
        settings = piagam.settings_for(event)

        def awards():
            lines = [line for c in event.contests for line in piagam.piagam_lines(c)]
            return len(lines), build_piagam_pdf(event, settings, lines)

        def participation():
            lines = [line for c in event.contests for line in piagam.piagam_lines(c, "participation")]
            return len(lines), build_piagam_pdf(event, settings, lines)

        def report():
            return 0, build_report_pdf(report_for(event))

        def chart():
            return 0, render_chart(report_for(event), "juara-umum")

        print(f"demo event: {len(event.contests)} contests, {len(event.teams)} teams (all published)")
        for name, make in (("piagam, whole event", awards), ("piagam peserta, all", participation),
                           ("laporan kegiatan PDF", report), ("one chart (juara umum)", chart)):
            best, median, (pages, body) = timed(args.rounds, make)
            count = f", {pages} pages" if pages else ""
            print(f"{name:24s} best {best * 1000:7.0f} ms  median {median * 1000:7.0f} ms  "
                  f"{len(body) / 1024:7.1f} KiB{count}")
            if name.startswith("laporan"):
                assert len(body) < 2 * 1024 * 1024, "the laporan must stay under 2 MB"
                if args.pages_png:
                    pdf = folder / "laporan.pdf"
                    pdf.write_bytes(body)
                    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf),
                                    str(Path(args.pages_png) / "laporan")], check=True)


if __name__ == "__main__":
    main()
