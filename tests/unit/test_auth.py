"""Pure parts of the viewer model: role abilities, the row filter parameters, unit paths, name masking."""
from __future__ import annotations

import pytest

from dashboard.auth import Viewer, mask_name, path_in_scope, scope_params, shown_name


def viewer(role: str, scope=("B03",), person_id=None, mask_names=False) -> Viewer:
    return Viewer("u", "U", role, tuple(scope), person_id=person_id, mask_names=mask_names)


@pytest.mark.parametrize("role, export, decide, admin, read_only, own_only", [
    ("admin", True, True, True, False, False),
    ("leader", False, False, False, False, False),
    ("supervisor", True, True, False, False, False),
    ("staff", False, False, False, False, True),
    ("display", False, False, False, True, False),
])
def test_role_abilities(role, export, decide, admin, read_only, own_only):
    v = viewer(role)
    assert (v.can_export, v.can_decide, v.is_admin, v.read_only, v.own_items_only) == (
        export, decide, admin, read_only, own_only)


@pytest.mark.parametrize("role, person, expected", [
    pytest.param("supervisor", "P07", {"scope": ["B03"], "own_person": None}, id="supervisor-sees-units"),
    pytest.param("leader", None, {"scope": ["B03"], "own_person": None}, id="leader-sees-units"),
    pytest.param("staff", "P07", {"scope": ["B03"], "own_person": "P07"}, id="staff-sees-own-items"),
])
def test_scope_params(role, person, expected):
    assert scope_params(viewer(role, person_id=person)) == expected


def test_staff_without_a_person_id_sees_nothing_rather_than_everything():
    own = scope_params(viewer("staff", person_id=None))["own_person"]
    assert own is not None and own.startswith("\x00")


@pytest.mark.parametrize("path, expected", [
    pytest.param("/C/B03/", True, id="the-unit"),
    pytest.param("/C/B03/D0301/", True, id="below"),
    pytest.param("/C/", False, id="above"),
    pytest.param("/C/B01/D0103/", False, id="sibling"),
    pytest.param("/C/B031/", False, id="prefix-is-not-a-segment"),
    pytest.param("", False, id="empty"),
    pytest.param(None, False, id="none"),
    pytest.param("/C/B01/' or 1=1 --/", False, id="sql"),
])
def test_path_in_scope(path, expected):
    assert path_in_scope(viewer("supervisor"), path) is expected


@pytest.mark.parametrize("name, masked", [
    ("张三", "张*"), ("欧阳娜娜", "欧***"), ("李", "李*"), ("", ""), (None, ""),
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_shown_name_masks_only_for_masked_viewers():
    assert shown_name(viewer("display", mask_names=True), "赵敏") == "赵*"
    assert shown_name(viewer("supervisor"), "赵敏") == "赵敏"
