"""Source declarations: durations, ${VAR} expansion, and the errors a wrong sources.toml gets."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.sources import SourceError
from pipelines.sources import config as cfg
from pipelines.sources.sql.client import query_for, reader_for, redact

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "config" / "mappings"


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("10m", 600), ("1h", 3600), ("2d", 172800), (90, 90),
                                           ("1.5h", 5400)], ids=str)
def test_durations(text, seconds):
    assert cfg.parse_duration(text, "x") == seconds


@pytest.mark.parametrize("text", ["10", "ten minutes", "5w", ""], ids=repr)
def test_bad_durations(text):
    with pytest.raises(cfg.ConfigError, match="not a duration"):
        cfg.parse_duration(text, "x")


def test_expand_uses_environment_then_setting_defaults(monkeypatch):
    monkeypatch.setenv("OA_DB_PASSWORD", "pw")
    monkeypatch.delenv("XIAONENG_INBOX", raising=False)
    assert cfg.expand("u:${OA_DB_PASSWORD}@h", "x") == "u:pw@h"
    assert cfg.expand("${XIAONENG_INBOX}/requests", "x").endswith("data/inbox/requests")
    monkeypatch.delenv("OA_DB_PASSWORD")
    with pytest.raises(cfg.ConfigError, match="OA_DB_PASSWORD is not set"):
        cfg.expand("u:${OA_DB_PASSWORD}@h", "x")


def test_repository_config_and_examples_load():
    config = cfg.load(ROOT / "config" / "sources.toml")
    assert list(config.sources) == ["org", "oa_documents", "hotline_12345", "milestones"]
    assert [s.entity for s in config.source("org").streams] == ["unit", "person"]
    assert config.source("oa_documents").streams[1].primary_key == ("doc_id", "step_no")
    for example in sorted((ROOT / "config" / "examples").glob("*.toml")):
        loaded = cfg.load(example)
        assert loaded.sources, example.name


def source(**raw):
    base = {"type": "inbox", "kind": "requests", "path": "/tmp/in", "mapping": str(MAPPINGS / "hotline_12345.toml")}
    base.update(raw)
    return cfg.parse_source("s", {k: v for k, v in base.items() if v is not None}, ROOT / "config")


@pytest.mark.parametrize("raw, message", [
    ({"type": "ftp"}, "type: one of"),
    ({"kind": "tasks"}, "kind: one of"),
    ({"colour": "red"}, "unknown setting(s) colour"),
    ({"path": None}, "needs path"),
    ({"every": "5m", "cron": "* * * * *"}, "either every or cron"),
    ({"mapping": str(MAPPINGS / "milestone_ledger.toml")}, "has no [request] section"),
    ({"kind": "milestones", "entity": "request"}, "does not belong to kind milestones"),
], ids=["type", "kind", "unknown-key", "missing-option", "every-and-cron", "wrong-mapping", "entity-kind"])
def test_config_errors_name_the_problem(raw, message):
    with pytest.raises(cfg.ConfigError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        source(**raw)


def test_mapping_must_map_the_key_and_known_fields():
    with pytest.raises(cfg.ConfigError, match="key field"):
        cfg.parse_mapping({"fields": {"title": "t"}}, "request", "m")
    with pytest.raises(cfg.ConfigError, match="not a field of request"):
        cfg.parse_mapping({"fields": {"request_id": "id", "colour": "c"}}, "request", "m")
    with pytest.raises(cfg.ConfigError, match="unknown time zone"):
        cfg.parse_mapping({"fields": {"request_id": "id"}, "timezone": "Mars/Olympus"}, "request", "m")


def test_sql_query_applies_the_cursor_and_refuses_odd_values():
    stream = cfg.Stream(name="document", entity="document", mapping=None, cursor="updated_at",  # type: ignore[arg-type]
                        options={"table": "oa_document"})
    assert query_for(stream, None, None) == "select * from oa_document"
    assert query_for(stream, "2026-03-02T09:15:00+08:00", "2026-04-01") == (
        "select * from oa_document where updated_at >= '2026-03-02T09:15:00+08:00' "
        "and updated_at < '2026-04-01'")
    with pytest.raises(SourceError, match="refusing"):
        query_for(stream, "2026' or '1'='1", None)
    bad = cfg.Stream(name="d", entity="document", mapping=None, options={"table": "t; drop table x"})  # type: ignore[arg-type]
    with pytest.raises(SourceError, match="plain table name"):
        query_for(bad, None, None)


def test_postgresql_is_read_with_adbc_unless_the_source_says_otherwise():
    assert reader_for("postgresql://oa@db:5432/oa", None) == "adbc"
    assert reader_for("postgres://oa@db/oa", "connectorx") == "connectorx"
    assert reader_for("mysql://oa@db:3306/oa", None) == "connectorx"
    with pytest.raises(SourceError, match="PostgreSQL only"):
        reader_for("mysql://oa@db:3306/oa", "adbc")
    with pytest.raises(SourceError, match="not one of"):
        reader_for("postgresql://oa@db/oa", "odbc")


def test_passwords_are_redacted_from_urls():
    assert redact("postgresql://oa:secret@db:5432/oa") == "postgresql://oa:***@db:5432/oa"
    assert redact("sqlite:///data/oa.sqlite") == "sqlite:///data/oa.sqlite"
