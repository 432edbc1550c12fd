"""Shared constants of the demo city's tests: the frozen 'now', the year generated once, the seed."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 10, 20, 15, 0, tzinfo=SH)   # a Tuesday afternoon after the National Day holiday
YEAR = (dt.date(2025, 12, 1), dt.date(2026, 12, 1))  # covers 2026's holidays and make-up days
SEED = 11
INIT_NOW = "2026-03-02T10:30:00+08:00"              # a Monday morning: history for the command-line tests
