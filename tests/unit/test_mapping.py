"""Mapping a batch as received onto canonical fields: columns, joins, alternatives, values, units."""
from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from pipelines.sources import SourceError
from pipelines.sources import config as cfg
from pipelines.sources import mapping as mapper
from pipelines.sources.inbox import readers





def test_columns_joins_alternatives_constants_and_value_maps():
    m = cfg.parse_mapping({
        "fields": {"request_id": {"join": ["a", "b"], "sep": "/"}, "due_at": {"first_of": ["target", "sla"]},
                   "category": "kind", "status": {"value": "open"}, "title": {"first_of": ["nope"]}},
        "values": {"category": {"投诉": "complaint"}}, "null_values": ["N/A"]}, "request", "m")
    table = pa.table({"a": ["1", "2", "3"], "b": ["x", "y", "z"], "sla": ["2026-01-01", "N/A", " "],
                      "kind": ["投诉", "咨询 ", None]})
    out = mapper.apply(m, table, "t").table
    assert out["request_id"].to_pylist() == ["1/x", "2/y", "3/z"]
    assert out["due_at"].to_pylist() == ["2026-01-01", None, None]
    assert out["category"].to_pylist() == ["complaint", "咨询 ", None]     # unmapped values pass unchanged
    assert out["status"].to_pylist() == ["open"] * 3
    assert out["title"].to_pylist() == [None] * 3
    assert out["_rn"].to_pylist() == [0, 1, 2]


def test_missing_column_is_a_clear_error():
    m = cfg.parse_mapping({"fields": {"request_id": "工单编号"}}, "request", "m")
    assert mapper.missing_columns(m, pa.table({"编号": ["1"]})) == ["工单编号"]
    with pytest.raises(SourceError, match="'工单编号'.*not in the data"):
        mapper.apply(m, pa.table({"编号": ["1"]}), "t")


def test_create_units_builds_a_hierarchy_under_the_root():
    m = cfg.parse_mapping({"fields": {"request_id": "id"},
                           "create_units": {"root_code": "NYC", "root_name": "New York",
                                            "levels": ["Agency", "Agency Name"]}}, "request", "m")
    table = pa.table({"id": ["1", "2", "3"], "Agency": ["DOT", "HRA", "HRA"],
                      "Agency Name": ["Dept. of Transportation", "HRA Benefit Card", None]})
    mapped = mapper.apply(m, table, "t")
    assert mapped.table["unit_code"].to_pylist() == ["NYC-DOT.DEPT_OF_TRANSPORTATION", "NYC-HRA.HRA_BENEFIT_CARD",
                                                     "NYC-HRA"]
    units = {r["unit_code"]: (r["name"], r["parent_code"], r["level"]) for r in mapped.units.to_pylist()}
    assert units["NYC"] == ("New York", None, 1)
    assert units["NYC-HRA"] == ("HRA", "NYC", 2)
    assert units["NYC-HRA.HRA_BENEFIT_CARD"] == ("HRA Benefit Card", "NYC-HRA", 3)


@pytest.mark.parametrize("value, text", [
    (dt.datetime(2026, 3, 2, 1, 15, tzinfo=dt.timezone.utc), "2026-03-02T01:15:00.000000+00:00"),
    (dt.datetime(2026, 3, 2, 9, 15), "2026-03-02T09:15:00.000000"),
    (dt.date(2026, 3, 2), "2026-03-02"),
    (13, "13"),
], ids=["aware", "naive", "date", "int"])
def test_typed_columns_become_text_that_keeps_offsets(value, text):
    assert mapper.as_text(pa.chunked_array([pa.array([value])])).to_pylist() == [text]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
@pytest.mark.parametrize("tz", [None, "UTC", "Asia/Shanghai"])
def test_time_text_is_what_strftime_writes_in_utc(unit, tz):
    import numpy as np
    import pyarrow.compute as pc

    micros = np.array([1_700_000_000_123_456, 0, -1_262_304_000_000_000], dtype=np.int64)   # 2023, 1970, 1930
    values = {"s": micros // 1_000_000, "ms": micros // 1000, "us": micros, "ns": micros * 1000}[unit]
    column = pa.chunked_array([pa.array(values, pa.timestamp(unit, tz))])
    expected = pc.strftime(pc.cast(column, pa.timestamp(unit, "UTC" if tz else None)), "%Y-%m-%dT%H:%M:%S")
    if tz:
        expected = pc.binary_join_element_wise(expected, "+00:00", "")
    assert mapper.as_text(column).to_pylist() == expected.to_pylist()


def test_slug_keeps_chinese_and_drops_punctuation():
    assert mapper.slug(pa.chunked_array([["市 城管局/执法科", "  Dept. of X  "]])).to_pylist() == [
        "市_城管局_执法科", "DEPT_OF_X"]


@pytest.mark.parametrize("data, encoding, text, used", [
    ("工单".encode("utf-8"), "auto", "工单", "utf-8"),
    (b"\xef\xbb\xbf" + "工单".encode("utf-8"), "auto", "工单", "utf-8"),
    ("工单".encode("gbk"), "auto", "工单", "gb18030"),
    ("工单".encode("gb18030"), "gb18030", "工单", "gb18030"),
], ids=["utf8", "utf8-bom", "gbk-detected", "gb18030-declared"])
def test_decode(data, encoding, text, used):
    assert readers.decode(data, encoding) == (text, used)


def test_declared_encoding_is_not_silently_replaced():
    with pytest.raises(readers.FileRejected, match="not utf-8"):
        readers.decode("工单".encode("gbk"), "utf-8")


def test_unique_names():
    assert readers.unique_names(["", "id", "id", "名称"]) == ["column1", "id", "id_2", "名称"]


def test_a_blank_part_of_a_joined_key_leaves_the_key_empty():
    m = cfg.parse_mapping({"fields": {"milestone_id": {"join": ["任务编号", "节点编号"]}, "name": "n"}}, "milestone", "m")
    out = mapper.apply(m, pa.table({"任务编号": ["RW01", "RW01"], "节点编号": ["N01", " "], "n": ["a", "b"]}), "t")
    assert out.table["milestone_id"].to_pylist() == ["RW01-N01", None]


def test_repeated_column_names_never_clash_with_a_name_already_there():
    from pipelines.sources import unique_names
    from pipelines.sources.inbox.readers import unique_names as header_names

    assert unique_names(["a", "a", "a_2"]) == ["a", "a_2", "a_2_2"]
    assert unique_names(["a", "a_2", "a"]) == ["a", "a_2", "a_3"]
    assert header_names([" 编号", "", "编号", "编号_2"]) == ["编号", "column2", "编号_2", "编号_2_2"]
