"""One way to hand a generated file to the browser: an attachment that no cache keeps
(results before publication, judges' access codes)."""
import io

from flask import send_file


def attachment(body: bytes, mimetype: str, filename: str):
    """`body` as an attachment named `filename`, with Cache-Control: no-store."""
    response = send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True,
                         download_name=filename, conditional=False, etag=False)
    response.headers["Content-Type"] = mimetype  # as given: send_file would add a second charset
    response.headers["Cache-Control"] = "no-store"
    return response
