"""The demo organisation: a three-level city of about forty units and eight hundred people, and a province."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from demo import world


def test_city_tree_has_three_levels_and_about_forty_units(city_org):
    units = city_org.units
    assert 35 <= len(units) <= 50
    assert units["unit_code"].is_unique
    assert sorted(units["unit_level"].unique()) == [1, 2, 3]
    root = units.loc[units["parent_code"].isna()]
    assert root["unit_name"].tolist() == ["江州市人民政府"]
    parents = units.set_index("unit_code")["unit_level"]
    children = units.dropna(subset=["parent_code"])
    assert (children["unit_level"].to_numpy() == parents[children["parent_code"]].to_numpy() + 1).all()
    assert {"市住房和城乡建设局", "市政务服务和数据管理局", "清河区人民政府", "清河街道办事处"} <= set(units["unit_name"])


def test_city_people_have_names_categories_and_difficulty(city_org):
    persons = city_org.persons
    assert 750 <= len(persons) <= 850
    assert persons["person_id"].is_unique
    assert persons["person_name"].map(lambda n: re.fullmatch(r"[\u4e00-\u9fff]{2,4}", n) is not None).all()
    assert persons["person_name"].nunique() > 0.8 * len(persons)
    shares = persons["job_category"].value_counts(normalize=True)
    assert set(shares.index) == {"执法类", "服务类", "管理类"} and shares.min() > 0.1
    assert persons["difficulty"].between(0.9, 1.3).all() and persons["difficulty"].nunique() >= 5
    staff = persons["unit_code"].value_counts()
    assert set(staff.index) == set(city_org.units["unit_code"]) and staff.min() >= 2


def test_a_few_units_are_late_by_habit(city_org):
    late = city_org.units.loc[city_org.units["lateness"] >= 1.8]
    assert 2 <= len(late) <= 5
    assert (late["unit_level"] == 3).all()


def test_the_same_seed_builds_the_same_organisation():
    first, again, other = world.build_org("city", 5), world.build_org("city", 5), world.build_org("city", 6)
    pd.testing.assert_frame_equal(first.persons, again.persons)
    pd.testing.assert_frame_equal(first.units, again.units)
    assert not first.persons["person_name"].equals(other.persons["person_name"])


def test_a_scaled_down_province_keeps_its_shape():
    org = world.build_org("province", seed=1, scale=0.02)
    assert sorted(org.units["unit_level"].unique()) == [1, 2, 3, 4]
    assert org.units["unit_code"].is_unique
    assert 150 <= len(org.units) <= 400
    assert 3_000 <= len(org.persons) <= 5_000
    assert org.units["unit_name"].str.contains("街道办事处|镇人民政府").sum() >= 6
    index = org.index
    assert index.hotline >= 0 and index.doc_units.size > 10


def test_unknown_sizes_are_refused():
    with pytest.raises(ValueError, match="size"):
        world.build_org("country")


def test_assignment_helpers_stay_inside_the_tree(city_org):
    index = city_org.index
    rng = np.random.default_rng(0)
    units = np.repeat(index.doc_units, 50)
    people = index.random_person(units, rng)
    assert np.array_equal(index.person_unit[people], units)
    children = index.random_child(units, rng)
    assert np.array_equal(index.parent[children], units)
    routed = index.units_for(np.array(["street"] * 200, dtype=object), rng)
    assert set(index.func[routed]) == {"street"}
