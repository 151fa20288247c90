"""The one loader of berita's Stanza models: offline, explicit paths, once per process.

Stanza would normally download models from its hub; here nothing can be
downloaded, and berita ships its own Indonesian models (trained by
``berita train``) inside the package in Stanza's directory layout::

    pipeline/models/resources.json
    pipeline/models/id/<processor>/berita.pt      tokenize, mwt, pos, lemma, depparse, ner
    pipeline/models/id/pretrain/berita.pt         word vectors shared by pos, depparse, ner
"""
from __future__ import annotations

import json
import logging
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

LANG = "id"
PACKAGE = "berita"
ALL_PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")
DEFAULT_PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "ner")
NEEDS_PRETRAIN = ("pos", "depparse", "ner")


class MissingModelError(FileNotFoundError):
    """A model file that the requested processors need is not there."""


def default_model_dir() -> Path:
    """The models shipped inside the package (overridable with ``BERITA_MODELS``)."""
    env = os.environ.get("BERITA_MODELS")
    return Path(env) if env else Path(str(resources.files("pipeline") / "models"))


def model_file(model_dir: Path, processor: str) -> Path:
    """Where a processor's model lives in Stanza's directory layout."""
    return Path(model_dir) / LANG / processor / f"{PACKAGE}.pt"


def parse_processors(spec: str | Iterable[str]) -> tuple[str, ...]:
    """Validate a processor list (``"tokenize,mwt,pos"``) and put it in pipeline order."""
    names = [p.strip() for p in (spec.split(",") if isinstance(spec, str) else spec) if p.strip()]
    unknown = sorted(set(names) - set(ALL_PROCESSORS))
    if unknown:
        raise ValueError(f"unknown processor(s) {', '.join(unknown)}; choose from {', '.join(ALL_PROCESSORS)}")
    if names and "tokenize" not in names:
        raise ValueError("every processor list needs tokenize")
    return tuple(p for p in ALL_PROCESSORS if p in names)


def model_paths(model_dir: Path, processors: Iterable[str]) -> dict[str, str]:
    """Stanza ``*_model_path`` / ``*_pretrain_path`` arguments for exactly these processors.

    Only the requested processors get a path: Stanza loads a processor whose
    path is given even when it is not in ``processors``.
    """
    paths: dict[str, str] = {}
    pretrain = model_file(model_dir, "pretrain")
    for name in processors:
        path = model_file(model_dir, name)
        if not path.exists():
            raise MissingModelError(f"missing Stanza model for {name}: {path} (run `berita train {name}`)")
        paths[f"{name}_model_path"] = str(path)
        if name in NEEDS_PRETRAIN:
            if not pretrain.exists():
                raise MissingModelError(f"missing word vectors for {name}: {pretrain} (run `berita train pretrain`)")
            paths[f"{name}_pretrain_path"] = str(pretrain)
    return paths


def ensure_resources(model_dir: Path) -> None:
    """Stanza needs a resources.json even when it downloads nothing."""
    path = Path(model_dir) / "resources.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({LANG: {"lang_name": "Indonesian"}}) + "\n", encoding="utf-8")


def build_pipeline(processors: Iterable[str] = DEFAULT_PROCESSORS, model_dir: Path | None = None, **options):
    """A new Stanza pipeline on CPU from local files only."""
    import stanza

    model_dir = Path(model_dir) if model_dir else default_model_dir()
    processors = parse_processors(processors)
    paths = model_paths(model_dir, processors)
    ensure_resources(model_dir)
    return stanza.Pipeline(
        lang=LANG,
        dir=str(model_dir),
        processors=",".join(processors),
        download_method=None,
        use_gpu=False,
        logging_level=options.pop("logging_level", "WARN"),
        **paths,
        **options,
    )


@lru_cache(maxsize=4)
def load_pipeline(processors: tuple[str, ...] = DEFAULT_PROCESSORS, model_dir: str | None = None):
    """The process-wide pipeline for these processors: models are loaded once."""
    logging.getLogger("stanza").setLevel(logging.WARNING)
    return build_pipeline(processors, Path(model_dir) if model_dir else None)
