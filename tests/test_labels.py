"""Method and status words come from one place (scoreboard/labels.py): the reader's language on
screen, Indonesian on the official PDF."""
import io

from flask_babel import force_locale
from pypdf import PdfReader

from scoreboard.labels import METHOD_LABELS, STATUS_LABELS
from scoreboard.services import recap_pdf
from tests.admin_helpers import as_organizer
from tests.factories import gen_organizer, gen_small_contest


def test_labels_follow_the_locale(app):
    with force_locale("id"):
        assert str(METHOD_LABELS["mean"]) == "rata-rata" and str(STATUS_LABELS["open"]) == "dibuka"
    with force_locale("en"):
        assert str(METHOD_LABELS["mean"]) == "mean"


def test_the_recap_pdf_stays_indonesian_under_an_english_reader(app):
    _, contest, *_ = gen_small_contest()
    with force_locale("en"):
        body = recap_pdf.build_recap_pdf([contest])
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    method = str(METHOD_LABELS[contest.method])  # outside force_locale: Indonesian
    with force_locale("id"):
        assert f"Metode penilaian: {METHOD_LABELS[contest.method]}" in text
        assert f"status: {STATUS_LABELS[contest.status]}" in text
    assert method in text


def test_the_english_console_shows_the_status_in_english(app, client):
    _, contest, *_ = gen_small_contest()
    as_organizer(client, gen_organizer())
    response = client.get(f"/admin/contests/{contest.id}?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    with force_locale("en"):
        assert f">{STATUS_LABELS[contest.status]}</small>" in page
