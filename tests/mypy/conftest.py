"""tests/mypy holds projects for mypy runs, not pytest modules."""

collect_ignore_glob = ["cases/*", "stubs/*"]
