"""An event whose every name is hostile (issue 13, item 13), and the checks that it stays inert."""
import html
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

from scoreboard.extensions import db
from scoreboard.identity import organizer_session, session_stamp
from scoreboard.models import Event, Judge, Organizer, Region
from scoreboard.services import quiz as quiz_service, running, sheets
from tests.factories import gen_contest, gen_judge, gen_organizer, gen_team

# The longest word the forms accept for a name (200 characters, no space to break at).
LONG_WORD = ("Tim" + "Panjangsekalitanpaspasi" * 9)[:200]
HOSTILE_TEAMS = (
    "<img src=x onerror=alert('tim')>Tim Gambar",
    '<script>alert("skor")</script>',
    "{{ config.SECRET_KEY }}{% if true %}Jinja{% endif %}{{ 7*7 }}",
    '=HYPERLINK("http://contoh.invalid/?"&A1,"Klik")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    LONG_WORD,
    "فريق النجوم المشرقة",
)
HOSTILE_REGIONS = ("<b>Awayan</b>", "=1+1 Batumandi", "{{ 7*7 }} Halong", "حلونج",
                   ("Wilayah" + "Sangatpanjang" * 9)[:120])
HOSTILE_JUDGES = ('<script>alert("juri")</script> Juri', "=cmd|'/C calc'!A0", "{{ 7*7 }} Juri",
                  "القاضي أحمد", ("Juri" + "Namanyapanjangsekali" * 10)[:200])
HOSTILE_CONTEST = "<i>Lomba</i> {{ 7*7 }} =1+1 <svg onload=alert('lomba')>"
HOSTILE_QUIZ = "-2+3 مسابقة <u>Cerdas</u>"
HOSTILE_OPEN = ("Lomba" + "Terbukapanjang" * 15)[:200]
HOSTILE_CRITERIA = ("<b onmouseover=alert('kriteria')>Kekompakan</b>", ("Kreativitas" + "x" * 200)[:200])
HOSTILE_ROUND = "<u>Babak</u> {{ 1+1 }} +100"
HOSTILE_REASON = "<script>alert('denda')</script> =1+1 {{ 7*7 }}"
HOSTILE_EVENT = "<svg onload=alert('acara')> Temu {{ 7*7 }} =SUM(A1)"
HOSTILE_VENUE = '=HYPERLINK("http://contoh.invalid","Gedung")'
# Markup that would run if any of the names above reached a page unescaped.
LIVE_MARKUP = ("<img src=x", "<script>alert(", "<svg onload", "<b onmouseover", "<i>Lomba",
               "<b>Awayan", "<u>Babak", "<u>Cerdas")
SECRET = "hostile-secret-key"


@dataclass
class HostileEvent:
    """Ids of what the hostile fixture made."""

    event_id: int
    published_id: int
    open_id: int
    quiz_id: int
    team_ids: list
    entry_id: int
    judge: object
    keeper: object
    organizer: object


def gen_hostile_event() -> HostileEvent:
    """A published rubric contest, an open one and a quiz, every name hostile; all scored."""
    event = Event(name=HOSTILE_EVENT, venue=HOSTILE_VENUE, active=True, held_on=date(2026, 2, 26))
    db.session.add(event)
    for name in HOSTILE_REGIONS:
        db.session.add(Region(name=name, event=event))
    db.session.commit()
    teams = [gen_team(event, name, HOSTILE_REGIONS[n % len(HOSTILE_REGIONS)])
             for n, name in enumerate(HOSTILE_TEAMS)]
    criteria = tuple((name, "1", "1", "10", "0.5") for name in HOSTILE_CRITERIA)
    published = gen_contest(event, name=HOSTILE_CONTEST, teams=teams, criteria=criteria)
    live = gen_contest(event, name=HOSTILE_OPEN, teams=teams, criteria=criteria)
    judges = [gen_judge(event, name, [published, live], role="head" if n == 0 else "judge")[0]
              for n, name in enumerate(HOSTILE_JUDGES)]
    for contest in (published, live):
        for n, team in enumerate(teams):
            for j, judge in enumerate(judges):
                if contest is live and j:
                    continue  # the open contest stays provisional: one sheet per team
                values = {c.id: str(1 + (n * 3 + j) % 19 / 2) for c in contest.criteria}
                sheets.submit_sheet(judge, contest, team, values, f"hostile-{contest.id}-{n}-{j}")
        running.add_penalty(contest, teams[1], "0.5", HOSTILE_REASON, "panitia: uji")
    running.lock_contest(published)
    running.publish_contest(published, acknowledge_ties=True)
    quiz = gen_contest(event, name=HOSTILE_QUIZ, kind="quiz", teams=teams)
    quiz_round = quiz_service.save_round(quiz, HOSTILE_ROUND, "+100, -50")
    keeper, _code = gen_judge(event, "<script>alert('pencatat')</script>", [quiz], role="scorekeeper")
    entry = None
    for n, team in enumerate(teams):
        entry, _new = quiz_service.record_tap(quiz, team, quiz_round, n + 1, "+100",
                                              f"hostile-tap-{n}", keeper)
    return HostileEvent(event.id, published.id, live.id, quiz.id, [t.id for t in teams], entry.id,
                        judges[0], keeper, gen_organizer())


class MarkupScan(HTMLParser):
    """The elements of a page and its text, as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.handlers: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and "alert(" in (value or ""):
                self.handlers.append((tag, name, value))

    def handle_data(self, data):
        self.text.append(data)


def check_inert_html(body: str, where: str) -> str:
    """No hostile markup is live in the page; returns the page's text (entities decoded)."""
    for fragment in LIVE_MARKUP:
        assert fragment not in body, f"{where}: {fragment!r} reached the page as markup"
    scan = MarkupScan()
    scan.feed(body)
    assert not scan.handlers, f"{where}: an event handler from a name: {scan.handlers}"
    # Jinja syntax in a name is shown, never evaluated: no secret, no 49 made from {{ 7*7 }}.
    assert SECRET not in body, f"{where}: a name was rendered as a template"
    text = " ".join(scan.text)
    if "7*7" in html.unescape(body):
        assert "{{ 7*7 }}" in html.unescape(body), f"{where}: Jinja syntax in a name was altered"
    return text


def squeeze(text: str) -> str:
    """Text without whitespace: a PDF may wrap a long word over lines."""
    return re.sub(r"\s+", "", text)


def log_in(client, role: str, hostile) -> None:
    """Make the test client anonymous ("anonim") or the hostile event's organizer, judge or keeper."""
    with client.session_transaction() as session:
        session.clear()
        if role == "panitia":
            session.update(organizer_session(db.session.get(Organizer, hostile.organizer.id)))
        elif role in ("juri", "pencatat"):
            judge = db.session.get(Judge, (hostile.judge if role == "juri" else hostile.keeper).id)
            session["judge_id"] = judge.id
            session["judge_stamp"] = session_stamp(judge)
