"""The dashboard's notion of 'now': aware, in the configured zone, frozen by XIAONENG_NOW for tests."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dashboard import settings


def zone() -> ZoneInfo:
    return ZoneInfo(settings.get("XIAONENG_TZ"))


def now() -> datetime:
    frozen = settings.get("XIAONENG_NOW")
    if frozen:
        value = datetime.fromisoformat(frozen.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone())
        return value.astimezone(zone())
    return datetime.now(zone())
