"""HTTP sources against a local server: Open311 paging and cursor, a generic JSON API, failures and garbage."""
from __future__ import annotations

import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import duckdb
import pytest

from pipelines import runner
from pipelines.sources import config as cfg

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ROOT = Path(__file__).resolve().parents[2]


def service_request(n: int, updated: str, status: str = "open") -> dict:
    return {
        "service_request_id": f"SR{n:03d}", "status": status, "service_name": "Pothole",
        "description": f"pothole #{n}", "agency_responsible": "Public Works" if n % 2 else "Parks Department",
        "requested_datetime": "2026-03-01T08:00:00-05:00", "updated_datetime": updated,
        "expected_datetime": "2026-03-04T08:00:00-05:00", "address": "1 Main St", "lat": 39.3, "long": -76.6,
    }


class Server:
    """A stdlib HTTP server on a free port whose behaviour each test sets; it records the requests it got."""

    def __init__(self):
        self.records: list[dict] = []
        self.mode = "ok"          # ok | fail | stall | garbage | fail_once
        self.requests: list[dict] = []
        self.stall = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                outer.requests.append({"path": parts.path, **query})
                if outer.mode == "stall":
                    outer.stall.wait(5)
                    return self._send(200, b"[]")
                if outer.mode == "fail" or (outer.mode == "fail_once" and len(outer.requests) == 1):
                    return self._send(503, b"busy")
                if outer.mode == "garbage":
                    return self._send(200, b"<html>maintenance</html>", "text/html")
                if parts.path.endswith("/requests.json"):
                    rows = [r for r in outer.records
                            if "updated_after" not in query or r["updated_datetime"] >= query["updated_after"]]
                    size, page = int(query.get("page_size", 100)), int(query.get("page", 1))
                    return self._send(200, json.dumps(rows[(page - 1) * size: page * size]).encode())
                if parts.path.endswith("/api/items"):
                    offset, size = int(query.get("offset", 0)), int(query.get("limit", 2))
                    rows = outer.records[offset: offset + size]
                    return self._send(200, json.dumps({"data": {"items": rows}, "total": len(outer.records)}).encode())
                return self._send(404, b"no such path")

            def _send(self, code: int, body: bytes, ctype: str = "application/json"):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stall.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server():
    with Server() as s:
        yield s


def open311_source(url: str, **options) -> cfg.Source:
    raw = {"type": "open311", "kind": "requests", "url": f"{url}/open311/v2/requests.json",
           "mapping": str(ROOT / "config" / "mappings" / "open311.toml"), "cursor": "updated_datetime",
           "primary_key": ["service_request_id"], "page_size": 2, "retries": 2, "backoff_s": 0.01,
           "timeout_s": 1}
    raw.update(options)
    return cfg.parse_source("city311", raw, ROOT / "config")


def run(source: cfg.Source, db: Path) -> runner.RunResult:
    config = cfg.Config(sources={source.name: source})
    result, = runner.run(now=NOW, config=config, lights=False)
    return result


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_open311_pages_then_reads_only_what_changed(env, server):
    db = Path(env["XIAONENG_DB"])
    server.records = [service_request(n, f"2026-03-0{1 + n // 3}T10:00:00-05:00") for n in range(1, 6)]
    source = open311_source(server.url)
    result = run(source, db)
    assert (result.state, result.rows_read, result.rows_loaded) == ("success", 5, 5)
    assert [r.get("page") for r in server.requests] == ["1", "2", "3"]       # 2 + 2 + 1 (a short page ends)
    assert query(db, "select count(*) from dim_unit where parent_code = 'OPEN311'") == [(2,)]
    assert query(db, "select cursor_value from source_cursor") == [("2026-03-02T10:00:00-05:00",)]

    server.requests.clear()
    server.records[0] = service_request(1, "2026-03-03T09:00:00-05:00", status="closed")
    result = run(source, db)
    assert server.requests[0]["updated_after"] == "2026-03-02T10:00:00-05:00"
    # Records at exactly the cursor were taken last time and are dropped; only the changed one loads.
    assert (result.rows_read, result.rows_loaded) == (1, 1)
    assert query(db, "select status from fct_request where request_id = 'SR001'") == [("closed",)]
    assert query(db, "select count(*) from fct_change_history") == [(1,)]
    again = run(source, db)
    assert (again.rows_read, again.rows_loaded) == (0, 0)


def test_server_errors_are_retried_a_bounded_number_of_times(env, server):
    db = Path(env["XIAONENG_DB"])
    server.records = [service_request(1, "2026-03-01T10:00:00-05:00")]
    server.mode = "fail_once"
    assert run(open311_source(server.url), db).rows_loaded == 1
    server.mode = "fail"
    server.requests.clear()
    result = run(open311_source(server.url), db)
    assert result.state == "failed" and "after 3 attempt(s): HTTP 503" in result.error
    assert len(server.requests) == 3
    assert query(db, "select count(*) from fct_request") == [(1,)]     # last good data stays


def test_a_stalled_server_times_out_and_fails_the_run(env, server):
    server.mode = "stall"
    result = run(open311_source(server.url, retries=0, timeout_s=0.3), Path(env["XIAONENG_DB"]))
    assert result.state == "failed" and "no answer within 0.3 s" in result.error


def test_garbage_answer_fails_with_a_clear_error(env, server):
    server.mode = "garbage"
    result = run(open311_source(server.url), Path(env["XIAONENG_DB"]))
    assert result.state == "failed" and "did not return JSON" in result.error and "maintenance" in result.error


def test_unreachable_server_fails_after_retries(env):
    result = run(open311_source("http://127.0.0.1:9", retries=1), Path(env["XIAONENG_DB"]))
    assert result.state == "failed" and "cannot connect" in result.error


def test_generic_json_api_with_offsets_and_nested_records(env, server, tmp_path):
    db = Path(env["XIAONENG_DB"])
    server.records = [{"id": f"W{n}", "kind": "投诉", "dept": {"code": "B02"}, "opened": "2026-03-02 09:00:00",
                       "closed": None, "limit": 5} for n in range(5)]
    mapping = tmp_path / "api.toml"
    mapping.write_text("""
[request]
[request.fields]
request_id = "id"
category = "kind"
unit_code = "dept.code"
received_at = "opened"
closed_at = "closed"
limit_days = "limit"
[request.values.category]
"投诉" = "complaint"
""", encoding="utf-8")
    runner.run(["org"], now=NOW, lights=False)        # the demo organisation provides unit B02
    source = cfg.parse_source("api", {
        "type": "json_api", "kind": "requests", "url": f"{server.url}/api/items", "items_path": "data.items",
        "pagination": "offset", "page_size_param": "limit", "page_size": 2, "mapping": str(mapping),
        "backoff_s": 0.01}, ROOT / "config")
    result = run(source, db)
    assert (result.state, result.rows_loaded) == ("success", 5)
    assert [r["offset"] for r in server.requests] == ["0", "2", "4"]
    assert query(db, "select distinct category, unit_code, limit_days from fct_request") == [("complaint", "B02", 5)]
