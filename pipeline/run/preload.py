"""Models loaded once in the fork server, before the worker processes fork from it.

``--workers N`` starts its processes from a fork server (see
:class:`~pipeline.run.runner.PoolExecutor`), and a fork server can only be told
to import modules.  Importing this one there loads the Stanza models and the
rule pipeline that ``BERITA_PRELOAD`` names, so that every worker forked
afterwards shares their memory copy-on-write with the others, and a worker
that replaces a retired one starts with its models already loaded.  Loading is
an import side effect on purpose: it is the only hook the fork server offers.

Only CPU models are preloaded: a CUDA context does not survive a fork.  Any
failure leaves the workers to load (and report) the models themselves.
"""
from __future__ import annotations

import gc
import json
import os

ENV = "BERITA_PRELOAD"


def describe(processors: tuple[str, ...], model_dir: str | None, device: str) -> str:
    """The value of ``BERITA_PRELOAD`` for these models (the keys of :func:`pipeline.nlp.load_pipeline`)."""
    return json.dumps({"processors": list(processors), "model_dir": model_dir, "device": device})


def preload() -> bool:
    """Load the models ``BERITA_PRELOAD`` names into this process; whether it did."""
    spec = os.environ.get(ENV)
    if not spec:
        return False
    try:
        wanted = json.loads(spec)
        if wanted["device"] != "cpu":
            return False
        import torch

        from pipeline import nlp
        from pipeline.annotate import rules_pipeline

        # One thread here: an OpenMP thread pool started before a fork is not
        # usable in the children; each worker sets its own share of the cores.
        torch.set_num_threads(1)
        nlp.load_pipeline(tuple(wanted["processors"]), wanted["model_dir"], "cpu")
        rules_pipeline()
    except Exception:  # the workers load the models again and report what is wrong
        return False
    # The garbage collector would otherwise touch every object's header in each
    # child and so copy the pages they share.
    gc.freeze()
    return True


preload()
