"""Words for the stored codes of a contest's method and status, shared by the console, the exports
and the official documents. Lazy: each renders in the reader's language when shown; the PDF renders
them under force_locale("id") so official documents stay Indonesian."""
from flask_babel import lazy_gettext as _l

METHOD_LABELS = {"mean": _l("rata-rata"), "sum": _l("jumlah"),
                 "trimmed_mean": _l("rata-rata terpangkas"), "median": _l("median"),
                 "rank_sum": _l("jumlah peringkat")}
STATUS_LABELS = {"draft": _l("draf"), "open": _l("dibuka"), "closed": _l("dikunci"),
                 "published": _l("diumumkan")}
