"""Running the pipeline over many documents: the runner, its worker processes, Dask."""
