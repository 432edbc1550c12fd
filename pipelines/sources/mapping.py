"""Turn a batch as received into canonical columns: pick and join source columns, map values, derive units."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.sources import SourceError
from pipelines.sources.config import FieldSpec, Mapping
from pipelines.sources.entities import DATE_FIELDS, TIME_FIELDS, entity

ROW_NUMBER = "_rn"
KEY = "_key"            # the record's key as received (joined with # when it has several parts)


@dataclass
class Mapped:
    table: pa.Table              # one column per canonical field (text, or a typed time), plus _key and _rn
    units: pa.Table | None       # units to create: unit_code, name, parent_code, level
    present: set[str]            # canonical fields that the data actually carries


def row_numbers(n: int) -> pa.Array:
    """0 .. n-1: each record's position in its batch."""
    return pa.array(np.arange(n, dtype=np.int64))


def as_text(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """Any Arrow column as text the staging SQL can parse; times keep their offset, numbers their digits."""
    type_ = column.type
    if pa.types.is_string(type_):
        return column
    if pa.types.is_large_string(type_) or pa.types.is_string_view(type_):
        return pc.cast(column, pa.string())
    if pa.types.is_timestamp(type_):
        # The same text as strftime('%Y-%m-%dT%H:%M:%S') (UTC, '+00:00', when zoned), ten times faster: a zoned
        # column is formatted through its naive view (the same UTC values), not zone by zone.
        text = pc.cast(pc.cast(column, pa.timestamp(type_.unit)), pa.string())
        text = pc.replace_substring(text, " ", "T", max_replacements=1)
        return pc.binary_join_element_wise(text, "+00:00", "") if type_.tz is not None else text
    if pa.types.is_null(type_):
        return pc.cast(column, pa.string())
    if pa.types.is_dictionary(type_):
        return as_text(pc.cast(column, type_.value_type))
    return pc.cast(column, pa.string())


def _typed(table: pa.Table, spec: FieldSpec, field_name: str) -> pa.ChunkedArray | None:
    """The source column itself when it is already a time the staging SQL can take typed, else None."""
    if spec.how not in ("column", "first_of"):
        return None
    present = [c for c in spec.columns if c in table.column_names]
    if not present:
        return None
    column = table[present[0]]
    type_ = column.type
    if field_name in TIME_FIELDS and pa.types.is_timestamp(type_):
        return column
    if field_name in DATE_FIELDS and (pa.types.is_date(type_) or (pa.types.is_timestamp(type_) and type_.tz is None)):
        return column
    return None


def _column(table: pa.Table, spec: FieldSpec, field_name: str, where: str) -> pa.ChunkedArray:
    n = table.num_rows
    if spec.how == "value":
        return pa.chunked_array([pa.array([spec.value] * n, pa.string())])
    present = [c for c in spec.columns if c in table.column_names]
    if spec.how == "first_of":
        if not present:
            return pa.chunked_array([pa.nulls(n, pa.string())])
        return as_text(table[present[0]])
    missing = [c for c in spec.columns if c not in table.column_names]
    if missing:
        raise SourceError(f"{where}: column {', '.join(repr(c) for c in missing)} (for {field_name}) "
                          f"is not in the data; columns are: {', '.join(table.column_names[:40])}")
    if spec.how == "join":
        # A blank part leaves the whole value empty: 'T1' + '' is not the key 'T1-'.
        parts = [_nullify(as_text(table[c]), ()) for c in spec.columns]
        return pc.binary_join_element_wise(*parts, spec.sep)
    return as_text(table[spec.columns[0]])


def _nullify(column: pa.ChunkedArray, null_values: tuple[str, ...]) -> pa.ChunkedArray:
    """Blank text (empty or only whitespace) and the mapping's null values become null; others stay as they are."""
    blank = pc.or_(pc.equal(column, ""), pc.utf8_is_space(column))   # no trimmed copy of every value
    if null_values:
        listed = pc.is_in(pc.utf8_trim_whitespace(column), value_set=pa.array(list(null_values), pa.string()))
        blank = pc.or_(blank, listed)
    if not pc.any(blank).as_py():
        return column
    return pc.if_else(blank, pa.scalar(None, pa.string()), column)


def _map_values(column: pa.ChunkedArray, table: dict[str, str]) -> pa.ChunkedArray:
    keys = pa.array(list(table), pa.string())
    values = pa.array(list(table.values()), pa.string())
    idx = pc.index_in(pc.utf8_trim_whitespace(column), value_set=keys)
    return pc.coalesce(pc.take(values, idx), column)


def slug(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A unit-code-safe form of a name: upper case, runs of anything but letters and digits become '_'."""
    upper = pc.utf8_upper(pc.utf8_trim_whitespace(column))
    return pc.utf8_trim(pc.replace_substring_regex(upper, r"[^\pL\pN]+", "_"), "_")


def _units(levels: list[pa.ChunkedArray], root_code: str, root_name: str) -> tuple[pa.ChunkedArray, pa.Table]:
    """Codes for a hierarchy of source values under the root: ROOT-AGENCY, ROOT-AGENCY.SUBUNIT, ..."""
    n = len(levels[0]) if levels else 0
    codes: list[pa.ChunkedArray] = []
    parent = pa.chunked_array([pa.array([root_code] * n, pa.string())])
    rows = {root_code: (root_name, None, 1)}
    unit_code = pa.chunked_array([pa.nulls(n, pa.string())])
    for depth, names in enumerate(levels):
        part = slug(names)
        part = pc.if_else(pc.equal(part, ""), pa.scalar(None, pa.string()), part)
        sep = "-" if depth == 0 else "."
        code = pc.binary_join_element_wise(parent, part, sep)
        codes.append(code)
        pairs = pa.table({"code": code, "name": pc.utf8_trim_whitespace(names), "parent": parent}).group_by(use_threads=False, keys=
            ["code"]).aggregate([("name", "first"), ("parent", "first")])
        for c, nm, par in zip(pairs["code"].to_pylist(), pairs["name_first"].to_pylist(),
                              pairs["parent_first"].to_pylist()):
            if c is not None:
                rows.setdefault(c, (nm, par, depth + 2))
        unit_code = pc.coalesce(code, unit_code)
        parent = pc.coalesce(code, parent)
    units = pa.table({
        "unit_code": pa.array(list(rows), pa.string()),
        "name": pa.array([r[0] for r in rows.values()], pa.string()),
        "parent_code": pa.array([r[1] for r in rows.values()], pa.string()),
        "level": pa.array([r[2] for r in rows.values()], pa.int32()),
    })
    return unit_code, units


def apply(mapping: Mapping, table: pa.Table, where: str, positions: pa.Array | None = None) -> Mapped:
    """The canonical columns of a batch; `positions` numbers its records (default: 0 .. n-1)."""
    target = entity(mapping.entity)
    n = table.num_rows
    columns: dict[str, pa.ChunkedArray] = {}
    for name in target.fields:
        spec = mapping.fields.get(name)
        if spec is None:
            columns[name] = pa.chunked_array([pa.nulls(n, pa.string())])
            continue
        typed = None if name in mapping.values or name in target.key else _typed(table, spec, name)
        if typed is not None:
            columns[name] = typed
            continue
        column = _column(table, spec, name, where)
        if spec.how != "value":
            column = _nullify(column, mapping.null_values)
        if name in mapping.values:
            column = _map_values(column, mapping.values[name])
        columns[name] = column
    present = {name for name, spec in mapping.fields.items()
               if spec.how == "value" or any(c in table.column_names for c in spec.columns)}
    units = None
    rule = mapping.create_units
    if rule is not None:
        if mapping.entity == "event":
            unit_tables = []
            for name in ("case_unit", "org_group"):
                code, unit_table = _units([columns[name]], rule.root_code, rule.root_name)
                columns[name] = code
                unit_tables.append(unit_table)
            units = pa.concat_tables(unit_tables)
        else:
            specs = rule.levels or ((mapping.fields["unit_code"],) if "unit_code" in mapping.fields else ())
            if not specs:
                raise SourceError(f"{where}: create_units needs levels or a mapped unit_code")
            levels = [_nullify(_column(table, s, "unit_code", where), mapping.null_values) for s in specs]
            columns["unit_code"], units = _units(levels, rule.root_code, rule.root_name)
    key = [columns[k] for k in target.key]
    columns[KEY] = key[0] if len(key) == 1 else pc.binary_join_element_wise(*key, "#")
    columns[ROW_NUMBER] = pa.chunked_array([row_numbers(n) if positions is None else positions])
    return Mapped(table=pa.table(columns), units=units, present=present)


def missing_columns(mapping: Mapping, table: pa.Table) -> list[str]:
    """Source columns the mapping needs that the data lacks (first_of alternatives are optional)."""
    names = set(table.column_names)
    needed = [c for spec in mapping.fields.values() if spec.how in ("column", "join") for c in spec.columns]
    if mapping.create_units is not None:
        needed += [c for spec in mapping.create_units.levels if spec.how in ("column", "join") for c in spec.columns]
    return sorted({c for c in needed if c not in names})
