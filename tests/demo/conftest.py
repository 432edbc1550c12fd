"""Fixtures for the demo city: a full-size city year generated once, and isolated demo folders per test."""
from __future__ import annotations

from pathlib import Path

import pytest

from demo import activity, world
from tests.demo.cases import INIT_NOW, SEED, YEAR


@pytest.fixture(scope="session")
def city_org() -> world.Org:
    return world.build_org("city", seed=SEED)


@pytest.fixture(scope="session")
def city_year(city_org) -> activity.Activity:
    """A full-size year of the city; tests must not change it."""
    return activity.generate(city_org, *YEAR, seed=SEED)


@pytest.fixture
def demo_env(tmp_path, monkeypatch) -> dict[str, Path]:
    """Demo folders of this test only, Shanghai time, and 'now' frozen at the start of the demo history."""
    paths = {"XIAONENG_DEMO_DIR": tmp_path / "demo", "XIAONENG_INBOX": tmp_path / "inbox"}
    for name, value in paths.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("XIAONENG_TZ", "Asia/Shanghai")
    monkeypatch.setenv("XIAONENG_NOW", INIT_NOW)
    return paths
