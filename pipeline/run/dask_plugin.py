"""The Dask worker plugin, in its own module so that plain runs never import Dask."""
from __future__ import annotations

from dask.distributed import WorkerPlugin

from pipeline.annotate import Settings
from pipeline.run.runner import init_worker


class ModelPlugin(WorkerPlugin):
    """Loads the models once in every Dask worker, when it joins the cluster."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def setup(self, worker) -> None:
        init_worker(self.settings, threads=self.settings.threads or 1)
