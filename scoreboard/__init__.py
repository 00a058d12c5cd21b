"""Papan Skor Langsung: a live scoring board for judged community contests."""
import os
from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

# realtime is imported for its /live handlers: they must be registered before socketio.init_app
# builds the server, or only the first app gets them.
from . import realtime  # noqa: F401
from .admin import bp as admin_bp
from .api import bp as api_bp
from .cli import register_cli
from .config import Config, database_url_for, load_or_create_secret_key
from .display import bp as display_bp
from .export import bp as export_bp
from .eventloop import BUSY_TIMEOUT_MS, default_async_mode, sqlite_engine_options
from .extensions import csrf, db, limiter, migrate, socketio
from .headers import init_security_headers
from .i18n import init_i18n, wants_json
from .inputs import InputRefused, check_request_input, size_text
from .judge import bp as judge_bp
from .params import IdConverter
from .quiz import bp as quiz_bp
from .services.backup import start_backup_scheduler
from .stage import bp as stage_bp


def create_app(config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI, error handlers."""
    config = dict(config or {})
    app = Flask(__name__, instance_relative_config=True, instance_path=config.pop("INSTANCE_PATH", None)
                or os.environ.get("SCOREBOARD_INSTANCE_PATH"),
                template_folder="../templates", static_folder="../static")
    # Before any route is added: every <int:...> id is bounded to what the database can hold.
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url_for(app.instance_path)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    if not app.config.get("BACKUP_DIR"):
        app.config["BACKUP_DIR"] = os.path.join(app.instance_path, "backups")
    if not app.config["SOCKETIO_ASYNC_MODE"]:
        app.config["SOCKETIO_ASYNC_MODE"] = default_async_mode()
    if app.config["SOCKETIO_ASYNC_MODE"] == "gevent" and \
            app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = sqlite_engine_options(
            app.config["SQLALCHEMY_ENGINE_OPTIONS"])

    db.init_app(app)
    with app.app_context():
        _tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    # Before CSRF's check, the first to read the form: an upload view's own limit applies there.
    app.before_request(check_request_input)
    csrf.init_app(app)
    limiter.init_app(app)
    init_i18n(app)
    init_security_headers(app)
    socketio.init_app(app, async_mode=app.config["SOCKETIO_ASYNC_MODE"],
                      message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
                      cors_allowed_origins=_socketio_origin_check(app))
    if app.config["SOCKETIO_ASYNC_MODE"] == "gevent":
        # Only a gevent-patched process (the event-day server) may load gevent's fan-out.
        from .fanout import install as install_direct_fanout
        app.extensions["direct_fanout"] = install_direct_fanout(socketio.server)

    if app.config["PROXY_COUNT"] > 0:
        # Outside Socket.IO's middleware, so its origin check sees the proxy's host and scheme.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    for blueprint in (display_bp, admin_bp, judge_bp, quiz_bp, stage_bp, api_bp, export_bp):
        app.register_blueprint(blueprint)
    register_cli(app)
    start_backup_scheduler(app)
    _register_error_pages(app)
    return app


def _socketio_origin_check(app: Flask):
    """A browser may open the live connection from the app's own pages, or from PUBLIC_BASE_URL.

    python-engineio's default (None) allows only the first; an empty list would switch the check off.
    X-Forwarded-Host counts only behind a configured proxy (PROXY_COUNT), where ProxyFix has
    already made it the request's host; from anyone else it is a header the client chose.
    """
    def allowed(origin, environ) -> bool:
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        public = urlsplit(app.config.get("PUBLIC_BASE_URL") or "")
        public_origin = f"{public.scheme}://{public.netloc}" if public.netloc else None
        return origin == own or (public_origin is not None and origin == public_origin)

    return allowed


def _tune_sqlite(engine) -> None:
    """WAL, foreign keys and a full fsync: an acknowledged save survives a power cut."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()


def _register_error_pages(app: Flask) -> None:
    """Friendly error pages in the reader's language (JSON for API clients)."""
    # Lazy: built once here, translated for each request that shows one.
    messages = {
        400: _l("Permintaan tidak valid."),
        403: _l("Anda tidak berhak membuka halaman ini."),
        404: _l("Halaman tidak ditemukan."),
        405: _l("Metode tidak diizinkan."),
        429: _l("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."),
        500: _l("Terjadi kesalahan di server. Panitia sudah dapat melihatnya di log."),
    }

    def render_error(code: int, message):
        message = str(message)
        if wants_json():
            return {"error": message}, code
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        """The form was stale or forged: ask to reload rather than failing silently."""
        return render_error(400, _l("Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi."))

    @app.errorhandler(413)
    def too_large(_error):
        """More than the request's limit was sent (refused before it is read): name the limit."""
        return render_error(413, _l("Data yang dikirim terlalu besar (paling banyak %(size)s).",
                                    size=size_text(request.max_content_length or 0)))

    @app.errorhandler(InputRefused)
    def input_refused(error):
        """A field too long or with a control character: say which rule it broke."""
        return render_error(error.code, error.description)

    for code, message in messages.items():
        app.register_error_handler(code, lambda _e, c=code, m=message: render_error(c, m))
