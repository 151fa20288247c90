"""The one error type of the review round trip."""
from __future__ import annotations


class ReviewError(ValueError):
    """A reviewed file that cannot be applied; ``problems`` holds one line each, for the reviewer to fix."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems
