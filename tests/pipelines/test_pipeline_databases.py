"""PostgreSQL and MariaDB sources over TCP with ADBC (PostgreSQL) and connectorx (MariaDB): bulk read, incremental cursor, secrets from env."""
from __future__ import annotations

import socket
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from pipelines import runner
from pipelines.sources import config as cfg

pytestmark = pytest.mark.database
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BASE = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def documents(n: int, start: int = 0, updated: datetime = BASE) -> list[tuple]:
    return [(f"D{i:05d}", f"文件{i}", "收文", "通知", "B01" if i % 2 else "B02", "P003", BASE + timedelta(minutes=i),
             5, None, updated + timedelta(seconds=i)) for i in range(start, start + n)]


def source(url: str, schema_table: str, **options) -> cfg.Source:
    return cfg.parse_source("oa_remote", {
        "type": "sql", "kind": "documents", "url": url, "backoff_s": 0.01, **options,
        "streams": [{"entity": "document", "table": schema_table, "primary_key": ["doc_id"],
                     "cursor": "updated_at", "mapping": str(ROOT / "config" / "mappings" / "demo_oa.toml")}],
    }, ROOT / "config")


def run(src: cfg.Source) -> runner.RunResult:
    result, = runner.run(now=NOW, config=cfg.Config(sources={src.name: src}), lights=False)
    return result


