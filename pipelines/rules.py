"""Traffic-light rules as data: load and validate config/rules.toml into a rule set the lights SQL applies."""
from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import pyarrow as pa

from pipelines import settings

INDICATORS = ("document", "document_step", "milestone", "request")
JOB_CATEGORIES = ("law_enforcement", "service", "management")
YELLOW_UNITS = ("workdays", "workhours", "share")
PROGRESS_CLOCKS = ("calendar", "workdays")
ROLLUP_METHODS = ("worst", "share")

# Parameters a rule may set, the indicators they apply to, and their type.
PARAMS: dict[str, tuple[tuple[str, ...], str]] = {
    "limit_workdays": (("document", "document_step", "request"), "int"),
    "yellow_within": (INDICATORS, "yellow"),
    "progress_yellow_behind": (("milestone",), "number"),
    "progress_red_behind": (("milestone",), "number"),
    "progress_clock": (("milestone",), "progress_clock"),
    "not_started_yellow_after_days": (("milestone",), "int"),
    "not_started_red_after_months": (("milestone",), "int"),
}
SELECTORS = ("id", "indicator", "category", "unit", "job_category")

# What applies when neither [defaults] nor an indicator says otherwise: overdue is red, due within two
# working days is yellow; milestones 10 points behind plan yellow, 30 red; not started: yellow at once, red
# after three months.
BUILTIN = {
    "yellow_unit": "workdays", "yellow_value": 2.0,
    "progress_yellow_behind": 10.0, "progress_red_behind": 30.0, "progress_clock": "calendar",
    "not_started_yellow_after_days": 0, "not_started_red_after_months": 3,
}


class RulesError(ValueError):
    """config/rules.toml is not valid; the message names the key."""


@dataclass(frozen=True)
class RuleRow:
    """One declared rule: which items it selects and the parameters it sets (None: inherited)."""
    rule_id: str
    ordinal: int
    indicator: str
    category: str | None = None
    unit_code: str | None = None
    job_category: str | None = None
    limit_workdays: int | None = None
    yellow_unit: str | None = None
    yellow_value: float | None = None
    progress_yellow_behind: float | None = None
    progress_red_behind: float | None = None
    progress_clock: str | None = None
    not_started_yellow_after_days: int | None = None
    not_started_red_after_months: int | None = None

    @property
    def dims(self) -> int:
        return sum(v is not None for v in (self.category, self.unit_code, self.job_category))


@dataclass(frozen=True)
class Rollup:
    method: str = "worst"
    kinds: tuple[str, ...] = INDICATORS
    count_closed_days: int = 30
    red_share: float = 0.10
    yellow_share: float = 0.05
    unknown_share_above: float = 0.5


@dataclass(frozen=True)
class RateRule:
    higher_is_better: bool
    yellow: float          # below (higher is better) or above (lower is better) this: yellow
    red: float
    min_sample: int


@dataclass(frozen=True)
class Rates:
    period_days: int = 30
    on_time_kinds: tuple[str, ...] = ("document", "milestone", "request")
    satisfied: tuple[str, ...] = ("satisfied", "basically_satisfied")
    on_time: RateRule = RateRule(True, 0.95, 0.85, 10)
    satisfaction: RateRule = RateRule(True, 0.90, 0.80, 10)
    reopened: RateRule = RateRule(False, 0.05, 0.10, 10)


@dataclass(frozen=True)
class Escalation:
    blue_over: float = 0.0        # item: more than this many working days overdue
    orange_over: float = 3.0
    red_over: float = 5.0
    unit_blue_at: int = 1         # unit: this many working days in a row with any red
    unit_orange_at: int = 2
    unit_red_at: int = 3


@dataclass(frozen=True)
class Recovery:
    enabled: bool = True
    hold_workdays: float = 2.0
    until_gap_closed: bool = True


