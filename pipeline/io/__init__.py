"""File-system helpers every writer of an output folder shares: atomic writes and the folder lock."""
