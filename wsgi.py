"""Entry point. `python wsgi.py` is the event-day server (gevent, WebSocket); `python wsgi.py --venue`
also puts the laptop's venue address in every link and prints them. gunicorn and `flask --app wsgi`
import `app` from here; `flask --app wsgi run` stays the developer's auto-reloading server."""
if __name__ == "__main__":
    # Before anything imports socket, ssl, threading or psycopg: every wait must yield to gevent's
    # loop, and psycopg picks its cooperative wait function when it is first imported.
    from gevent import monkey
    monkey.patch_all()

from scoreboard import create_app  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from scoreboard.server import main
    main(app)
