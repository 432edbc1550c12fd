"""Rules are data: config/rules.toml is checked on load, and errors name the key that is wrong."""
from __future__ import annotations

import copy
import tomllib

import pytest

from pipelines import rules
from pipelines.rules import RulesError, parse_rules

MINIMAL = {"version": "t1"}


def test_the_shipped_rules_file_loads_with_the_default_set():
    rule_set = rules.load_rules()
    assert rule_set.version
    by_id = {(r.rule_id, r.category): r for r in rule_set.rows}
    # Hotline classes without a limit from the source: consultation 3, complaint/report 13, emergency same day.
    assert by_id[("request.limit_by_category.consultation", "consultation")].limit_workdays == 3
    assert by_id[("request.limit_by_category.complaint", "complaint")].limit_workdays == 13
    assert by_id[("request.limit_by_category.report", "report")].limit_workdays == 13
    assert by_id[("request.limit_by_category.help", "help")].limit_workdays == 5
    assert by_id[("request.limit_by_category.suggestion", "suggestion")].limit_workdays == 5
    assert by_id[("request.limit_by_category.emergency", "emergency")].limit_workdays == 0
    milestone = by_id[("milestone", None)]
    assert (milestone.progress_yellow_behind, milestone.progress_red_behind) == (10, 30)


def test_a_file_with_only_a_version_gets_the_builtin_defaults():
    rule_set = parse_rules(MINIMAL)
    defaults = {r.indicator: r for r in rule_set.rows if r.rule_id == "defaults"}
    assert set(defaults) == set(rules.INDICATORS)
    assert (defaults["request"].yellow_unit, defaults["request"].yellow_value) == ("workdays", 2.0)
    assert defaults["milestone"].not_started_red_after_months == 3
    assert rule_set.rollup.method == "worst"
    assert rule_set.rates.on_time.min_sample == 10


def test_overrides_expand_lists_and_keep_declaration_order():
    rule_set = parse_rules({
        "version": "t1",
        "override": [
            {"id": "fast", "indicator": ["request", "document"], "category": ["complaint", "report"],
             "yellow_within": {"share": 0.25}},
            {"id": "b03", "unit": "B03", "job_category": "law_enforcement", "limit_workdays": 7},
        ],
    })
    fast = [r for r in rule_set.rows if r.rule_id == "fast"]
    assert {(r.indicator, r.category) for r in fast} == {
        ("request", "complaint"), ("request", "report"), ("document", "complaint"), ("document", "report")}
    assert all((r.yellow_unit, r.yellow_value, r.dims) == ("share", 0.25, 1) for r in fast)
    b03 = [r for r in rule_set.rows if r.rule_id == "b03"]
    # limit_workdays does not apply to milestones, so that indicator gets no row.
    assert {r.indicator for r in b03} == {"document", "document_step", "request"}
    assert all(r.dims == 2 for r in b03)
    assert max(r.ordinal for r in fast) < min(r.ordinal for r in b03)


def test_rule_frame_and_parameters_carry_the_version():
    rule_set = parse_rules(MINIMAL)
    frame = rule_set.rule_frame()
    assert frame.num_rows == len(rule_set.rows)
    assert set(frame.column("rule_version").to_pylist()) == {"t1"}
    params = rule_set.parameters()
    assert params["rule_version"] == "t1"
    assert params["on_time_red"] < params["on_time_yellow"]


def with_(path: str, value) -> dict:
    """MINIMAL with one nested key set, e.g. with_('indicator.request.limit_workdays', 3)."""
    data = copy.deepcopy(MINIMAL)
    *parents, leaf = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value
    return data


