"""Benchmarks: each script measures against a bare-DuckDB baseline on the same machine in the same run."""
