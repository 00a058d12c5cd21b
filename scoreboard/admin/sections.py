"""What every console view shares: the active event, lookups scoped to it, and sections.

A section is a part of a console page with a stable id: htmx posts get the partial back, plain
form posts are redirected to the page. perform() is the one place a refused use case
(ServiceError) becomes a response of the console.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for

from ..extensions import db
from ..htmx import is_htmx, page_or_partial
from ..models import Contest, Event, Penalty
from ..services import setup
from ..services.errors import ServiceError
from .blueprint import bp


def current_event() -> Event:
    """The active event; the console's setup pages need one."""
    event = setup.active_event()
    if event is None:
        abort(redirect(url_for("admin.dashboard")))
    return event


def get_or_404(model, object_id: int):
    """A row of the active event, else 404."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    event_id = getattr(obj, "event_id", None)
    if event_id is None and hasattr(obj, "contest"):
        event_id = obj.contest.event_id
    event = setup.active_event()
    if event is None or event_id != event.id:
        abort(404)
    return obj


def part_of_contest(model, part_id: int | None, contest_id: int | None):
    """The criterion or round being edited (None when adding one) and the contest it belongs to."""
    part = get_or_404(model, part_id) if part_id else None
    return part, part.contest if part else get_or_404(Contest, contest_id)


def penalty_or_404(penalty_id: int) -> Penalty:
    """A penalty of a contest of the active event."""
    penalty = db.session.get(Penalty, penalty_id)
    if penalty is None:
        abort(404)
    get_or_404(Contest, penalty.contest_id)
    return penalty


def checked(name: str) -> bool:
    """A checkbox of the submitted form."""
    return request.form.get(name) in ("1", "on", "true", "ya")


@dataclass(frozen=True)
class Section:
    """A console section: its page, its partial, what it shows and the page's URL."""

    page: str
    partial: str
    build: Callable[..., dict]
    url: Callable[..., str]


SECTIONS: dict[str, Section] = {}


def section(name: str, page: str, partial: str, url: Callable[..., str]):
    """Register the decorated context builder as the section `name` of the console."""
    def register(build):
        SECTIONS[name] = Section(page, partial, build, url)
        return build
    return register


def section_response(name: str, obj, *, error: str = "", status: int = 200, **extra):
    """Render one console section (partial for htmx, page otherwise) with an optional message."""
    shown = SECTIONS[name]
    return page_or_partial(shown.page, shown.partial, status, error=error, **shown.build(obj),
                           **extra)


def perform(name: str, obj, action, success: str, then=None):
    """Run a service call; answer with the section (htmx) or a redirect, or the error in place.

    `then` makes the redirect's URL from what the service returned (a new contest's page).
    """
    try:
        result = action()
    except ServiceError as error:
        return section_response(name, obj, error=error.message, status=error.status)
    if is_htmx():
        db.session.expire_all()
        return section_response(name, obj, notice=success)
    flash(success, "success")
    return redirect(then(result) if then else SECTIONS[name].url(obj))


def contest_section(name: str, page: str, partial: str, rule: str, endpoint: str):
    """Register the decorated builder as contest section `name`, whose page is served at `rule`."""
    def register(build):
        section(name, page, partial,
                lambda contest: url_for(f"admin.{endpoint}", contest_id=contest.id))(build)

        def view(contest_id):
            return section_response(name, get_or_404(Contest, contest_id))
        view.__doc__ = build.__doc__
        bp.add_url_rule(rule, endpoint, view)
        return build
    return register