@dataclass(frozen=True)
class RuleSet:
    version: str
    rows: tuple[RuleRow, ...]
    rollup: Rollup = field(default_factory=Rollup)
    rates: Rates = field(default_factory=Rates)
    escalation: Escalation = field(default_factory=Escalation)
    recovery: Recovery = field(default_factory=Recovery)

    def rule_frame(self) -> pa.Table:
        """The declared rules as an Arrow table for the light_rule table."""
        names = [f.name for f in fields(RuleRow)]
        columns = {name: [getattr(row, name) for row in self.rows] for name in names}
        columns["dims"] = [row.dims for row in self.rows]
        columns["rule_version"] = [self.version] * len(self.rows)
        schema = pa.schema([
            ("rule_id", pa.string()), ("ordinal", pa.int32()), ("indicator", pa.string()),
            ("category", pa.string()), ("unit_code", pa.string()), ("job_category", pa.string()),
            ("limit_workdays", pa.int32()), ("yellow_unit", pa.string()), ("yellow_value", pa.float64()),
            ("progress_yellow_behind", pa.float64()), ("progress_red_behind", pa.float64()),
            ("progress_clock", pa.string()), ("not_started_yellow_after_days", pa.int32()),
            ("not_started_red_after_months", pa.int32()), ("dims", pa.int32()), ("rule_version", pa.string()),
        ])
        return pa.table(columns, schema=schema)

    def parameters(self) -> dict:
        """Rollup, rate, escalation and recovery settings as named SQL parameters."""
        r, t, e, c = self.rollup, self.rates, self.escalation, self.recovery
        return {
            "rule_version": self.version,
            "rollup_method": r.method, "rollup_kinds": list(r.kinds), "count_closed_days": r.count_closed_days,
            "rollup_red_share": r.red_share, "rollup_yellow_share": r.yellow_share,
            "rollup_unknown_share": r.unknown_share_above,
            "rate_period_days": t.period_days, "on_time_kinds": list(t.on_time_kinds),
            "satisfied_values": list(t.satisfied),
            "on_time_yellow": t.on_time.yellow, "on_time_red": t.on_time.red, "on_time_min": t.on_time.min_sample,
            "satisfaction_yellow": t.satisfaction.yellow, "satisfaction_red": t.satisfaction.red,
            "satisfaction_min": t.satisfaction.min_sample,
            "reopened_yellow": t.reopened.yellow, "reopened_red": t.reopened.red,
            "reopened_min": t.reopened.min_sample,
            "esc_blue_over": e.blue_over, "esc_orange_over": e.orange_over, "esc_red_over": e.red_over,
            "unit_blue_at": e.unit_blue_at, "unit_orange_at": e.unit_orange_at, "unit_red_at": e.unit_red_at,
            "recovery_enabled": c.enabled, "recovery_hold_wd": c.hold_workdays,
            "recovery_hold_wd_t": f"{c.hold_workdays:g}",
            "recovery_until_gap_closed": c.until_gap_closed,
        }


def _keys(table: object, allowed: tuple[str, ...], where: str) -> dict:
    if not isinstance(table, dict):
        raise RulesError(f"{where}: must be a table")
    for key in table:
        if key not in allowed:
            raise RulesError(f"{where}: unknown key {key!r} (allowed: {', '.join(allowed)})")
    return table


