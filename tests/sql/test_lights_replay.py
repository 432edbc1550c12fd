"""Replaying past days fills the daily history that trends and 'newly red since yesterday' compare with."""
from pipelines import lights
from tests.sql.lightbox import Box, at


def test_replay_fills_missing_days_only_and_items_appear_from_their_receipt(tmp_path, monkeypatch):
    b = Box(tmp_path)
    monkeypatch.setenv("XIAONENG_APP_DB", str(b.app_db))
    b.request("early", "2026-03-12 09:00", "consultation")     # 3 working days: due at the end of 17 March
    b.request("late", "2026-03-18 09:00", "consultation")
    b.run("2026-03-17 12:00")                                   # the 17th already has a snapshot

    replayed = lights.replay_history(b.con, at("2026-03-20 10:00"), days=5)

    # 15 and 16 March are missing and replayed too; the 17th is kept, 18 and 19 are added.
    assert replayed == 4
    rows = b.rows("select snapshot_day::varchar, item_id, status from item_light_history order by all")
    assert rows == [
        ("2026-03-15", "early", "yellow"),   # a Sunday: 16 and 17 March left
        ("2026-03-16", "early", "yellow"),
        ("2026-03-17", "early", "yellow"),
        ("2026-03-18", "early", "red"),
        ("2026-03-18", "late", "green"),
        ("2026-03-19", "early", "red"),
        ("2026-03-19", "late", "green"),    # 18:00 on the 19th: the rest of the 19th, 20 and 23 March left
    ]
    assert lights.replay_history(b.con, at("2026-03-20 10:00"), days=5) == 0
    b.close()
