"""Runs the app as a real Socket.IO server for browser tests: python -m tests.e2e.server."""
import os

from scoreboard import create_app
from scoreboard.extensions import socketio

app = create_app({
    "SQLALCHEMY_DATABASE_URI": os.environ["E2E_DATABASE_URL"],
    "SECRET_KEY": "e2e-secret",
    "BACKUP_DIR": os.environ["E2E_BACKUP_DIR"],
    "PUBLIC_BASE_URL": os.environ["E2E_BASE_URL"],
    "SOCKETIO_MESSAGE_QUEUE": os.environ.get("E2E_MESSAGE_QUEUE"),
})

if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=int(os.environ["E2E_PORT"]),
                 allow_unsafe_werkzeug=True, log_output=False)