def _int(value: object, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(f"{where}: must be a whole number, got {value!r}")
    if value < minimum:
        raise RulesError(f"{where}: must be at least {minimum}, got {value}")
    return value


def _number(value: object, where: str, minimum: float = 0.0, maximum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RulesError(f"{where}: must be a number, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum:g} and {maximum:g}" if maximum is not None else f"at least {minimum:g}"
        raise RulesError(f"{where}: must be {bound}, got {value}")
    return float(value)


def _choice(value: object, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise RulesError(f"{where}: must be one of {', '.join(choices)}, got {value!r}")
    return value  # type: ignore[return-value]


def _string_list(value: object, where: str) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v for v in values):
        raise RulesError(f"{where}: must be a non-empty string or list of strings, got {value!r}")
    return tuple(values)


def _yellow(value: object, where: str) -> tuple[str, float]:
    table = _keys(value, YELLOW_UNITS, where)
    if len(table) != 1:
        raise RulesError(f"{where}: give exactly one of {', '.join(YELLOW_UNITS)}, e.g. {{ workdays = 2 }}")
    (unit, amount), = table.items()
    if unit == "share":
        return unit, _number(amount, f"{where}.share", 0.0, 1.0)
    return unit, _number(amount, f"{where}.{unit}")


def _params(table: dict, indicators: tuple[str, ...], where: str) -> dict:
    """The rule parameters set in one rules.toml table, checked for type and for the indicators they apply to."""
    out: dict = {}
    for key, value in table.items():
        if key in SELECTORS or key == "limit_by_category":
            continue
        applies, kind = PARAMS[key]
        if not any(i in applies for i in indicators):
            raise RulesError(f"{where}.{key}: applies to {', '.join(applies)} only, not {', '.join(indicators)}")
        here = f"{where}.{key}"
        if kind == "int":
            out[key] = _int(value, here)
        elif kind == "number":
            out[key] = _number(value, here, 0.0, 100.0)
        elif kind == "progress_clock":
            out[key] = _choice(value, PROGRESS_CLOCKS, here)
        else:
            out["yellow_unit"], out["yellow_value"] = _yellow(value, here)
    return out


def _check_order(merged: dict, where: str) -> None:
    y, r = merged.get("progress_yellow_behind"), merged.get("progress_red_behind")
    if y is not None and r is not None and not y < r:
        raise RulesError(f"{where}: progress_yellow_behind ({y:g}) must be less than progress_red_behind ({r:g})")


ROLLUP_KEYS = ("method", "kinds", "count_closed_days", "red_share", "yellow_share", "unknown_share_above")
RATES_KEYS = ("period_days", "min_sample", "on_time_kinds", "on_time", "satisfaction", "reopened")
ESCALATION_KEYS = ("blue_over", "orange_over", "red_over", "unit")
UNIT_ESCALATION_KEYS = ("blue_at", "orange_at", "red_at")
RECOVERY_KEYS = ("enabled", "hold_workdays", "until_gap_closed")
TOP_KEYS = ("version", "defaults", "indicator", "override", "rollup", "rates", "escalation", "recovery")


def _indicator_list(value: object, where: str) -> tuple[str, ...]:
    names = _string_list(value, where)
    for name in names:
        _choice(name, INDICATORS, where)
    return names


def _rows(data: dict, source: str) -> tuple[RuleRow, ...]:
    param_keys = tuple(PARAMS)
    defaults = _keys(data.get("defaults", {}), param_keys, f"{source}: [defaults]")
    default_params = {}
    for ind in INDICATORS:
        usable = {k: v for k, v in defaults.items() if ind in PARAMS[k][0]}
        builtin = {k: v for k, v in BUILTIN.items() if k in ("yellow_unit", "yellow_value") or ind in PARAMS[k][0]}
        default_params[ind] = {**builtin, **_params(usable, (ind,), f"{source}: [defaults]")}

    indicators = _keys(data.get("indicator", {}), INDICATORS, f"{source}: [indicator]")
    rows: list[RuleRow] = []
    ordinal = 0
    merged_base: dict[str, dict] = {}
    for ind in INDICATORS:
        rows.append(RuleRow(rule_id="defaults", ordinal=ordinal, indicator=ind, **default_params[ind]))
        ordinal += 1
    category_rows: list[RuleRow] = []
    for ind in INDICATORS:
        where = f"{source}: [indicator.{ind}]"
        table = _keys(indicators.get(ind, {}), (*param_keys, "limit_by_category"), where)
        params = _params(table, (ind,), where)
        rows.append(RuleRow(rule_id=ind, ordinal=ordinal, indicator=ind, **params))
        ordinal += 1
        merged = {**default_params[ind], **params}
        _check_order(merged, where)
        merged_base[ind] = merged
        by_category = table.get("limit_by_category", {})
        if by_category and ind == "milestone":
            raise RulesError(f"{where}.limit_by_category: applies to document, document_step, request only")
        if not isinstance(by_category, dict):
            raise RulesError(f"{where}.limit_by_category: must be a table of category = working days")
        for category, days in by_category.items():
            category_rows.append(RuleRow(
                rule_id=f"{ind}.limit_by_category.{category}", ordinal=0, indicator=ind, category=category,
                limit_workdays=_int(days, f"{where}.limit_by_category.{category}")))
    # Category limits come before the explicit overrides so that a later override can change them.
    for row in category_rows:
        rows.append(RuleRow(**{**asdict(row), "ordinal": ordinal}))
        ordinal += 1

    overrides = data.get("override", [])
    if not isinstance(overrides, list):
        raise RulesError(f"{source}: override must be an array of tables ([[override]])")
    seen_ids: set[str] = set()
    for i, table in enumerate(overrides):
        where = f"{source}: [[override]] #{i + 1}"
        _keys(table, (*SELECTORS, *param_keys), where)
        rule_id = table.get("id", f"override.{i + 1}")
        if not isinstance(rule_id, str) or not rule_id:
            raise RulesError(f"{where}.id: must be a non-empty string")
        where = f"{source}: [[override]] id={rule_id!r}"
        if rule_id in seen_ids:
            raise RulesError(f"{where}: the id is used twice")
        seen_ids.add(rule_id)
        inds = _indicator_list(table["indicator"], f"{where}.indicator") if "indicator" in table else INDICATORS
        categories = _string_list(table["category"], f"{where}.category") if "category" in table else (None,)
        units = _string_list(table["unit"], f"{where}.unit") if "unit" in table else (None,)
        jobs = (_string_list(table["job_category"], f"{where}.job_category")
                if "job_category" in table else (None,))
        for job in jobs:
            if job is not None:
                _choice(job, JOB_CATEGORIES, f"{where}.job_category")
        if not any(k in table for k in ("category", "unit", "job_category")):
            raise RulesError(f"{where}: an override needs at least one of category, unit, job_category")
        params = _params(table, inds, where)
        if not params:
            raise RulesError(f"{where}: sets no parameter (e.g. yellow_within, limit_workdays)")
        for ind in inds:
            usable = {k: v for k, v in params.items()
                      if k in ("yellow_unit", "yellow_value") or ind in PARAMS[k][0]}
            if not usable:
                continue
            _check_order({**merged_base[ind], **usable}, where)
            for category in categories:
                for unit in units:
                    for job in jobs:
                        rows.append(RuleRow(rule_id=rule_id, ordinal=ordinal, indicator=ind, category=category,
                                            unit_code=unit, job_category=job, **usable))
        ordinal += 1
    return tuple(rows)


def _rollup(table: object, source: str) -> Rollup:
    where = f"{source}: [rollup]"
    t = _keys(table, ROLLUP_KEYS, where)
    base = Rollup()
    out = Rollup(
        method=_choice(t.get("method", base.method), ROLLUP_METHODS, f"{where}.method"),
        kinds=_indicator_list(t["kinds"], f"{where}.kinds") if "kinds" in t else base.kinds,
        count_closed_days=_int(t.get("count_closed_days", base.count_closed_days), f"{where}.count_closed_days"),
        red_share=_number(t.get("red_share", base.red_share), f"{where}.red_share", 0.0, 1.0),
        yellow_share=_number(t.get("yellow_share", base.yellow_share), f"{where}.yellow_share", 0.0, 1.0),
        unknown_share_above=_number(t.get("unknown_share_above", base.unknown_share_above),
                                    f"{where}.unknown_share_above", 0.0, 1.0),
    )
    if out.method == "share" and not out.yellow_share <= out.red_share:
        raise RulesError(f"{where}: yellow_share ({out.yellow_share:g}) must not exceed red_share ({out.red_share:g})")
    return out


def _rate(table: object, base: RateRule, min_sample: int, where: str) -> RateRule:
    if base.higher_is_better:
        t = _keys(table, ("yellow_below", "red_below", "min_sample"), where)
        yellow = _number(t.get("yellow_below", base.yellow), f"{where}.yellow_below", 0.0, 1.0)
        red = _number(t.get("red_below", base.red), f"{where}.red_below", 0.0, 1.0)
        if not red < yellow:
            raise RulesError(f"{where}: red_below ({red:g}) must be less than yellow_below ({yellow:g})")
    else:
        t = _keys(table, ("yellow_above", "red_above", "min_sample"), where)
        yellow = _number(t.get("yellow_above", base.yellow), f"{where}.yellow_above", 0.0, 1.0)
        red = _number(t.get("red_above", base.red), f"{where}.red_above", 0.0, 1.0)
        if not yellow < red:
            raise RulesError(f"{where}: yellow_above ({yellow:g}) must be less than red_above ({red:g})")
    sample = _int(t.get("min_sample", min_sample), f"{where}.min_sample", 1)
    return RateRule(base.higher_is_better, yellow, red, sample)


def _rates(table: object, source: str) -> Rates:
    where = f"{source}: [rates]"
    t = _keys(table, RATES_KEYS, where)
    base = Rates()
    min_sample = _int(t.get("min_sample", base.on_time.min_sample), f"{where}.min_sample", 1)
    satisfaction = _keys(t.get("satisfaction", {}), ("yellow_below", "red_below", "min_sample", "satisfied"),
                         f"{where}.satisfaction")
    satisfied = (_string_list(satisfaction["satisfied"], f"{where}.satisfaction.satisfied")
                 if "satisfied" in satisfaction else base.satisfied)
    return Rates(
        period_days=_int(t.get("period_days", base.period_days), f"{where}.period_days", 1),
        on_time_kinds=(_indicator_list(t["on_time_kinds"], f"{where}.on_time_kinds")
                       if "on_time_kinds" in t else base.on_time_kinds),
        satisfied=satisfied,
        on_time=_rate(t.get("on_time", {}), base.on_time, min_sample, f"{where}.on_time"),
        satisfaction=_rate({k: v for k, v in satisfaction.items() if k != "satisfied"}, base.satisfaction,
                           min_sample, f"{where}.satisfaction"),
        reopened=_rate(t.get("reopened", {}), base.reopened, min_sample, f"{where}.reopened"),
    )


def _escalation(table: object, source: str) -> Escalation:
    where = f"{source}: [escalation]"
    t = _keys(table, ESCALATION_KEYS, where)
    base = Escalation()
    blue = _number(t.get("blue_over", base.blue_over), f"{where}.blue_over")
    orange = _number(t.get("orange_over", base.orange_over), f"{where}.orange_over")
    red = _number(t.get("red_over", base.red_over), f"{where}.red_over")
    if not blue < orange < red:
        raise RulesError(f"{where}: blue_over ({blue:g}) < orange_over ({orange:g}) < red_over ({red:g}) must hold")
    u = _keys(t.get("unit", {}), UNIT_ESCALATION_KEYS, f"{where}.unit")
    ub = _int(u.get("blue_at", base.unit_blue_at), f"{where}.unit.blue_at", 1)
    uo = _int(u.get("orange_at", base.unit_orange_at), f"{where}.unit.orange_at", 1)
    ur = _int(u.get("red_at", base.unit_red_at), f"{where}.unit.red_at", 1)
    if not ub < uo < ur:
        raise RulesError(f"{where}.unit: blue_at ({ub}) < orange_at ({uo}) < red_at ({ur}) must hold")
    return Escalation(blue, orange, red, ub, uo, ur)


def _recovery(table: object, source: str) -> Recovery:
    where = f"{source}: [recovery]"
    t = _keys(table, RECOVERY_KEYS, where)
    base = Recovery()
    for key in ("enabled", "until_gap_closed"):
        if key in t and not isinstance(t[key], bool):
            raise RulesError(f"{where}.{key}: must be true or false")
    return Recovery(
        enabled=t.get("enabled", base.enabled),
        hold_workdays=_number(t.get("hold_workdays", base.hold_workdays), f"{where}.hold_workdays"),
        until_gap_closed=t.get("until_gap_closed", base.until_gap_closed),
    )


def parse_rules(data: dict, source: str = "rules.toml") -> RuleSet:
    """Validate the parsed TOML of a rules file into a RuleSet; errors name the offending key."""
    _keys(data, TOP_KEYS, source)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise RulesError(f"{source}: version must be a non-empty string, e.g. version = \"2026.1\"")
    return RuleSet(
        version=version.strip(),
        rows=_rows(data, source),
        rollup=_rollup(data.get("rollup", {}), source),
        rates=_rates(data.get("rates", {}), source),
        escalation=_escalation(data.get("escalation", {}), source),
        recovery=_recovery(data.get("recovery", {}), source),
    )


def rules_path() -> Path:
    return settings.path("XIAONENG_CONFIG") / "rules.toml"


def load_rules(path: Path | None = None) -> RuleSet:
    """Read and validate config/rules.toml."""
    path = path or rules_path()
    if not path.exists():
        raise RulesError(f"{path}: the rules file is missing; copy config/rules.toml from the distribution")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path.name}: not valid TOML: {exc}") from None
    return parse_rules(data, path.name)
