"""Stanza's character models run once per distinct word of a batch, not once per word.

The tagger and the NER build part of each word's representation from its
characters alone (``stanza.models.common.char_model.CharacterModel``: an LSTM
over the word's characters, nothing of its context), and they ran it for every
word of a batch: on news about two of five words in a tagger batch repeat one
before it (``yang``, ``di``, names).  Stanza offers no hook for this, so the
model's ``forward`` is wrapped on the instance: the distinct words go through
Stanza's own ``forward`` as one sentence, and each word gets the vector of its
distinct form, put back in the order and sentence layout Stanza's ``forward``
returns.
"""
from __future__ import annotations

from typing import Callable

import torch
from stanza.models.common.char_model import CharacterModel
from stanza.models.common.utils import tensor_unsort
from torch.nn.utils.rnn import PackedSequence, pack_sequence, pad_packed_sequence

PAD_ID = 0  # the character vocabulary's padding id (``stanza.models.common.vocab.PAD_ID``)


def once_per_word(model: torch.nn.Module) -> None:
    """Make a Stanza model's character model (if it has one) compute each distinct word of a batch once."""
    charmodel = getattr(model, "charmodel", None)
    if isinstance(charmodel, CharacterModel):
        charmodel.forward = _distinct_forward(charmodel.forward, charmodel.pad)


def _distinct_forward(forward: Callable, pad: bool) -> Callable:
    def distinct_forward(chars, chars_mask, word_orig_idx, sentlens, wordlens):
        forms, form_of_word = torch.unique(chars, dim=0, return_inverse=True)
        if len(forms) == len(chars):
            return forward(chars, chars_mask, word_orig_idx, sentlens, wordlens)
        lengths = torch.zeros(len(forms), dtype=torch.long, device=chars.device)
        lengths[form_of_word] = torch.as_tensor(wordlens, dtype=torch.long, device=chars.device)
        order = torch.argsort(lengths, descending=True, stable=True)  # Stanza packs by length, longest first
        forms, lengths = forms[order], lengths[order].tolist()
        reps = forward(forms, forms == PAD_ID, list(range(len(forms))), [len(forms)], lengths)
        reps = reps.data if isinstance(reps, PackedSequence) else reps[0]
        rank = torch.empty_like(order)
        rank[order] = torch.arange(len(order), device=chars.device)
        return _as_sentences(reps[rank[form_of_word]], word_orig_idx, sentlens, pad)

    return distinct_forward


def _as_sentences(word_reps: torch.Tensor, word_orig_idx: list[int], sentlens: list[int], pad: bool):
    """The words' vectors in sentence order, split into sentences, as ``CharacterModel.forward`` returns them."""
    packed = pack_sequence(tensor_unsort(word_reps, word_orig_idx).split(sentlens))
    return pad_packed_sequence(packed, batch_first=True)[0] if pad else packed
