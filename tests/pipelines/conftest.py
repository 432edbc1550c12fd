"""Fixtures for pipeline tests: an isolated warehouse, config, inbox and demo OA database per test."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipelines import builders

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-05T12:00:00+08:00"


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Point every setting at a fresh temporary folder; the repository's config folder is used as it is."""
    paths = {
        "XIAONENG_DB": tmp_path / "wh" / "xiaoneng.duckdb",
        "XIAONENG_APP_DB": tmp_path / "app.sqlite",
        "XIAONENG_INBOX": tmp_path / "inbox",
        "XIAONENG_DEMO_DIR": tmp_path / "demo",
        "XIAONENG_CONFIG": ROOT / "config",
    }
    for name, value in paths.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("XIAONENG_NOW", NOW)
    monkeypatch.setenv("XIAONENG_TZ", "Asia/Shanghai")
    (tmp_path / "inbox" / "requests").mkdir(parents=True)
    (tmp_path / "inbox" / "milestones").mkdir(parents=True)
    builders.write_oa(tmp_path / "demo" / "oa.sqlite")
    return paths
