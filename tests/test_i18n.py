"""English as the second language: the pages switch with ?lang=en, and the catalog is complete."""
import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import refresh

from scoreboard.services import running
from scoreboard.services.errors import ServiceError
from tests.admin_helpers import as_organizer
from tests.factories import gen_organizer, gen_small_contest

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "scoreboard" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"

REFRESH = (
    "refresh the catalog, fill the new msgstr in scoreboard/translations/en/LC_MESSAGES/messages.po, "
    "then compile it (commit .pot, .po and .mo):\n"
    "  .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext "
    "-o scoreboard/translations/messages.pot . && "
    ".venv/bin/pybabel update -i scoreboard/translations/messages.pot -d scoreboard/translations && "
    ".venv/bin/pybabel compile -d scoreboard/translations")

# %(name)s, %s, %d, %% … and {name}, {0}, {} (the judge tablets' script fills the braces).
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{[^{}]*\}")


def page_text(client, url: str) -> str:
    """The page as a reader sees its text (entities decoded, e.g. Judges&#39; → Judges')."""
    response = client.get(url)
    assert response.status_code == 200, url
    # The tests keep one app context open for every request, and Flask-Babel caches the
    # locale in it (g): forget it so the next request chooses its language afresh.
    refresh()
    return html.unescape(response.get_data(as_text=True))


def english_catalog():
    with EN_PO.open("rb") as handle:
        return read_po(handle, locale="en")


