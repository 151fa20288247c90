"""Stanza's tokenizer stops computing a paragraph once it has read all of it.

The tokenizer reads a batch of paragraphs (a news article is one) in windows
of characters, all rows of the batch at once, until its longest paragraph is
done (``stanza.models.tokenization.utils.predict``).  A row whose paragraph
ended in an earlier window is all padding from then on, and its predictions
there are thrown away, yet the model still ran on it: with articles of 500
to 8,000 characters in one batch, about half of the tokenizer's work on news
(Stanza marks this as a TODO).  Its rows are independent (convolutions and
LSTMs along each row), so the model now runs on the rows that still hold text,
and the finished rows get zeros where Stanza would have computed predictions
that it then ignores.  Stanza has no hook for this; the trainer's ``predict``
is wrapped on the instance.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

PAD = "<PAD>"  # how Stanza's tokenizer data pads a paragraph's characters


def finished_paragraphs_skipped(trainer) -> None:
    """Make a Stanza tokenizer trainer run its model only on the rows of a window that still hold text."""
    trainer.predict = _live_rows_only(trainer.predict)


def _live_rows_only(predict: Callable) -> Callable:
    def live_predict(batch):
        units, labels, features, text = batch
        live = [row for row, characters in enumerate(text) if characters and characters[0] != PAD]
        if not live or len(live) == len(text):
            return predict(batch)
        scores = predict((units[live], labels[live], features[live], [text[row] for row in live]))
        every = np.zeros((len(text), *scores.shape[1:]), dtype=scores.dtype)
        every[live] = scores
        return every

    return live_predict
