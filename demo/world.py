"""The demo organisation: a unit tree with its people, for a city (~40 units) or a province (~3,000 units)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from demo import names, strings

SIZES = ("city", "province")
PERSONS = {"city": 800, "province": 200_000}
JOB_CATEGORIES = ("执法类", "服务类", "管理类")
SERVICE_FUNCS = frozenset({"hrss", "data", "hotline", "health", "edu", "transport", "nature", "street", "civil",
                           "housing", "water", "agri", "culture", "commerce"})
# Units whose work is registering documents or taking calls: not owners of work orders or late by habit.
NOT_ROUTED = frozenset({"office", "hotline", "gov", "district"})


@dataclass
class Org:
    """Units and persons as frames (OA column names), plus index arrays for vectorised assignment."""

    size: str
    seed: int
    scale: float
    units: pd.DataFrame    # unit_code, unit_name, unit_name_en, parent_code, unit_level, func, lateness
    persons: pd.DataFrame  # person_id, person_name, unit_code, job_category, difficulty, pace; by unit order

    @cached_property
    def index(self) -> OrgIndex:
        return OrgIndex(self)


class OrgIndex:
    """Integer arrays over the unit tree: who works where, children, offices, and units per function."""

    def __init__(self, org: Org):
        units, persons = org.units, org.persons
        self.n_units = len(units)
        self.unit_code = units["unit_code"].to_numpy(dtype=object)
        self.unit_bytes = np.array([c.encode() for c in self.unit_code])
        position = {code: i for i, code in enumerate(self.unit_code)}
        self.parent = np.array([position.get(p, -1) if isinstance(p, str) else -1 for p in units["parent_code"]])
        self.level = units["unit_level"].to_numpy()
        self.func = units["func"].to_numpy(dtype=object)
        self.lateness = units["lateness"].to_numpy(dtype=float)

        person_unit = np.array([position[c] for c in persons["unit_code"]], dtype=np.int64)
        if np.any(np.diff(person_unit) < 0):
            raise ValueError("persons must be ordered by unit")
        self.person_count = np.bincount(person_unit, minlength=self.n_units)
        self.person_start = np.concatenate([[0], np.cumsum(self.person_count)[:-1]])
        self.person_unit = person_unit
        self.person_bytes = np.array([p.encode() for p in persons["person_id"]])
        self.pace = persons["pace"].to_numpy(dtype=float)

        has_parent = self.parent >= 0
        order = np.argsort(self.parent[has_parent], kind="stable")
        self.children = np.flatnonzero(has_parent)[order]
        self.child_count = np.bincount(self.parent[has_parent], minlength=self.n_units)
        self.child_start = np.concatenate([[0], np.cumsum(self.child_count)[:-1]])

        # The office that registers a unit's documents: its child with function "office", else itself.
        self.office = np.arange(self.n_units)
        for child in np.flatnonzero(self.func == "office"):
            self.office[self.parent[child]] = child

        # Document owners: units with children below the top level (bureaus, districts, departments).
        self.doc_units = np.flatnonzero((self.child_count > 0) & (self.level > 1) & (self.person_count > 0))
        if self.doc_units.size == 0:
            self.doc_units = np.flatnonzero(self.person_count > 0)
        subtree = self.person_count.astype(float).copy()
        for u in np.argsort(-self.level):
            if self.parent[u] >= 0:
                subtree[self.parent[u]] += subtree[u]
        self.doc_weights = subtree[self.doc_units] ** 0.8
        self.doc_weights /= self.doc_weights.sum()

        routed = np.array([f not in NOT_ROUTED for f in self.func]) & (self.person_count > 0)
        self.routed_units = np.flatnonzero(routed)
        self.func_units: dict[str, np.ndarray] = {}
        for f in set(self.func):
            members = np.flatnonzero((self.func == f) & (self.person_count > 0))
            if members.size:
                self.func_units[f] = members
        hotline = np.flatnonzero(self.func == "hotline")
        self.hotline = int(hotline[0]) if hotline.size else -1
        self.areas = tuple(sorted({str(n).removesuffix("人民政府") for n, f in zip(units["unit_name"], self.func)
                                   if f == "district"})) or ("本市",)

    def random_person(self, unit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        unit = np.asarray(unit)
        return self.person_start[unit] + (rng.random(unit.size) * self.person_count[unit]).astype(np.int64)

    def random_child(self, unit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random child of each unit, or the unit itself when it has none."""
        unit = np.asarray(unit)
        count = self.child_count[unit]
        pick = self.child_start[unit] + (rng.random(unit.size) * np.maximum(count, 1)).astype(np.int64)
        return np.where(count > 0, self.children[np.minimum(pick, max(len(self.children) - 1, 0))], unit)

    def units_for(self, funcs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A unit of the given function for each item (weighted by staff), else any routed unit."""
        funcs = np.asarray(funcs, dtype=object)
        out = np.empty(funcs.size, dtype=np.int64)
        for f in sorted(set(funcs)):  # a fixed order: the draws must not depend on string hashing
            rows = np.flatnonzero(funcs == f)
            pool = self.func_units.get(f)
            if pool is None:
                pool = self.func_units.get("street", self.routed_units)
            weights = self.person_count[pool].astype(float)
            out[rows] = pool[rng.choice(pool.size, size=rows.size, p=weights / weights.sum())]
        return out


def build_org(size: str = "city", seed: int = 0, scale: float = 1.0) -> Org:
    """The unit tree and its staff for `size`; `scale` shrinks or grows staff (and the province's tree)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    rng = np.random.default_rng([seed, 1])
    rows = _city_units() if size == "city" else _province_units(scale, rng)
    units = pd.DataFrame(rows, columns=["unit_code", "unit_name", "unit_name_en", "parent_code", "unit_level", "func"])
    parents = set(units["parent_code"].dropna())
    leaf = ~units["unit_code"].isin(parents).to_numpy()
    func = units["func"].to_numpy(dtype=object)

    lateness = np.clip(rng.lognormal(0.0, 0.1, len(units)), 0.8, 1.25)
    candidates = np.flatnonzero(leaf & np.array([f not in NOT_ROUTED for f in func]))
    chronic = rng.choice(candidates, size=max(3, round(0.06 * candidates.size)), replace=False)
    lateness[chronic] = rng.uniform(1.8, 2.4, chronic.size)
    units["lateness"] = np.round(lateness, 3)

    persons = _persons(units, leaf, round(PERSONS[size] * scale), rng)
    return Org(size=size, seed=seed, scale=scale, units=units, persons=persons)


def _city_units() -> list[tuple]:
    level = {}
    rows = []
    for code, name, name_en, parent, func in names.CITY_UNITS:
        level[code] = 1 if parent is None else level[parent] + 1
        rows.append((code, name, name_en, parent, level[code], func))
    return rows


def _province_units(scale: float, rng: np.random.Generator) -> list[tuple]:
    rows: list[tuple] = [("P", "云江省人民政府", "Yunjiang Provincial People's Government", None, 1, "gov")]
    n_departments = max(2, round(len(names.PROVINCE_DEPARTMENTS) * scale))
    for i in range(n_departments):
        name, name_en, func = names.PROVINCE_DEPARTMENTS[i % len(names.PROVINCE_DEPARTMENTS)]
        code = f"T{i + 1:02d}"
        rows.append((code, name, name_en, "P", 2, func))
        rows.append((f"{code}01", "办公室", "General Office", code, 3, "office"))
        for j, (division, division_en) in enumerate(names.DIVISIONS[:7]):
            rows.append((f"{code}{j + 2:02d}", f"{division}处", f"{division_en} Division", code, 3, func))
    n_cities = max(1, round(14 * scale))
    for i in range(n_cities):
        city, city_en = names.PREFECTURES[i % len(names.PREFECTURES)]
        code = f"S{i + 1:02d}"
        rows.append((code, f"{city}市人民政府", f"{city_en} Municipal People's Government", "P", 2, "gov"))
        for j, (bureau, bureau_en, func) in enumerate(names.CITY_BUREAUS):
            b_code = f"{code}{j + 1:02d}"
            rows.append((b_code, f"{city}{bureau}", f"{city_en} {bureau_en}", code, 3, func))
            rows.append((f"{b_code}01", "办公室", "General Office", b_code, 4, "office"))
            if func == "data":
                second = [("12345热线中心", "12345 Hotline Centre", "hotline"), ("政务服务科", "Services Section", func)]
            elif func in names.ENFORCEMENT_FUNCS:
                second = [("综合执法支队", "Enforcement Detachment", func)]
                division, division_en = names.DIVISIONS[j % len(names.DIVISIONS)]
                second.append((f"{division}科", f"{division_en} Section", func))
            else:
                second = []
                for k in range(2):
                    division, division_en = names.DIVISIONS[(j + 3 * k) % len(names.DIVISIONS)]
                    second.append((f"{division}科", f"{division_en} Section", func))
            for k, (d_name, d_en, d_func) in enumerate(second):
                rows.append((f"{b_code}{k + 2:02d}", d_name, d_en, b_code, 4, d_func))
        for j in range(8):
            d_code = f"{code}{31 + j:02d}"
            county = j >= 6
            place = rng.choice(names.PLACE_FIRST) + rng.choice(names.PLACE_SECOND)
            kind, kind_en = ("县", "County") if county else ("区", "District")
            rows.append((d_code, f"{place}{kind}人民政府", f"{kind_en} {d_code} People's Government", code, 3, "district"))
            rows.append((f"{d_code}01", f"{kind}政府办公室", f"{kind_en} Government Office", d_code, 4, "office"))
            for k in range(6):
                town = rng.choice(names.PLACE_FIRST) + rng.choice(names.PLACE_SECOND)
                s_name, s_en = ("镇人民政府", "Town") if county else ("街道办事处", "Subdistrict")
                rows.append((f"{d_code}{k + 2:02d}", f"{town}{s_name}", f"{s_en} {d_code}{k + 2:02d}", d_code, 4,
                             "street"))
    return rows


def _persons(units: pd.DataFrame, leaf: np.ndarray, total: int, rng: np.random.Generator) -> pd.DataFrame:
    func = units["func"].to_numpy(dtype=object)
    level = units["unit_level"].to_numpy()
    base = np.where(level == 1, 8.0, np.where(~leaf, 8.0, 22.0))
    base = np.where(leaf & (func == "street"), 40.0, base)
    base = np.where(leaf & np.isin(func, list(names.ENFORCEMENT_FUNCS)), 35.0, base)
    base = np.where(leaf & (func == "office"), 14.0, base)
    base = np.where(leaf & (func == "hotline"), 30.0, base)
    weight = base * rng.lognormal(0.0, 0.25, len(units))
    counts = np.maximum(2, np.round(weight / weight.sum() * total)).astype(np.int64)
    unit_of = np.repeat(np.arange(len(units)), counts)
    n = unit_of.size

    # Job category: enforcement fields mostly 执法类, service fields 服务类, leadership and offices 管理类.
    probs = np.tile([0.02, 0.18, 0.80], (len(units), 1))
    probs[np.array([f in SERVICE_FUNCS for f in func])] = [0.10, 0.60, 0.30]
    probs[np.isin(func, list(names.ENFORCEMENT_FUNCS))] = [0.75, 0.10, 0.15]
    probs[~leaf] = [0.05, 0.10, 0.85]
    cumulative = np.cumsum(probs, axis=1)[unit_of]
    category = (rng.random(n)[:, None] > cumulative).sum(axis=1).clip(0, 2)

    leader = ~leaf[unit_of]
    difficulty = np.array([1.12, 1.04, 1.0])[category] + 0.08 * leader + rng.normal(0.0, 0.07, n)
    difficulty = np.round(np.clip(difficulty, 0.9, 1.3) * 20) / 20

    surname_weights = np.array([w for _, w in names.SURNAMES])
    surname = rng.choice(len(names.SURNAMES), size=n, p=surname_weights / surname_weights.sum())
    female = rng.random(n) < 0.45
    two = rng.random(n) < 0.72
    male_pool, female_pool = len(names.GIVEN_MALE), len(names.GIVEN_FEMALE)
    first = np.where(female, rng.integers(0, female_pool, n), rng.integers(0, male_pool, n))
    second = np.where(female, rng.integers(0, female_pool, n), rng.integers(0, male_pool, n))
    given_first = np.where(female, strings.pick(names.GIVEN_FEMALE, first % female_pool),
                           strings.pick(names.GIVEN_MALE, first % male_pool))
    given_second = np.where(female, strings.pick(names.GIVEN_FEMALE, second % female_pool),
                            strings.pick(names.GIVEN_MALE, second % male_pool))
    person_name = strings.concat(strings.pick([s for s, _ in names.SURNAMES], surname), given_first,
                                 np.where(two, given_second, b""))

    numbers = rng.permutation(n) + 100_001
    return pd.DataFrame({
        "person_id": strings.series(strings.concat("P", strings.number(numbers, 6))),
        "person_name": strings.series(person_name),
        "unit_code": units["unit_code"].to_numpy(dtype=object)[unit_of],
        "job_category": np.array(JOB_CATEGORIES, dtype=object)[category],
        "difficulty": difficulty,
        "pace": np.round(rng.lognormal(0.0, 0.2, n), 3),
    })
