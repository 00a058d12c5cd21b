"""Configuration: safe defaults for one laptop, overridden by environment variables."""
import os
import secrets
from pathlib import Path


class Config:
    """Defaults: SQLite file in the instance folder, in-process Socket.IO."""

    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE")
    # Unset: gevent under the event-day server, threading elsewhere (eventloop.default_async_mode).
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    # Saves closer together than this share one push of the newest board (realtime.py); 0 pushes
    # each change before the request returns (the tests' test client relies on that).
    PUSH_INTERVAL_SECONDS = float(os.environ.get("PUSH_INTERVAL_SECONDS", "0.2"))
    # Where `python wsgi.py` listens; the CLI's links use the same port.
    # How many reverse proxies (nginx, Caddy …) stand in front of the app; 0 (the laptop in the
    # hall) trusts no X-Forwarded-* header. See docs/deploy.md.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = int(os.environ.get("PORT", "5000"))
    BACKUP_DIR = os.environ.get("BACKUP_DIR")
    BACKUP_INTERVAL_SECONDS = int(os.environ.get("BACKUP_INTERVAL_SECONDS", "300"))
    BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "24"))
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Makassar"
    LANGUAGES = ("id", "en")
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    # A judge stays logged in on a tablet for the whole event day and beyond.
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    # The session cookie is sent only when the session changed. Sent with every answer, a request
    # that began before a change (a 15-second refresh of the console, a static file) would answer
    # with the session as it was, and undo the change: a language just chosen, for one.
    SESSION_REFRESH_EACH_REQUEST = False
    # An organizer's session is shorter: an event day (from the morning briefing to the last
    # announcement) fits in 12 hours, and a console left alone for 2 hours asks for the password.
    ORGANIZER_SESSION_HOURS = float(os.environ.get("ORGANIZER_SESSION_HOURS", "12"))
    ORGANIZER_IDLE_MINUTES = float(os.environ.get("ORGANIZER_IDLE_MINUTES", "120"))
    WTF_CSRF_TIME_LIMIT = None
    # Every form's body, refused (413) before it is read: the largest form (a team's 5,000
    # characters of members, percent-encoded) is well under 100 KB.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(256 * 1024)))
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    # The views that take a file (a team list, a piagam logo) and the import preview, which
    # posts its checked rows back as form text (inputs.accepts_upload).
    MAX_UPLOAD_LENGTH = int(os.environ.get("MAX_UPLOAD_LENGTH", str(5 * 1024 * 1024)))
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    # One laptop: in-memory login throttling is enough; several processes point this at Redis.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Redis restarting must not lock judges out: count in memory until it is back.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True


def database_url_for(instance_path: str) -> str:
    """The default SQLite file inside the instance folder."""
    return "sqlite:///" + str(Path(instance_path) / "scoreboard.db")


def load_or_create_secret_key(instance_path: str) -> str:
    """Read the instance's secret key, generating it once so it never lives in the code."""
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    # Created owner-only from the first byte (no window where others could read it); O_EXCL
    # refuses to follow a planted symlink or to overwrite a key another process just wrote.
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key
