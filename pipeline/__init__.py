"""berita: Indonesian news annotation.  ``pipeline.read_records(out)`` reads an output folder's tables, typed."""


def __getattr__(name: str):
    """Import ``read_records`` on first use only: the command line should not pay for pandas and spaCy up front."""
    if name == "read_records":
        from pipeline.records import read_records

        return read_records
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
