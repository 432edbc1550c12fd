"""The one notion of 'now': a time-zone-aware clock, injectable for tests and replays."""
from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from pipelines import settings


def zone() -> tzinfo:
    return ZoneInfo(settings.get("XIAONENG_TZ"))


def parse_time(text: str) -> datetime:
    """Parse an ISO-8601 time; a time without offset is taken in the configured zone."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone())
    return value


def now() -> datetime:
    """The current time, aware, in the configured zone; XIAONENG_NOW freezes it."""
    frozen = settings.get("XIAONENG_NOW")
    if frozen:
        return parse_time(frozen).astimezone(zone())
    return datetime.now(zone())