def loaded(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select count(*), count(distinct unit_code), min(received_at) from fct_document").fetchall()


def check_incremental(env, src: cfg.Source, insert, update) -> None:
    runner.run(["org"], now=NOW, lights=False)            # units B01, B02 from the demo OA database
    db = Path(env["XIAONENG_DB"])
    first = run(src)
    assert (first.state, first.rows_read, first.rows_loaded) == ("success", 50, 50), first.error
    assert loaded(db) == [(50, 2, BASE)]
    again = run(src)
    assert (again.rows_read, again.rows_loaded) == (0, 0)
    insert(documents(5, start=50, updated=BASE + timedelta(hours=1)))
    update("D00003", BASE + timedelta(hours=2))
    third = run(src)
    assert (third.rows_read, third.rows_loaded) == (6, 6)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from fct_document").fetchall() == [(55,)]
        assert con.execute("select closed_at is not null from fct_document where doc_id = 'D00003'").fetchall() \
            == [(True,)]
        assert con.execute("select count(*) from fct_change_history").fetchall() == [(1,)]


@pytest.mark.skipif(not reachable(5432), reason="PostgreSQL is not reachable on 127.0.0.1:5432")
@pytest.mark.parametrize("reader", ["adbc", "connectorx"])
def test_postgresql_source(env, monkeypatch, reader):
    import psycopg

    schema = "xiaoneng_pipeline_test"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as pg:
        pg.execute(f"drop schema if exists {schema} cascade")
        pg.execute(f"create schema {schema}")
        pg.execute(f"""create table {schema}.oa_document (doc_id text primary key, title text, doc_type text,
            category text, unit_code text, handler_id text, received_at timestamptz, limit_days int, closed_at timestamptz,
            updated_at timestamptz not null)""")

        def insert(rows):
            with pg.cursor() as cur:
                cur.executemany(f"insert into {schema}.oa_document values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows)

        def update(doc_id, when):
            pg.execute(f"update {schema}.oa_document set closed_at = %s, updated_at = %s where doc_id = %s",
                       (when, when, doc_id))

        insert(documents(50))
        # The password travels through an environment variable named in the URL; trust auth ignores it.
        monkeypatch.setenv("OA_DB_PASSWORD", "not-in-the-repo")
        src = source("postgresql://postgres:${OA_DB_PASSWORD}@127.0.0.1:5432/test", f"{schema}.oa_document",
                     reader=reader)
        try:
            check_incremental(env, src, insert, update)
        finally:
            pg.execute(f"drop schema if exists {schema} cascade")


@pytest.mark.skipif(not reachable(3306), reason="MariaDB/MySQL is not reachable on 127.0.0.1:3306")
def test_mariadb_source(env):
    import pymysql

    table = "xiaoneng_pipeline_test"
    my = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", database="test", autocommit=True)
    try:
        with my.cursor() as cur:
            cur.execute(f"drop table if exists {table}")
            cur.execute(f"""create table {table} (doc_id varchar(20) primary key, title varchar(100),
                doc_type varchar(10), category varchar(20), unit_code varchar(20), handler_id varchar(20),
                received_at datetime(6), limit_days int,
                closed_at datetime(6) null, updated_at datetime(6) not null) character set utf8mb4""")

        def naive(rows):
            # MariaDB DATETIME has no zone: the OA system writes its local (UTC here) wall time.
            return [tuple(v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in r) for r in rows]

        def insert(rows):
            with my.cursor() as cur:
                cur.executemany(f"insert into {table} values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", naive(rows))

        def update(doc_id, when):
            with my.cursor() as cur:
                cur.execute(f"update {table} set closed_at = %s, updated_at = %s where doc_id = %s",
                            (when.replace(tzinfo=None), when.replace(tzinfo=None), doc_id))

        insert(documents(50))
        src = source("mysql://root@127.0.0.1:3306/test", table)
        # Naive DATETIME values are read in the mapping's zone; this table holds UTC wall times.
        stream = src.streams[0]
        src = replace(src, streams=(replace(stream, mapping=replace(stream.mapping, timezone="UTC")),))
        check_incremental(env, src, insert, update)
    finally:
        with my.cursor() as cur:
            cur.execute(f"drop table if exists {table}")
        my.close()


@pytest.fixture
def pg_documents():
    """A PostgreSQL table of 50 documents (and a view whose 41st record fails), dropped afterwards."""
    if not reachable(5432):
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    import psycopg

    schema = "xiaoneng_batches_test"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as pg:
        pg.execute(f"drop schema if exists {schema} cascade")
        pg.execute(f"create schema {schema}")
        pg.execute(f"""create table {schema}.oa_document (doc_id text primary key, title text, doc_type text,
            category text, unit_code text, handler_id text, received_at timestamptz, limit_days int,
            closed_at timestamptz, updated_at timestamptz not null)""")
        with pg.cursor() as cur:
            cur.executemany(f"insert into {schema}.oa_document values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", documents(50))
        # PostgreSQL cancels the COPY at the record whose expression fails: a failure part-way through the read.
        pg.execute(f"""create view {schema}.failing as select *, 1 / (case when doc_id = 'D00040' then 0 else 1 end)
            as check_value from {schema}.oa_document order by doc_id""")
        yield schema
        pg.execute(f"drop schema if exists {schema} cascade")


def test_a_large_postgresql_pull_loads_batch_by_batch(env, pg_documents):
    runner.run(["org"], now=NOW, lights=False)
    db = Path(env["XIAONENG_DB"])
    src = source("postgresql://postgres@127.0.0.1:5432/test", f"{pg_documents}.oa_document", batch_rows=7)
    first = run(src)
    assert (first.state, first.rows_read, first.rows_loaded) == ("success", 50, 50), first.error
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*), count(distinct doc_id) from fct_document").fetchall() == [(50, 50)]
        kept = con.execute("select first_record_no, records, location from raw_batch_file "
                           "where source = 'oa_remote' order by first_record_no").fetchall()
    assert [(n, r) for n, r, _ in kept] == [(i, min(7, 50 - i)) for i in range(0, 50, 7)]
    assert all(Path(location).is_file() for _, _, location in kept)
    again = run(src)
    assert (again.state, again.rows_read, again.rows_loaded) == ("success", 0, 0)


def test_a_failure_part_way_through_a_pull_loads_nothing(env, pg_documents):
    runner.run(["org"], now=NOW, lights=False)
    db = Path(env["XIAONENG_DB"])
    result = run(source("postgresql://postgres@127.0.0.1:5432/test", f"{pg_documents}.failing", batch_rows=7))
    assert result.state == "failed" and "division by zero" in result.error, result.error
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from fct_document").fetchall() == [(0,)]
        assert con.execute("select count(*) from raw_batch_file where source = 'oa_remote'").fetchall() == [(0,)]
    incoming = db.parent / "raw" / ".incoming"
    assert not incoming.exists() or not any(incoming.iterdir())


def test_a_query_slower_than_its_timeout_is_cancelled_and_fails_the_run(env, pg_documents):
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as pg:
        # pg_sleep is volatile: run for every record, 0.1 s each.
        pg.execute(f"create view {pg_documents}.slow as select * from {pg_documents}.oa_document "
                   "where pg_sleep(0.1)::text = ''")
    started = time.monotonic()
    result = run(source("postgresql://postgres@127.0.0.1:5432/test", f"{pg_documents}.slow", query_timeout_s=1))
    assert result.state == "failed" and "statement timeout" in result.error, result.error
    assert time.monotonic() - started < 4          # 50 records at 0.1 s would take 5 s


def test_wrong_credentials_fail_without_leaking_the_password(env, monkeypatch):
    if not reachable(5432):
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    monkeypatch.setenv("OA_DB_PASSWORD", "s3cret-value")
    src = source("postgresql://nosuchuser:${OA_DB_PASSWORD}@127.0.0.1:5432/nosuchdb", "oa_document")
    result = run(src)
    assert result.state == "failed" and "s3cret-value" not in result.error


def test_a_query_the_server_refuses_fails_the_run_with_its_message(env):
    if not reachable(5432):
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    result = run(source("postgresql://postgres@127.0.0.1:5432/test", "no_such_schema.oa_document"))
    assert result.state == "failed"
    assert "no_such_schema.oa_document" in result.error and "does not exist" in result.error, result.error


def test_unset_secret_is_a_clear_error(env, monkeypatch):
    monkeypatch.delenv("OA_DB_PASSWORD", raising=False)
    result = run(source("postgresql://postgres:${OA_DB_PASSWORD}@127.0.0.1:5432/test", "oa_document"))
    assert result.state == "failed" and "OA_DB_PASSWORD is not set" in result.error


def test_refused_connection_is_retried_then_fails(env):
    src = source("postgresql://postgres@127.0.0.1:9/test", "oa_document")
    result = run(src)
    assert result.state == "failed" and "not reachable after 3 attempt(s)" in result.error
