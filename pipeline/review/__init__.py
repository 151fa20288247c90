"""The review round trip: decisions on claims in and out, reviewed entities out as NER training data.

Kept as a package of small modules: ``sheets`` reads what spreadsheets save,
``validate`` checks corrections, ``store`` is the SQLite review store,
``decisions`` applies and re-attaches decisions, ``ner`` exports entities.
"""
from pipeline.review.decisions import (REVIEWED, STATUSES, Applied, apply_review, guard_unapplied, reconcile,
                                       unapplied)
from pipeline.review.ner import export_ner
from pipeline.review.problems import ReviewError

__all__ = ["REVIEWED", "STATUSES", "Applied", "ReviewError", "apply_review", "export_ner", "guard_unapplied",
           "reconcile", "unapplied"]
