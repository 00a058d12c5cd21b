"""How generated files go to the browser: an attachment that no cache keeps (results before
publication, judges' access codes), or a PNG the app drew shown inline."""
import io

from flask import make_response, send_file


def attachment(body: bytes, mimetype: str, filename: str):
    """`body` as an attachment named `filename`, with Cache-Control: no-store."""
    response = send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True,
                         download_name=filename, conditional=False, etag=False)
    response.headers["Content-Type"] = mimetype  # as given: send_file would add a second charset
    response.headers["Cache-Control"] = "no-store"
    return response


def png_response(png: bytes):
    """A PNG the app made itself (a chart, a re-encoded logo), shown inline and never cached."""
    response = make_response(png)
    response.headers["Content-Type"] = "image/png"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
