"""Real public data imports through mapping files only: the WABO permit log, XES logs and three cities' 311."""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from pipelines import runner
from pipelines.sources import guess

REAL = Path("/work/shared/data/real")
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"real data folder {REAL} is not present")


def load(*paths: Path, mapping: Path | None = None) -> list[runner.RunResult]:
    results = []
    for path in paths:
        source = guess.source_for([path], mapping=mapping)
        results.append(runner.import_files([path], source))
    return results


def query(db: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture
def db(env) -> Path:
    return Path(env["XIAONENG_DB"])


def wabo_cases() -> dict[str, tuple[datetime, datetime, datetime | None]]:
    """Each case's start, deadline and end, read from the file with csv and datetime only."""
    cases = {}
    with open(REAL / "wabo_receipt" / "receipt.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            end = row["case:enddate"]
            cases[row["case:concept:name"]] = (datetime.fromisoformat(row["case:startdate"]),
                                               datetime.fromisoformat(row["case:deadline"]),
                                               datetime.fromisoformat(end) if end else None)
    return cases


def test_wabo_permit_log_flow_times_and_deadlines_match_the_file(db):
    result, = load(REAL / "wabo_receipt" / "receipt.csv")
    assert result.state == "success" and result.rows_read == 8577
    cases = wabo_cases()
    assert len(cases) == 1434
    ended_before_start = {k for k, (s, _, e) in cases.items() if e is not None and e < s}
    # Two cases end at midnight of the day they start at 01:06: impossible times, quarantined.
    assert ended_before_start == {"case-10862", "case-8267"}
    assert set(query(db, "select record_key, reason_code from quarantine")) == {
        ("case-10862", "closed_before_opened"), ("case-8267", "closed_before_opened")}

    kept = {k: v for k, v in cases.items() if k not in ended_before_start}
    on_time = sum(1 for s, d, e in kept.values() if e is not None and e <= d)
    late = sum(1 for s, d, e in kept.values() if e is not None and e > d)
    still_open = sum(1 for s, d, e in kept.values() if e is None)
    # SOURCE.md counts 952 on time, 377 late, 105 open over all cases; both quarantined ones were on time.
    assert (on_time + 2, late, still_open) == (952, 377, 105)
    stored = query(db, """
        select count(*) filter (where closed_at <= due_at), count(*) filter (where closed_at > due_at),
               count(*) filter (where closed_at is null), count(*)
        from fct_document""")[0]
    assert stored == (on_time, late, still_open, len(kept))

    flow_s = sum((e - s).total_seconds() for s, _, e in kept.values() if e is not None)
    stored_flow_s = query(db, "select sum(epoch(closed_at) - epoch(received_at)) from fct_document")[0][0]
    assert stored_flow_s == pytest.approx(flow_s, abs=1e-3)
    one = query(db, "select received_at, due_at, closed_at from fct_document where doc_id = 'case-10011'")[0]
    s, d, e = cases["case-10011"]
    assert (one[0], one[1], one[2]) == (s, d, e)

    assert query(db, "select count(*) from fct_document_step") == [(8577,)]
    # A step ends at its event; the first step of a case starts at the case's start date.
    first = query(db, "select started_at, finished_at, step_name from fct_document_step "
                      "where doc_id = 'case-10011' and step_no = 1")[0]
    assert first[0] == s and first[2] == "Confirmation of receipt"
    # Departments and groups became units under the log's root, never the placeholder "EMPTY".
    units = {u for (u,) in query(db, "select unit_code from dim_unit")}
    assert {"EVENTLOG", "EVENTLOG-GENERAL", "EVENTLOG-GROUP_1"} <= units
    assert not any("EMPTY" in u for u in units)


def test_wabo_xes_gz_holds_the_same_cases_as_the_csv(db):
    csv_result, xes_result = load(REAL / "wabo_receipt" / "receipt.csv", REAL / "wabo_receipt" / "receipt.xes.gz")
    assert xes_result.state == "success" and xes_result.rows_read == 8577
    # Same cases, same steps, same times: nothing new and nothing changed by the second import.
    assert query(db, "select count(*) from fct_document") == [(1432,)]
    assert query(db, "select count(*) from fct_change_history where kind = 'document'") == [(0,)]
    assert xes_result.rows_loaded == 0


@pytest.mark.parametrize("name, cases, events", [
    ("running_example/running-example.xes", 6, 42),
    ("bpi2020_travel_declarations/intl_declarations_rejected_at_least_once.xes", 999, 6868),
    ("bpi2020_travel_declarations/permit_log_1trace_per_variant.xes.gz", 1478, 26028),
], ids=["running-example", "bpi2020-declarations", "bpi2020-permits-gz"])
def test_xes_logs_import_as_documents_and_steps(db, name, cases, events):
    result, = load(REAL / name)
    assert result.state == "success" and result.rows_read == events and result.rows_rejected == 0
    assert query(db, "select count(*) from fct_document") == [(cases,)]
    assert query(db, "select count(*) from fct_document_step") == [(events,)]
    # Logs without case end dates close each case at its last event.
    assert query(db, """
        select count(*) from fct_document as d
        where d.closed_at is distinct from (select max(finished_at) from fct_document_step as s
                                            where s.doc_id = d.doc_id)""") == [(0,)]


def test_running_example_csv_and_xes_agree(db):
    load(REAL / "running_example" / "running-example.xes")
    again, = load(REAL / "running_example" / "running-example.csv")
    assert again.rows_read == 42 and again.rows_loaded == 0 and again.unchanged == 48


def test_baltimore_311_imports_with_agencies_as_units(db):
    result, = load(REAL / "baltimore_311" / "311_sample.csv")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (10000, 10000, 0)
    assert query(db, "select count(*) from dim_unit where parent_code = 'BAL'") == [(16,)]
    assert query(db, "select count(*) from fct_request where unit_code = 'BAL-SOLID_WASTE'") == [(4760,)]
    # SOURCE.md: 7988 closed on/before due, 1567 after, 208 without a close date.
    assert query(db, """
        select count(*) filter (where closed_at <= due_at), count(*) filter (where closed_at > due_at),
               count(*) filter (where closed_at is null)
        from fct_request""") == [(7988, 1567, 208)]
    # US local time with AM/PM, in New York's zone: 04/12/2018 11:11:26 AM EDT = 15:11:26 UTC.
    assert query(db, "select epoch(received_at) from fct_request where request_id = '18-00269879'") == [
        (datetime.fromisoformat("2018-04-12T15:11:26+00:00").timestamp(),)]


def test_nyc_311_imports_and_rejects_impossible_and_placeholder_dates(db):
    mixed, animals, hundred = load(REAL / "nyc_311" / "nyc311_mixed_agencies_sample.csv",
                                   REAL / "nyc_311" / "nyc311_dohmh_illegal_animals.csv",
                                   REAL / "nyc_311" / "nyc311-100.csv")
    assert (mixed.rows_loaded, mixed.rows_rejected) == (990, 10)       # SOURCE.md: 10 closed before created
    assert (animals.rows_loaded, animals.rows_rejected) == (5893, 2)   # two 1900-01-01 placeholders
    assert hundred.rows_rejected == 0
    reasons = dict(query(db, "select reason_code, count(*) from quarantine group by all"))
    assert reasons == {"closed_before_opened": 10, "time_out_of_range": 2}
    # Agency, then Agency Name below it: the 16 agencies of the mixed sample are all there.
    agencies = {c for (c,) in query(db, "select unit_code from dim_unit where parent_code = 'NYC'")}
    assert {"NYC-NYPD", "NYC-HPD", "NYC-DSNY", "NYC-DOHMH", "NYC-DCAS"} <= agencies
    assert query(db, "select count(*) from dim_unit where level = 3 and path like '/NYC/NYC-HRA/%'")[0][0] >= 1


def test_nyc_socrata_json_imports_with_its_own_mapping(db):
    result, = load(REAL / "nyc_311" / "nyc311_socrata_api_fhrw-4uyv_1000.json")
    assert result.state == "success" and result.rows_read == 1000
    assert result.rows_loaded + result.rows_rejected == 1000
    assert query(db, "select count(*) from fct_request where due_at is not null")[0][0] > 250


def test_boston_311_both_column_namings_fill_due_dates(db):
    old, new = load(REAL / "boston_311" / "boston311-100.csv", REAL / "boston_311" / "boston311_open_2025_safertrail.csv")
    assert (old.rows_loaded, new.rows_loaded) == (100, 2424)
    assert query(db, "select count(*) from fct_request where due_at is not null") == [(89 + 2424,)]
    assert query(db, "select count(*) from fct_request where closed_at is null") == [(15 + 2424,)]
    assert query(db, "select count(*) from dim_unit where level = 3 and path like '/BOS/%'")[0][0] >= 50


def test_unknown_agency_is_quarantined_when_the_mapping_does_not_create_units(db, tmp_path):
    text = (Path(guess.mapping_folder()) / "nyc_311.toml").read_text(encoding="utf-8")
    strict = tmp_path / "nyc_strict.toml"
    strict.write_text(text.split("[request.create_units]")[0], encoding="utf-8")
    result, = load(REAL / "nyc_311" / "nyc311-100.csv", mapping=strict)
    assert (result.rows_loaded, result.rows_rejected) == (0, 100)
    assert query(db, "select distinct reason_code from quarantine") == [("unknown_unit",)]
