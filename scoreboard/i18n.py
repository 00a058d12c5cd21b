"""Language, numbers and times the Indonesian way: id first, en second, WITA clock."""
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask import Flask, has_request_context, request, session
from flask_babel import get_locale

from .engine import clock_text, round_half_up
from .extensions import babel

WITA = ZoneInfo("Asia/Makassar")


def select_locale() -> str:
    """The language chosen with ?lang= (remembered in the session), else Indonesian."""
    if not has_request_context():
        return None  # the CLI and other app contexts speak the default language (id)
    choice = request.args.get("lang")
    if choice in ("id", "en"):
        session["lang"] = choice
    return session.get("lang", "id")


def to_wita(moment: datetime) -> datetime:
    """Convert a stored UTC time (naive from SQLite) to WITA."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WITA)


def wita_time(moment: datetime | None) -> str:
    """10.32.05 WITA"""
    if moment is None:
        return ""
    return to_wita(moment).strftime("%H.%M.%S") + " WITA"


def wita_datetime(moment: datetime | None) -> str:
    """28-11-2026 10.32 WITA"""
    if moment is None:
        return ""
    return to_wita(moment).strftime("%d-%m-%Y %H.%M") + " WITA"


def _locale(locale: str | None) -> str:
    return locale or str(get_locale() or "id")


def number(value: Decimal | int | None, places: int = 2, locale: str | None = None) -> str:
    """87,50 in Indonesian, 87.50 in English; rounded half-up."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(round_half_up(Decimal(value), places), format=pattern,
                          locale=_locale(locale))


def plain(value: Decimal | int | None) -> str:
    """A number as a judge types it, no trailing zeros, no grouping: 7,5 / 10 (7.5 in English)."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text if str(get_locale() or "id") == "en" else text.replace(".", ",")


def points(value: Decimal | int | None, signed: bool = False, locale: str | None = None) -> str:
    """Quiz points: 300, −100 (a true minus, U+2212), 1.000, 12,50; "+100" when signed.

    Whole points without decimals, anything else with two; Indonesian separators in Indonesian.
    """
    if value is None:
        return ""
    value = round_half_up(Decimal(value), 2)
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
    text = format_decimal(abs(value), format=pattern, locale=_locale(locale))
    if value < 0:
        return "\u2212" + text
    return ("+" if signed and value > 0 else "") + text


def duration(ms: int | None) -> str:
    """A stage duration as the clocks show it: 4:30 (whole seconds); "" when none."""
    return "" if ms is None else clock_text(int(ms) // 1000)


def final_score(value: Decimal | int | None, kind: str, locale: str | None = None) -> str:
    """A team's score as people read it, the one rule for every screen and document:
    quiz points as points (300, −25), a rubric score with two decimals (87,50).

    Files for programs (API, CSV, JSON) keep rules §4's "87.50" for every contest.
    """
    if kind == "quiz":
        return points(value, locale=locale)
    return number(value, locale=locale)


def wants_json() -> bool:
    """True for API paths and clients that ask for JSON."""
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def init_i18n(app: Flask) -> None:
    """Hook Flask-Babel and the number/time filters into the app."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Makassar")
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["points"] = points
    app.jinja_env.filters["final_score"] = final_score
    app.jinja_env.filters["plain"] = plain
    app.jinja_env.filters["wita_time"] = wita_time
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["wita_datetime"] = wita_datetime

    @app.before_request
    def remember_language():
        """Keep a ?lang= choice even when the answer is a redirect that translates nothing."""
        select_locale()

    @app.context_processor
    def language_context():
        return {"current_lang": str(get_locale() or "id")}
