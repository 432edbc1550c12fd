"""Every setting read from the environment is documented in docs/settings.md."""
from pathlib import Path

import pytest

from dashboard import settings as dashboard_settings
from pipelines import settings as pipeline_settings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "settings.md").read_text(encoding="utf-8")

ALL = {s.name: s for s in (*pipeline_settings.SETTINGS, *dashboard_settings.SETTINGS)}


@pytest.mark.parametrize("name", sorted(ALL))
def test_setting_is_documented(name):
    assert f"`{name}`" in DOC, f"{name} is read from the environment but missing from docs/settings.md"


@pytest.mark.parametrize("name", sorted(ALL))
def test_setting_has_help(name):
    assert len(ALL[name].help) > 10
