"""The pipelines' SQL lives in .sql files, one statement each, run by name with the named parameters it uses."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import duckdb

SQL_ROOT = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@functools.cache
def text(folder: str, name: str) -> str:
    """The statement in pipelines/sql/<folder>/<name>.sql."""
    return (SQL_ROOT / folder / f"{name}.sql").read_text(encoding="utf-8")


@functools.cache
def parameters(folder: str, name: str) -> frozenset[str]:
    """The $names the statement uses (comments do not count)."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", text(folder, name))))


def execute(con: duckdb.DuckDBPyConnection, folder: str, name: str,
            params: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """Run one statement file, passing only the parameters it names (DuckDB rejects extra ones)."""
    wanted = parameters(folder, name)
    given = {k: v for k, v in (params or {}).items() if k in wanted}
    missing = wanted - given.keys()
    if missing:
        raise KeyError(f"{folder}/{name}.sql needs parameter(s) {', '.join(sorted(missing))}")
    return con.execute(text(folder, name), given) if given else con.execute(text(folder, name))
