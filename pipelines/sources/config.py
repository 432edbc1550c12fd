"""Load and check config/sources.toml and the mapping files it names: sources become plain dataclasses."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines import settings
from pipelines.sources.entities import ENTITIES, KINDS, entity

SOURCE_TYPES = ("sql", "open311", "json_api", "inbox", "eventlog")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNITS_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ConfigError(ValueError):
    """A configuration file says something the pipelines cannot follow."""


def parse_duration(text: str | int | float, where: str) -> float:
    if isinstance(text, (int, float)):
        return float(text)
    match = _DURATION.match(str(text))
    if not match:
        raise ConfigError(f"{where}: {text!r} is not a duration like '30s', '10m', '1h' or '2d'")
    return float(match.group(1)) * _UNITS_S[match.group(2)]


def expand(text: str, where: str = "") -> str:
    """Replace ${NAME} by the environment variable (or the setting's default); an unset secret is an error."""
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name in os.environ:
            return os.environ[name]
        try:
            return settings.get(name)
        except KeyError:
            raise ConfigError(f"{where}: environment variable {name} is not set") from None
    return _VAR.sub(one, text)


@dataclass(frozen=True)
class FieldSpec:
    """Where one canonical field comes from: a column, the first present of several, a join, or a constant."""
    columns: tuple[str, ...] = ()
    how: str = "column"            # column | first_of | join | value
    sep: str = "-"
    value: str | None = None

    @classmethod
    def parse(cls, raw: Any, where: str) -> "FieldSpec":
        if isinstance(raw, str):
            return cls(columns=(raw,))
        if isinstance(raw, dict) and len(raw.keys() - {"sep"}) == 1:
            (how, arg), = ((k, v) for k, v in raw.items() if k != "sep")
            if how == "value":
                return cls(how="value", value=str(arg))
            if how in ("first_of", "join") and isinstance(arg, list) and arg:
                return cls(columns=tuple(str(a) for a in arg), how=how, sep=str(raw.get("sep", "-")))
        raise ConfigError(f"{where}: expected a column name, {{first_of = [...]}}, {{join = [...]}} or "
                          f"{{value = ...}}, got {raw!r}")


@dataclass(frozen=True)
class UnitRule:
    """Create units from source values under a root unit of the source's own (create_units)."""
    root_code: str
    root_name: str
    levels: tuple[FieldSpec, ...] = ()


@dataclass(frozen=True)
class Mapping:
    entity: str
    fields: dict[str, FieldSpec]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    timezone: str = "Asia/Shanghai"
    time_formats: tuple[str, ...] = ()
    null_values: tuple[str, ...] = ()
    create_units: UnitRule | None = None
    closed_when: str = "auto"         # events only: auto | case_end | last_event
    file: str = ""

    def source_columns(self) -> set[str]:
        return {c for spec in self.fields.values() for c in spec.columns if spec.how in ("column", "join")}


@dataclass(frozen=True)
class Stream:
    name: str
    entity: str
    mapping: Mapping
    primary_key: tuple[str, ...] = ()  # source columns; used for the cursor boundary
    cursor: str | None = None          # source column holding the record's update time
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    name: str
    type: str
    kind: str
    streams: tuple[Stream, ...]
    options: dict[str, Any] = field(default_factory=dict)
    every_s: float | None = None
    cron: str | None = None
    expected_interval_s: float = 86400.0
    enabled: bool = True
    description: str = ""


@dataclass(frozen=True)
class Config:
    sources: dict[str, Source]
    lights_every_s: float = 300.0
    misfire_grace_s: float = 120.0
    folder: Path = Path(".")

    def source(self, name: str) -> Source:
        try:
            return self.sources[name]
        except KeyError:
            raise ConfigError(f"no source named {name!r} in sources.toml; "
                              f"known: {', '.join(self.sources) or 'none'}") from None


_MAPPING_KEYS = {"fields", "values", "timezone", "time_formats", "null_values", "create_units", "closed_when",
                 "description"}
_SOURCE_KEYS = {"type", "kind", "every", "cron", "expected_interval", "enabled", "description", "streams",
                "entity", "mapping", "primary_key", "cursor"}
_STREAM_KEYS = {"name", "entity", "mapping", "primary_key", "cursor"}


def _check_keys(raw: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}")


def parse_mapping(raw: dict, entity_name: str, where: str) -> Mapping:
    _check_keys(raw, _MAPPING_KEYS, where)
    target = entity(entity_name)
    raw_fields = raw.get("fields") or {}
    fields = {}
    for name, spec in raw_fields.items():
        if name not in target.fields:
            raise ConfigError(f"{where}: {name!r} is not a field of {entity_name}; fields: {', '.join(target.fields)}")
        fields[name] = FieldSpec.parse(spec, f"{where}.fields.{name}")
    missing = [k for k in target.key if k not in fields]
    if missing:
        raise ConfigError(f"{where}: the key field(s) {', '.join(missing)} must be mapped")
    values = {}
    for name, table in (raw.get("values") or {}).items():
        if name not in target.fields or not isinstance(table, dict):
            raise ConfigError(f"{where}.values.{name}: expected a table of source value = our value for a field")
        values[name] = {str(k): str(v) for k, v in table.items()}
    tz = str(raw.get("timezone", settings.get("XIAONENG_TZ")))
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}.timezone: unknown time zone {tz!r}") from None
    units = None
    if raw.get("create_units") is not None:
        u = raw["create_units"]
        _check_keys(u, {"root_code", "root_name", "levels"}, f"{where}.create_units")
        if "root_code" not in u or not re.fullmatch(r"[A-Za-z0-9_.-]+", str(u["root_code"])):
            raise ConfigError(f"{where}.create_units.root_code: letters, digits, '_', '.', '-' only")
        levels = tuple(FieldSpec.parse(s, f"{where}.create_units.levels") for s in u.get("levels", []))
        units = UnitRule(str(u["root_code"]), str(u.get("root_name", u["root_code"])), levels)
    closed_when = str(raw.get("closed_when", "auto"))
    if closed_when not in ("auto", "case_end", "last_event"):
        raise ConfigError(f"{where}.closed_when: auto, case_end or last_event")
    return Mapping(entity=entity_name, fields=fields, values=values, timezone=tz,
                   time_formats=tuple(str(f) for f in raw.get("time_formats", [])),
                   null_values=tuple(str(v) for v in raw.get("null_values", [])),
                   create_units=units, closed_when=closed_when, file=where)


