"""The warehouse publishes immutable snapshots that readers open while the writer keeps working."""
import os

import duckdb
import pytest

from pipelines import warehouse


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    monkeypatch.setenv("XIAONENG_DB", str(path))
    return path


def test_reader_sees_published_snapshot_while_writer_holds_the_file(db):
    with warehouse.writer() as con:
        con.execute("insert into dim_unit (unit_code, name, level, path) values ('C', '江州市', 1, '/C/')")
        warehouse.publish(con)
        con.execute("insert into dim_unit (unit_code, name, level, path) values ('B', '市发改委', 2, '/C/B/')")
        reader = duckdb.connect(os.path.realpath(warehouse.current_link()), read_only=True)
        assert reader.execute("select unit_code from dim_unit order by 1").fetchall() == [("C",)]
        reader.close()
        warehouse.publish(con)
    reader = duckdb.connect(os.path.realpath(warehouse.current_link()), read_only=True)
    assert reader.execute("select unit_code from dim_unit order by 1").fetchall() == [("B",), ("C",)]
    reader.close()


def test_schema_is_idempotent(db):
    with warehouse.writer() as con:
        warehouse.apply_schema(con)
        warehouse.apply_schema(con)
        views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert {"item_status", "unit_status", "pipeline_runs"} <= views


def test_a_second_writer_waits_and_then_gives_up(db):
    with warehouse.writer():
        with pytest.raises(warehouse.WarehouseBusy):
            with warehouse.writer(timeout_s=0.3):
                pass


def test_old_snapshots_are_pruned_but_current_is_kept(db, monkeypatch):
    monkeypatch.setattr(warehouse, "SNAPSHOT_MIN_AGE_S", 0)
    monkeypatch.setenv("XIAONENG_KEEP_SNAPSHOTS", "2")
    with warehouse.writer() as con:
        for _ in range(5):
            warehouse.publish(con)
    snapshots = sorted(warehouse.published_dir().glob("snapshot-*.duckdb"))
    assert len(snapshots) == 2
    assert os.path.realpath(warehouse.current_link()) == str(snapshots[-1])