def msgids(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def msgstrs(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


ENGLISH_HOME = ["Judges: log in with your code", "Organizers: console", "Hall projector screen",
                "Judges' scoring", "Scoreboard", "Projector", "District", "Live Scoreboard"]
INDONESIAN_HOME = ["Dewan juri: masuk dengan kode", "Panitia: konsol", "Layar proyektor aula",
                   "Penilaian juri", "Papan skor", "Proyektor", "Kecamatan", "Papan Skor Langsung"]


@pytest.mark.parametrize("url, lang, shown, hidden", [
    ("/?lang=en", "en", ENGLISH_HOME, INDONESIAN_HOME),   # English with lang=en
    ("/", "id", INDONESIAN_HOME, ENGLISH_HOME),            # Indonesian by default
])
def test_home_page_speaks_the_chosen_language(client, demo, url, lang, shown, hidden):
    page = page_text(client, url)
    assert f'lang="{lang}"' in page
    assert [words for words in shown if words not in page] == []
    assert [words for words in hidden if words in page] == []
    assert "Lomba Yel-Yel" in page  # contest names are data, not interface text


def test_english_is_remembered_until_indonesian_is_chosen(client, demo):
    page_text(client, "/?lang=en")
    assert "Log in as a judge" in page_text(client, "/judge/")
    assert "Access code" in page_text(client, "/judge/")
    page = page_text(client, "/?lang=id")
    assert "Dewan juri: masuk dengan kode" in page and "Judges: log in with your code" not in page
    assert "Masuk sebagai juri" in page_text(client, "/judge/")


def test_the_language_chosen_on_a_redirect_is_kept(client, demo):
    # /admin/ only redirects to the login page: nothing on it is translated, yet the choice holds.
    response = client.get("/admin/?lang=en")
    refresh()
    assert response.status_code == 302
    assert "Log in" in page_text(client, response.headers["Location"])


def test_public_board_speaks_english(client, demo):
    contest = demo.contests[0]
    page = page_text(client, f"/board/{contest.id}?lang=en")
    assert "Overall champion" in page and "Connecting…" in page
    assert "Juara umum" not in page and "Menyambung…" not in page


def test_every_source_string_has_an_english_translation():
    """Extract from the code as `pybabel extract` does and look every string up in the .mo."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    extracted = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        key = message[0] if isinstance(message, tuple) else message
        extracted.setdefault(key, f"{filename}:{lineno}")
    assert len(extracted) > 300, "babel.cfg no longer finds the templates or the Python strings"

    with EN_MO.open("rb") as handle:
        compiled = read_mo(handle)
    translated = {msgids(m)[0] for m in compiled if m.id and all(msgstrs(m))}
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in extracted.items()
                     if msgid not in translated)
    assert not missing, (f"{len(missing)} string(s) without English translation in messages.mo:\n"
                         + "\n".join(missing) + "\n" + REFRESH)


def test_every_catalog_entry_has_a_non_empty_english_msgstr():
    catalog = english_catalog()
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if not all(s.strip() for s in msgstrs(message)):
            problems.append(f"empty msgstr for {message.id!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy (not compiled) for {message.id!r}")
    assert len([m for m in catalog if m.id]) > 300
    assert not problems, "\n".join(problems) + "\n" + REFRESH


def test_compiled_catalog_matches_the_po_file():
    """The committed .mo is what Flask-Babel loads: it must not lag behind the .po."""
    with EN_MO.open("rb") as handle:
        compiled = {msgids(m): msgstrs(m) for m in read_mo(handle) if m.id}
    written = {msgids(m): msgstrs(m) for m in english_catalog() if m.id and not m.fuzzy}
    assert compiled == written, "messages.mo is stale; " + REFRESH


def test_every_translation_keeps_the_placeholders():
    problems = []
    for message in english_catalog():
        if not message.id:
            continue
        expected = sorted(PLACEHOLDER.findall(msgids(message)[0]))
        for translation in msgstrs(message):
            if sorted(PLACEHOLDER.findall(translation)) != expected:
                problems.append(f"{msgids(message)[0]!r} -> {translation!r}: expected {expected}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def post_text(client, url: str, data: dict, status: int) -> str:
    """POST as a reader would and return the page's text (the locale cache forgotten afterwards)."""
    response = client.post(url, data=data)
    assert response.status_code == status, url
    refresh()
    return html.unescape(response.get_data(as_text=True))


def test_judge_sees_an_out_of_range_score_refused_in_english_beside_the_field(app, client):
    _event, contest, teams, (_judge, code), _other = gen_small_contest()
    assert client.get(f"/judge/login/{code}?lang=en").status_code == 302
    refresh()
    first, second = contest.criteria
    url = f"/judge/contests/{contest.id}/teams/{teams[0].id}"
    page = post_text(client, url, {f"score-{first.id}": "11", f"score-{second.id}": "7,25",
                                   "client_id": "english-0001"}, 422)
    assert (f'<p class="field-error" id="error-{first.id}">'
            "The score must be between 1 and 10.</p>") in page
    # Numbers in the message are written the English way (0.5, not 0,5).
    assert (f'<p class="field-error" id="error-{second.id}">'
            "The score must go up in steps of 0.5 from 1.</p>") in page
    assert "Check the marked scores." in page
    assert "Nilai harus" not in page and "Periksa nilai" not in page

    page_text(client, "/?lang=id")
    page = post_text(client, url, {f"score-{first.id}": "11", f"score-{second.id}": "7,25",
                                   "client_id": "english-0002"}, 422)
    assert "Nilai harus antara 1 dan 10." in page and "Nilai harus kelipatan 0,5 dari 1." in page
    assert "The score must" not in page


def test_organizer_sees_a_refused_action_in_english(app, client):
    _event, contest, teams, _a, _b = gen_small_contest()
    as_organizer(client, gen_organizer())
    page = post_text(client, f"/admin/contests/{contest.id}/publish?lang=en", {}, 409)
    assert "Lock the contest before publishing its results." in page
    assert "Kunci lomba dulu" not in page
    page = post_text(client, f"/admin/contests/{contest.id}/order",
                     {f"order_{team.id}": "1" for team in teams}, 422)
    assert "Every team needs a different performance number." in page
    assert "nomor urut yang berbeda" not in page


def test_error_pages_speak_english(app, client):
    response = client.get("/no-such-page?lang=en")
    refresh()
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 404
    assert "Page not found." in page and "Halaman tidak ditemukan." not in page
    response = client.get("/no-such-page?lang=id")
    refresh()
    assert "Halaman tidak ditemukan." in response.get_data(as_text=True)


def test_services_outside_a_request_speak_indonesian(app):
    """The CLI has an app context but no request: messages fall back to the default language."""
    _event, contest, _teams, _a, _b = gen_small_contest()
    with pytest.raises(ServiceError) as refused:
        running.publish_contest(contest)
    assert refused.value.message == "Kunci lomba dulu sebelum mengumumkan hasilnya."