def load_mapping_file(path: Path) -> dict[str, Mapping]:
    """A mapping file has one section per entity it maps, e.g. [request] with [request.fields]."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"mapping file {path}: {exc}") from None
    out = {}
    for section, body in raw.items():
        if section == "description":
            continue
        if section not in ENTITIES or not isinstance(body, dict):
            raise ConfigError(f"{path}: [{section}] is not an entity; known: {', '.join(ENTITIES)}")
        out[section] = parse_mapping(body, section, f"{path.name}[{section}]")
    if not out:
        raise ConfigError(f"{path}: maps no entity")
    return out


def _stream(raw: dict, folder: Path, where: str, extra_ok: set[str]) -> Stream:
    entity_name = raw.get("entity")
    if entity_name not in ENTITIES:
        raise ConfigError(f"{where}: entity must be one of {', '.join(ENTITIES)}")
    if "mapping" not in raw:
        raise ConfigError(f"{where}: a mapping file is required")
    mapping_path = Path(expand(str(raw["mapping"]), where))
    if not mapping_path.is_absolute():
        mapping_path = folder / mapping_path
    mappings = load_mapping_file(mapping_path)
    if entity_name not in mappings:
        raise ConfigError(f"{where}: {mapping_path.name} has no [{entity_name}] section")
    pk = raw.get("primary_key", [])
    pk = (pk,) if isinstance(pk, str) else tuple(pk)
    options = {k: v for k, v in raw.items() if k not in _STREAM_KEYS}
    unknown = set(options) - extra_ok
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    return Stream(name=str(raw.get("name", entity_name)), entity=entity_name, mapping=mappings[entity_name],
                  primary_key=pk, cursor=raw.get("cursor"), options=options)


def parse_source(name: str, raw: dict, folder: Path) -> Source:
    from pipelines.sources import client_for

    where = f"sources.{name}"
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise ConfigError(f"{where}: a source name uses letters, digits, '_' and '-' only")
    type_ = raw.get("type")
    if type_ not in SOURCE_TYPES:
        raise ConfigError(f"{where}.type: one of {', '.join(SOURCE_TYPES)}")
    client = client_for(type_)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{where}.kind: one of {', '.join(KINDS)}")
    source_opts = {k: v for k, v in raw.items() if k not in _SOURCE_KEYS}
    unknown = set(source_opts) - set(client.SOURCE_OPTIONS)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))} for type {type_}")
    missing = [k for k in client.REQUIRED_OPTIONS if k not in source_opts]
    if missing:
        raise ConfigError(f"{where}: type {type_} needs {', '.join(missing)}")
    if "streams" in raw:
        streams = tuple(_stream(s, folder, f"{where}.streams[{i}]", set(client.STREAM_OPTIONS))
                        for i, s in enumerate(raw["streams"]))
    else:
        single = {k: raw[k] for k in ("entity", "mapping", "primary_key", "cursor") if k in raw}
        single.setdefault("entity", {"requests": "request", "milestones": "milestone",
                                     "documents": "document", "org": "unit"}[kind])
        streams = (_stream(single, folder, where, set()),)
    for stream in streams:
        if ENTITIES[stream.entity].kind != kind and stream.entity != "event":
            raise ConfigError(f"{where}: entity {stream.entity} does not belong to kind {kind}")
    every = raw.get("every")
    cron = raw.get("cron")
    if every is not None and cron is not None:
        raise ConfigError(f"{where}: give either every or cron, not both")
    return Source(
        name=name, type=type_, kind=kind, streams=streams, options=source_opts,
        every_s=parse_duration(every, f"{where}.every") if every is not None else None,
        cron=str(cron) if cron is not None else None,
        expected_interval_s=parse_duration(raw.get("expected_interval", "1d"), f"{where}.expected_interval"),
        enabled=bool(raw.get("enabled", True)), description=str(raw.get("description", "")))


def load(path: Path | None = None) -> Config:
    path = path or settings.path("XIAONENG_CONFIG") / "sources.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no sources file at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    _check_keys(raw, {"scheduler", "sources"}, str(path))
    sched = raw.get("scheduler", {})
    _check_keys(sched, {"lights_every", "misfire_grace"}, f"{path}[scheduler]")
    sources = {name: parse_source(name, body, path.parent) for name, body in raw.get("sources", {}).items()}
    return Config(sources=sources,
                  lights_every_s=parse_duration(sched.get("lights_every", "5m"), "scheduler.lights_every"),
                  misfire_grace_s=parse_duration(sched.get("misfire_grace", "2m"), "scheduler.misfire_grace"),
                  folder=path.parent)
