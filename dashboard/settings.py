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
    Setting("XIAONENG_DEMO_DIR", str(ROOT / "data" / "demo"),
            "Folder of the demo source systems; 'python -m dashboard.appdb init --demo' reads unit codes there "
            "when no warehouse snapshot is published yet."),
    Setting("XIAONENG_LOGIN_MAX_FAILURES", "5", "Wrong passwords in a row that lock an account."),
    Setting("XIAONENG_LOGIN_LOCK_MIN", "15", "Minutes an account stays locked after too many wrong passwords."),
    Setting("XIAONENG_SESSION_IDLE_MIN", "30", "Minutes without a click after which a signed-in person is signed out "
            "(wall screens excepted)."),
    Setting("XIAONENG_SESSION_MAX_H", "12", "Hours after sign-in when a session ends regardless of activity."),
    Setting("XIAONENG_TRUSTED_HEADER", "", "Request header (e.g. X-Forwarded-User) naming the signed-in user, set by "
            "an SSO reverse proxy. Empty: headers are ignored. Set it only when the proxy is the sole way in."),
    Setting("XIAONENG_OIDC_PROVIDER", "", "Offer OpenID Connect sign-in through st.login: 'default' for the [auth] "
            "section of .streamlit/secrets.toml, or a provider name under [auth.<name>]. Empty: off."),
    Setting("XIAONENG_WALL_MASK_NAMES", "0",
            "1: show person names on the wall screen masked (张**). Always on for viewers who must not see names."),
    Setting("XIAONENG_STALE_AFTER_MIN", "180",
            "Minutes after a source's last successful run when the dashboard says its data is late."),
    Setting("XIAONENG_ROLLUP_RED_SHARE", "0.10",
            "A unit or person is red when at least this share of its counted items is red."),
    Setting("XIAONENG_ROLLUP_YELLOW_SHARE", "0.20",
            "A unit or person is yellow when it has any red item or at least this share of yellow items."),
    Setting("XIAONENG_PAGE_SIZE", "50", "Rows per page in the overdue worklist."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    return _BY_NAME[name].value()


def path(name: str) -> Path:
    return Path(get(name))
