"""berita: Indonesian news annotation, from Python in spaCy's manner (README, "Python")::

    import pipeline
    nlp = pipeline.load()                             # models loaded once
    doc = nlp(text)                                   # a spaCy Doc: doc.ents, doc._.dates, doc._.claims
    records = pipeline.annotate(texts)                # the four tables as typed DataFrames
    records = pipeline.read_records("annotations-out")

Everything is imported on first use, so ``import pipeline`` (and the ``berita``
command) does not pay for torch, Stanza, spaCy and pandas up front.
"""
from __future__ import annotations

import os
import sys
import types
from importlib import import_module

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
"""OpenMP threads that wait sleep instead of spinning (unless the user chose otherwise).

torch's OpenMP threads spin at every barrier by default; when another process
holds a core they wait out its time slices, and a one-article run with two
threads took 86-210 s instead of 7-10 s beside two busy processes on two
cores (``benchmarks/RESULTS.md``).  Set here, before anything imports torch,
because OpenMP reads it once when it starts.
"""

PUBLIC = {"load": "pipeline.api", "annotate": "pipeline.api", "Berita": "pipeline.api",
          "read_records": "pipeline.records", "Records": "pipeline.records"}
"""Public name -> the module that defines it."""


def __getattr__(name: str):
    if name in PUBLIC:
        return getattr(import_module(PUBLIC[name]), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


class _Package(types.ModuleType):
    """The package, whose ``annotate`` stays the function although ``pipeline.annotate`` is also a submodule.

    Importing a submodule sets it as an attribute of its package, which would
    hide the function once anything imported the submodule; the submodule
    stays in ``sys.modules``, where ``from pipeline.annotate import ...`` finds it.
    """

    @property
    def annotate(self):
        return __getattr__("annotate")

    @annotate.setter
    def annotate(self, submodule: types.ModuleType) -> None:
        """The import system recording the submodule: nothing to do (see the class docstring)."""


sys.modules[__name__].__class__ = _Package
