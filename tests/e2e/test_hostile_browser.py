"""Hostile names in a real browser: nothing runs, and the 200-character word wraps inside the
screen of the projector, a phone and a judge tablet (issue 13, item 13)."""
import pytest

from scoreboard.extensions import db
from scoreboard.models import Judge
from scoreboard.services import access
from tests.hostile import HOSTILE_TEAMS, LONG_WORD, gen_hostile_event

pytestmark = [pytest.mark.browser, pytest.mark.reliability]

SCREENS = {"projector": {"width": 1920, "height": 1080}, "phone": {"width": 390, "height": 844},
           "tablet": {"width": 1280, "height": 800}}

# The innermost elements that reach past the right edge of the screen, for the failure message.
WIDE_ELEMENTS = """[...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.right > window.innerWidth + 1 && ![...e.children].some(
    c => c.getBoundingClientRect().right > window.innerWidth + 1);
}).slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')
  + ' ' + Math.round(e.getBoundingClientRect().width) + 'px')"""


def test_hostile_names_run_nothing_and_fit_every_screen(browser, live_server):
    with live_server.app.app_context():
        hostile = gen_hostile_event()
        judge_code = access.new_access_code()
        access.set_access_code(db.session.get(Judge, hostile.judge.id), judge_code)
        db.session.commit()
    sheet = f"/judge/contests/{hostile.open_id}/teams/{hostile.team_ids[5]}"
    # (screen, who logs in, page, whether it lists the teams by name)
    pages = [("projector", None, f"/display/{hostile.open_id}", True),
             ("phone", None, f"/board/{hostile.published_id}", True),
             ("phone", None, f"/results/{hostile.published_id}", True),
             ("tablet", "judge", sheet, False),
             ("tablet", "judge", "/judge/", True)]
    # Not yet: the organizer's team rows and contest console at 1366 px still widen the page by
    # 49 px and 707 px for 200-character names (row forms and panel labels); see docs/reliability.md.
    too_wide = []
    for screen, who, path, lists_teams in pages:
        context = browser.new_context(viewport=SCREENS[screen], locale="id-ID")
        try:
            page = context.new_page()
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            if who == "judge":
                page.goto(live_server(f"/judge/login/{access.normalize_code(judge_code)}"))
            page.goto(live_server(path))
            page.wait_for_load_state("networkidle")
            # What a person reads: the text, and the names standing in edit fields.
            text = page.locator("body").inner_text() + " ".join(
                page.locator("input[type=text], input:not([type]), textarea").evaluate_all(
                    "fields => fields.map(field => field.value)"))
            for name in (HOSTILE_TEAMS if lists_teams else [LONG_WORD]):
                assert name in text.replace("\n", ""), (path, name)
            assert not dialogs, f"{path}: a name ran script: {dialogs}"
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                too_wide.append(f"{screen} {path}: {overflow}px wider than the screen: "
                                + ", ".join(page.evaluate(WIDE_ELEMENTS)))
        finally:
            context.close()
    assert not too_wide, too_wide
