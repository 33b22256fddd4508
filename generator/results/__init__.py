"""The training unit's side: attempt records in, re-scored, stored in SQLite, reported."""
