"""Shared fixtures: a small published warehouse and an app database in a temporary folder, with time frozen."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import warehouse as seeded

NOW_TEXT = seeded.NOW.isoformat()


@pytest.fixture(scope="session")
def seeded_warehouse(tmp_path_factory) -> Path:
    """The seeded warehouse of tests/fixtures/warehouse.py, built once per test run; tests must not change it."""
    path = tmp_path_factory.mktemp("warehouse") / "xiaoneng.duckdb"
    seeded.build(path)
    return path


@pytest.fixture
def dashboard_env(seeded_warehouse, tmp_path, monkeypatch) -> Path:
    """Point the dashboard at the seeded warehouse, a fresh app database and the fixture's 'now'."""
    monkeypatch.setenv("XIAONENG_DB", str(seeded_warehouse))
    monkeypatch.setenv("XIAONENG_APP_DB", str(tmp_path / "app.sqlite"))
    monkeypatch.setenv("XIAONENG_NOW", NOW_TEXT)
    monkeypatch.setenv("XIAONENG_LANG", "zh")
    return seeded_warehouse


def pytest_configure(config):
    # DuckDB suggests its relational API for Arrow output; the dashboard's prepared statements need execute().
    config.addinivalue_line("filterwarnings", "ignore:Arrow output on a DB-API result")
