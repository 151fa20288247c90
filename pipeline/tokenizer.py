"""spaCy's Indonesian tokenizer, with its exceptions added only when a text holds them.

berita's Docs come from Stanza, so the rule pipeline tokenizes nothing but the
gazetteer's names (``nlp.make_doc`` in :mod:`pipeline.rules.gazetteer`), and those
must be cut exactly as spaCy's Indonesian tokenizer cuts them
(``Bangsa-Bangsa`` is one token because it is an exception).  Building that
tokenizer adds all of its ~16,000 exceptions up front, which was the largest
part of berita's start-up (4 s on a quiet machine).  An exception can only
change how a text is cut if the text contains it, so this tokenizer starts with
none and adds, before each text, the ones that occur in it: the same tokens,
at the cost of a few dozen lookups per name.
"""
from __future__ import annotations

from typing import Callable

import spacy
from spacy import util
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

NAME = "berita.ExceptionsOnDemand.v1"


class ExceptionsOnDemand:
    """A callable tokenizer: ``Language.Defaults`` affix rules, exceptions added per text as needed."""

    def __init__(self, nlp: Language):
        defaults = nlp.Defaults
        self.tokenizer = Tokenizer(
            nlp.vocab,
            prefix_search=util.compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
            suffix_search=util.compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
            infix_finditer=util.compile_infix_regex(defaults.infixes).finditer if defaults.infixes else None,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )
        self.exceptions: dict[str, list[dict]] = defaults.tokenizer_exceptions
        self.spaced = [key for key in self.exceptions if any(c.isspace() for c in key)]
        self.longest = max(map(len, self.exceptions), default=0)
        self.added: set[str] = set()

    def __call__(self, text: str) -> Doc:
        for key in self.exceptions_in(text):
            if key not in self.added:
                self.tokenizer.add_special_case(key, self.exceptions[key])
                self.added.add(key)
        return self.tokenizer(text)

    def exceptions_in(self, text: str) -> list[str]:
        """Every exception that occurs in ``text``: one without whitespace lies inside a whitespace-free chunk."""
        found = [key for key in self.spaced if key in text]
        for chunk in dict.fromkeys(text.split()):  # unique, in order: the same rules in the same order every run
            for i in range(len(chunk)):
                for j in range(i + 1, min(len(chunk), i + self.longest) + 1):
                    if chunk[i:j] in self.exceptions:
                        found.append(chunk[i:j])
        return found


@util.registry.tokenizers(NAME)
def create_tokenizer() -> Callable[[Language], ExceptionsOnDemand]:
    """The config entry point: ``{"@tokenizers": NAME}``."""
    return ExceptionsOnDemand


def blank(lang: str = "id") -> Language:
    """A blank spaCy pipeline for ``lang`` (vocabulary, lexical attributes) with this tokenizer."""
    return spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": NAME}}})
