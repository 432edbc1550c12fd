"""Settings of the dashboard, read from the environment: one table of (name, default, help)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting("XIAONENG_DB", str(ROOT / "data" / "xiaoneng.duckdb"),
            "Warehouse path; the dashboard reads the snapshot <XIAONENG_DB>.published/current.duckdb."),
    Setting("XIAONENG_APP_DB", str(ROOT / "data" / "app.sqlite"),
            "SQLite file for accounts, exemptions/appeals and the audit log (the dashboard writes it)."),
    Setting("XIAONENG_TZ", "Asia/Shanghai", "Time zone for displayed times."),
    Setting("XIAONENG_NOW", "", "Freeze 'now' at this ISO-8601 time (tests, replays). Empty: the real clock."),
    Setting("XIAONENG_LANG", "zh", "Default interface language: zh (Simplified Chinese) or en."),
    Setting("XIAONENG_WALL_REFRESH_S", "30", "Seconds between wall-screen refreshes."),
    Setting("XIAONENG_WALL_ROTATE_S", "60", "Seconds between wall-screen board rotations (0 = no rotation)."),
    Setting("XIAONENG_CACHE_TTL_S", "30", "Seconds a query result is shared between viewers before it is read again."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return _BY_NAME[name].value()


def path(name: str) -> Path:
    return Path(get(name))
