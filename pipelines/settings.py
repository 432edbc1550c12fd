"""Settings of the pipelines, read from the environment: one table of (name, default, help)."""
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
            "Path of the warehouse DuckDB file that the pipelines write. Published read-only "
            "snapshots live beside it in <XIAONENG_DB>.published/."),
    Setting("XIAONENG_APP_DB", str(ROOT / "data" / "app.sqlite"),
            "Path of the SQLite file for user data entered in the dashboard (accounts, "
            "exemptions and appeals, audit log). Pipelines only read it."),
    Setting("XIAONENG_CONFIG", str(ROOT / "config"),
            "Folder of the configuration files: sources.toml, rules.toml, calendar.toml."),
    Setting("XIAONENG_INBOX", str(ROOT / "data" / "inbox"),
            "Folder where spreadsheet and file drops arrive (one subfolder per source)."),
    Setting("XIAONENG_RAW_DIR", "",
            "Folder where every pulled batch is kept as received (one Parquet file per batch of a database "
            "or API pull; files imported from elsewhere are copied there). Empty: raw/ beside XIAONENG_DB."),
    Setting("XIAONENG_DEMO_DIR", str(ROOT / "data" / "demo"),
            "Folder of the embedded demo source systems (the demo OA database)."),
    Setting("XIAONENG_TZ", "Asia/Shanghai", "Time zone in which working days and deadlines are counted."),
    Setting("XIAONENG_NOW", "",
            "Freeze 'now' at this ISO-8601 time (tests, replays). Empty: the real clock."),
    Setting("XIAONENG_KEEP_SNAPSHOTS", "3",
            "How many published snapshots to keep besides those younger than 10 minutes."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return _BY_NAME[name].value()


def path(name: str) -> Path:
    return Path(get(name))


def raw_dir(db: Path | None = None) -> Path:
    """The raw archive folder: XIAONENG_RAW_DIR, or raw/ beside the warehouse file (`db`, else XIAONENG_DB)."""
    value = get("XIAONENG_RAW_DIR")
    return Path(value) if value else (db or path("XIAONENG_DB")).parent / "raw"