BAD = [
    ("missing-version", {}, "version must be a non-empty string"),
    ("unknown-top-key", with_("colours", {}), "unknown key 'colours'"),
    ("unknown-indicator", with_("indicator.ticket.limit_workdays", 3), "unknown key 'ticket'"),
    ("unknown-key-in-indicator", with_("indicator.request.yelow_within", {"workdays": 1}),
     "[indicator.request]: unknown key 'yelow_within'"),
    ("limit-as-text", with_("indicator.request.limit_workdays", "3"), "limit_workdays: must be a whole number"),
    ("limit-negative", with_("indicator.document.limit_workdays", -1), "must be at least 0"),
    ("limit-as-bool", with_("indicator.document.limit_workdays", True), "must be a whole number"),
    ("yellow-two-units", with_("defaults.yellow_within", {"workdays": 2, "share": 0.2}), "exactly one of"),
    ("yellow-unknown-unit", with_("defaults.yellow_within", {"days": 2}), "unknown key 'days'"),
    ("share-above-one", with_("defaults.yellow_within", {"share": 1.5}), "share: must be between 0 and 1"),
    ("progress-order", with_("indicator.milestone.progress_yellow_behind", 40),
     "progress_yellow_behind (40) must be less than progress_red_behind (30)"),
    ("progress-on-requests", with_("indicator.request.progress_red_behind", 30), "applies to milestone only"),
    ("limit-on-milestones", with_("indicator.milestone.limit_workdays", 5), "applies to document"),
    ("progress-clock-unknown", with_("indicator.milestone.progress_clock", "lunar"), "progress_clock: must be one of"),
    ("category-limits-on-milestones", with_("indicator.milestone.limit_by_category", {"key": 5}),
     "limit_by_category: applies to"),
    ("category-limit-text", with_("indicator.request.limit_by_category", {"complaint": "13"}),
     "limit_by_category.complaint: must be a whole number"),
    ("rate-thresholds-order", with_("rates.on_time", {"yellow_below": 0.8, "red_below": 0.9}),
     "red_below (0.9) must be less than yellow_below (0.8)"),
    ("reopened-thresholds-order", with_("rates.reopened", {"yellow_above": 0.2, "red_above": 0.1}),
     "yellow_above (0.2) must be less than red_above (0.1)"),
    ("rate-unknown-key", with_("rates.on_time", {"green_above": 0.9}), "unknown key 'green_above'"),
    ("min-sample-zero", with_("rates.min_sample", 0), "min_sample: must be at least 1"),
    ("escalation-order", with_("escalation.orange_over", 9), "blue_over (0) < orange_over (9) < red_over (5)"),
    ("unit-escalation-order", with_("escalation.unit", {"red_at": 1}), "blue_at (1) < orange_at (2) < red_at (1)"),
    ("rollup-method", with_("rollup.method", "average"), "method: must be one of worst, share"),
    ("rollup-share-order", {"version": "t1", "rollup": {"method": "share", "red_share": 0.05, "yellow_share": 0.2}},
     "yellow_share (0.2) must not exceed red_share (0.05)"),
    ("rollup-kind-unknown", with_("rollup.kinds", ["request", "ticket"]), "kinds: must be one of"),
    ("recovery-not-bool", with_("recovery.enabled", "yes"), "enabled: must be true or false"),
    ("override-without-selector", {"version": "t1", "override": [{"id": "x", "limit_workdays": 3}]},
     "needs at least one of category, unit, job_category"),
    ("override-without-parameter", {"version": "t1", "override": [{"id": "x", "category": "complaint"}]},
     "sets no parameter"),
    ("override-unknown-key", {"version": "t1", "override": [{"id": "x", "category": "a", "colour": "red"}]},
     "unknown key 'colour'"),
    ("override-job-category", {"version": "t1", "override": [
        {"id": "x", "job_category": "police", "limit_workdays": 3}]}, "job_category: must be one of"),
    ("override-duplicate-id", {"version": "t1", "override": [
        {"id": "x", "category": "a", "limit_workdays": 3}, {"id": "x", "category": "b", "limit_workdays": 4}]},
     "the id is used twice"),
    ("override-order-after-merge", {"version": "t1", "override": [
        {"id": "slow", "indicator": "milestone", "category": "x", "progress_yellow_behind": 35}]},
     "[[override]] id='slow': progress_yellow_behind (35) must be less than progress_red_behind (30)"),
    ("override-param-for-no-indicator", {"version": "t1", "override": [
        {"id": "x", "indicator": "request", "category": "a", "progress_red_behind": 20}]},
     "applies to milestone only, not request"),
]


@pytest.mark.parametrize("data, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_invalid_rules_name_the_key(data, message):
    with pytest.raises(RulesError) as err:
        parse_rules(data)
    assert message in str(err.value)


def test_load_reports_toml_syntax_errors_and_a_missing_file(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("version = \n", encoding="utf-8")
    with pytest.raises(RulesError, match="not valid TOML"):
        rules.load_rules(path)
    with pytest.raises(RulesError, match="missing"):
        rules.load_rules(tmp_path / "absent.toml")


def test_documentation_example_is_a_valid_rules_file():
    """The full example in docs/rules.md parses (the docs cannot drift from the loader)."""
    text = (rules.settings.ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    rule_set = parse_rules(tomllib.loads(block))
    assert rule_set.version
