"""The app database: password hashing, lock-out, sessions, the append-only audit trail, accounts and decisions."""
from __future__ import annotations

import io
import sqlite3
from contextlib import redirect_stdout
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher

from dashboard import appdb
from dashboard.auth import Viewer

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 16, 9, 0, tzinfo=TZ)
PASSWORD = "correct horse battery"

ADMIN = Viewer("root", "管理员", "admin", ("C",))
SUPERVISOR_B03 = Viewer("sup", "督查员", "supervisor", ("B03",))
LEADER = Viewer("lead", "领导", "leader", ("C",))
STAFF = Viewer("staff", "工作人员", "staff", ("B03",), person_id="P07")
WALL = Viewer("wall", "大屏", "display", ("C",), mask_names=True)


@pytest.fixture(autouse=True)
def app_db(tmp_path, monkeypatch):
    """A fresh app database per test, with a cheap hasher so tests stay fast."""
    path = tmp_path / "app.sqlite"
    monkeypatch.setenv("XIAONENG_APP_DB", str(path))
    monkeypatch.setenv("XIAONENG_DB", str(tmp_path / "none.duckdb"))
    monkeypatch.setattr(appdb, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    return path


def make_user(username="alice", role="supervisor", scope=("B03",), password=PASSWORD, **extra):
    return appdb.create_user(None, username, display_name=username, role=role, scope=scope, password=password,
                             at=T0, **extra)


def login(username="alice", password=PASSWORD, at=T0):
    return appdb.login(username, password, at=at, max_failures=5, lock_minutes=15)


def raw(app_db) -> sqlite3.Connection:
    return sqlite3.connect(str(app_db))


# ---- schema


def test_database_is_created_in_wal_mode_with_the_contracted_decision_columns(app_db):
    with appdb.connect() as con:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert con.execute("pragma user_version").fetchone()[0] == len(appdb.MIGRATIONS)
        columns = [r["name"] for r in con.execute("pragma table_info(decision)")]
    assert columns == ["decision_id", "kind", "item_id", "decision_type", "reason_code", "note", "decided_by",
                       "decided_at", "revoked_at", "revoked_by"]
    assert app_db.stat().st_mode & 0o077 == 0, "password hashes must not be readable by other users"


def test_migrating_twice_changes_nothing(app_db):
    make_user()
    with appdb.connect() as con:
        assert appdb.migrate(con) == len(appdb.MIGRATIONS)
    assert appdb.get_account("alice") is not None


# ---- hashing


def test_password_is_stored_as_an_argon2id_hash_never_in_clear(app_db):
    make_user()
    stored = raw(app_db).execute("select password_hash from users").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PASSWORD.encode() not in app_db.read_bytes()


def test_right_password_signs_in_and_wrong_one_does_not():
    make_user()
    assert login().ok
    assert login(password=PASSWORD + "x").reason == "bad_credentials"
    assert login(username="ALICE").ok, "user names are case-insensitive"


def test_a_hash_with_outdated_parameters_is_upgraded_at_sign_in(app_db, monkeypatch):
    make_user()
    old = raw(app_db).execute("select password_hash from users").fetchone()[0]
    monkeypatch.setattr(appdb, "HASHER", PasswordHasher(time_cost=2, memory_cost=128, parallelism=1))
    assert login().ok
    new = raw(app_db).execute("select password_hash from users").fetchone()[0]
    assert new != old and "t=2" in new


@pytest.mark.parametrize("password, username", [
    pytest.param("short", "alice", id="too-short"),
    pytest.param("alice-is-great-2026", "alice", id="contains-user-name"),
])
def test_weak_passwords_are_refused(password, username):
    with pytest.raises(appdb.InvalidInput):
        make_user(username=username, password=password)


def test_unknown_user_gets_the_same_answer_as_a_wrong_password_and_is_audited():
    make_user()
    assert login(username="mallory").reason == login(password="nope-nope-nope").reason == "bad_credentials"
    failed = appdb.audit_entries(action="login_failed")
    assert {e["detail"]["reason"] for e in failed} == {"unknown_user", "bad_password"}
    assert all(e["outcome"] == "failed" for e in failed)


# ---- lock-out


def test_five_wrong_passwords_lock_the_account_until_the_lock_time_passes():
    make_user()
    for minute in range(4):
        assert login(password="wrong-password", at=T0 + timedelta(minutes=minute)).reason == "bad_credentials"
    fifth = login(password="wrong-password", at=T0 + timedelta(minutes=4))
    assert fifth.reason == "locked"
    assert fifth.locked_until == T0 + timedelta(minutes=4 + 15)
    # While locked even the right password is refused, without being checked.
    assert login(at=T0 + timedelta(minutes=18)).reason == "locked"
    assert login(at=T0 + timedelta(minutes=19)).ok
    assert appdb.get_account("alice").failed_count == 0
    actions = [e["action"] for e in reversed(appdb.audit_entries(username="alice"))]
    assert actions.count("login_failed") == 5
    assert "account_locked" in actions and "login_refused_locked" in actions


def test_a_success_resets_the_failure_count():
    make_user()
    for _ in range(4):
        login(password="wrong-password")
    assert login().ok
    for _ in range(4):
        assert login(password="wrong-password").reason == "bad_credentials"


def test_an_administrator_can_unlock_early():
    make_user()
    make_user("root", role="admin", scope=("*",))
    for _ in range(5):
        login(password="wrong-password")
    assert login().reason == "locked"
    appdb.unlock(ADMIN, "alice", at=T0)
    assert login().ok


def test_a_disabled_account_cannot_sign_in():
    make_user()
    make_user("root", role="admin", scope=("*",))
    appdb.set_disabled(ADMIN, "alice", True, at=T0)
    assert not login().ok
    appdb.set_disabled(ADMIN, "alice", False, at=T0)
    assert login().ok


# ---- sessions


def test_a_session_ends_after_the_idle_time():
    make_user()
    sid = appdb.start_session("alice", "password", at=T0, max_hours=12)
    assert appdb.check_session(sid, at=T0 + timedelta(minutes=29), idle_minutes=30)[1] == "ok"
    # That click moved 'last seen' forward: 29 more minutes are still fine.
    assert appdb.check_session(sid, at=T0 + timedelta(minutes=58), idle_minutes=30)[1] == "ok"
    assert appdb.check_session(sid, at=T0 + timedelta(minutes=89), idle_minutes=30) == (None, "idle")
    assert appdb.check_session(sid, at=T0 + timedelta(minutes=90), idle_minutes=30) == (None, "idle")


def test_a_session_ends_at_its_absolute_expiry_even_when_active():
    make_user()
    sid = appdb.start_session("alice", "password", at=T0, max_hours=2)
    for minutes in range(10, 120, 10):
        assert appdb.check_session(sid, at=T0 + timedelta(minutes=minutes), idle_minutes=30)[1] == "ok"
    assert appdb.check_session(sid, at=T0 + timedelta(hours=2), idle_minutes=30) == (None, "expired")


def test_logout_disabling_and_password_reset_end_sessions():
    make_user()
    make_user("root", role="admin", scope=("*",))
    first = appdb.start_session("alice", "password", at=T0, max_hours=12)
    appdb.end_session(first, "logout", at=T0)
    assert appdb.check_session(first, at=T0, idle_minutes=30) == (None, "logout")

    second = appdb.start_session("alice", "password", at=T0, max_hours=12)
    appdb.set_password(ADMIN, "alice", "another long password", at=T0)
    assert appdb.check_session(second, at=T0, idle_minutes=30) == (None, "password")

    third = appdb.start_session("alice", "password", at=T0, max_hours=12)
    appdb.set_disabled(ADMIN, "alice", True, at=T0)
    assert appdb.check_session(third, at=T0, idle_minutes=30) == (None, "disabled")
    assert appdb.check_session("no-such-session", at=T0, idle_minutes=30) == (None, "unknown")


def test_changing_ones_own_password_needs_the_current_one():
    make_user()
    alice = Viewer("alice", "alice", "supervisor", ("B03",))
    with pytest.raises(appdb.PermissionDenied):
        appdb.set_password(alice, "alice", "a brand new secret", current_password="guess-guess", at=T0)
    appdb.set_password(alice, "alice", "a brand new secret", current_password=PASSWORD, at=T0)
    assert login(password="a brand new secret").ok
    with pytest.raises(appdb.PermissionDenied):
        appdb.set_password(alice, "root", "a brand new secret", at=T0)


# ---- kiosk tokens


def test_kiosk_token_is_stored_only_as_a_hash_and_rotation_revokes_the_old_one(app_db):
    make_user("wall", role="display", scope=("C",), password=None)
    token = appdb.rotate_kiosk_token(None, "wall", at=T0)
    assert token.encode() not in app_db.read_bytes()
    account = appdb.account_for_kiosk_token(token)
    assert account.username == "wall" and account.mask_names and account.board == "wall"
    sid = appdb.start_session("wall", "kiosk", at=T0, max_hours=None)
    # Wall screens do not idle out.
    assert appdb.check_session(sid, at=T0 + timedelta(days=3), idle_minutes=30)[1] == "ok"
    newer = appdb.rotate_kiosk_token(None, "wall", at=T0)
    assert appdb.account_for_kiosk_token(token) is None
    assert appdb.account_for_kiosk_token(newer).username == "wall"
    assert appdb.check_session(sid, at=T0, idle_minutes=30) == (None, "token")


@pytest.mark.parametrize("token", ["", "x" * 500, "' or 1=1 --"], ids=["empty", "oversized", "sql"])
def test_bad_kiosk_tokens_match_nothing(token):
    make_user("wall", role="display", scope=("C",), password=None)
    appdb.rotate_kiosk_token(None, "wall", at=T0)
    assert appdb.account_for_kiosk_token(token) is None


def test_only_display_accounts_get_kiosk_tokens():
    make_user()
    with pytest.raises(appdb.InvalidInput):
        appdb.rotate_kiosk_token(None, "alice", at=T0)


# ---- audit log


def test_audit_log_refuses_update_and_delete(app_db):
    appdb.audit("alice", "export", {"rows": 3}, at=T0)
    con = raw(app_db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("update audit_log set action = 'nothing'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("delete from audit_log")
    assert [e["action"] for e in appdb.audit_entries()] == ["export"]
    public = [name for name in dir(appdb) if not name.startswith("_")]
    assert not [name for name in public if "audit" in name and any(w in name for w in ("delete", "update", "edit"))]


def test_the_hash_chain_finds_a_row_changed_behind_the_triggers(app_db):
    for n in range(4):
        appdb.audit("alice", f"action_{n}", {"n": n}, at=T0 + timedelta(minutes=n))
    assert appdb.verify_audit_chain() is None
    con = raw(app_db)
    con.execute("drop trigger audit_log_no_update")
    con.execute("update audit_log set detail = '{\"n\": 99}' where seq = 3")
    con.commit()
    assert appdb.verify_audit_chain() == 3


def test_audit_entries_filter_and_keep_the_detail_and_the_time_with_offset():
    appdb.audit(ADMIN, "user_created", {"user": "bob"}, at=T0)
    appdb.audit("bob", "login_failed", {"reason": "bad_password"}, "failed", at=T0 + timedelta(minutes=1))
    entries = appdb.audit_entries(outcome="failed")
    assert [(e["username"], e["detail"]) for e in entries] == [("bob", {"reason": "bad_password"})]
    assert entries[0]["at"] == "2026-03-16T09:01:00+08:00"
    assert [e["action"] for e in appdb.audit_entries(username="ROOT")] == ["user_created"]
    with pytest.raises(ValueError):
        appdb.audit("bob", "x", outcome="maybe", at=T0)


# ---- account management


@pytest.mark.parametrize("viewer", [SUPERVISOR_B03, LEADER, STAFF, WALL], ids=lambda v: v.role)
def test_only_administrators_manage_accounts(viewer):
    make_user()
    with pytest.raises(appdb.PermissionDenied):
        appdb.create_user(viewer, "eve", display_name="eve", role="admin", scope=("*",), password=PASSWORD)
    with pytest.raises(appdb.PermissionDenied):
        appdb.update_user(viewer, "alice", role="admin")
    with pytest.raises(appdb.PermissionDenied):
        appdb.set_disabled(viewer, "alice", True)
    with pytest.raises(appdb.PermissionDenied):
        appdb.set_password(viewer, "alice", "a brand new secret")


def test_account_rules():
    make_user("root", role="admin", scope=("*",))
    with pytest.raises(appdb.InvalidInput, match="person"):
        make_user("s1", role="staff", scope=("B03",))
    with pytest.raises(appdb.InvalidInput):
        make_user("s2", role="supervisor", scope=("*",))
    with pytest.raises(appdb.InvalidInput):
        make_user("s3", role="leader", scope=())
    with pytest.raises(appdb.InvalidInput):
        make_user("has space")
    with pytest.raises(appdb.InvalidInput, match="taken"):
        make_user("ROOT")
    with pytest.raises(appdb.InvalidInput):
        appdb.update_user(ADMIN, "root", role="leader")
    with pytest.raises(appdb.InvalidInput):
        appdb.set_disabled(ADMIN, "root", True)


def test_update_records_what_changed():
    make_user()
    make_user("root", role="admin", scope=("*",))
    account = appdb.update_user(ADMIN, "alice", role="leader", scope=["C"], at=T0)
    assert (account.role, account.scope) == ("leader", ("C",))
    entry = appdb.audit_entries(action="user_updated")[0]
    assert entry["username"] == "root"
    assert entry["detail"]["changes"]["role"] == {"from": "supervisor", "to": "leader"}
    assert "mask_names" not in entry["detail"]["changes"]


# ---- decisions


def allow(*_):
    return True


def deny(*_):
    return False


def test_a_supervisor_records_and_revokes_an_exemption_for_an_item_in_scope(app_db):
    decision_id = appdb.record_decision(SUPERVISOR_B03, "request", "RQ-1", "exempted", "force_majeure",
                                        "暴雨停工，经批准容错", in_scope=allow, at=T0)
    [row] = appdb.decisions_for("request", "RQ-1")
    assert row == {"decision_id": decision_id, "kind": "request", "item_id": "RQ-1", "decision_type": "exempted",
                   "reason_code": "force_majeure", "note": "暴雨停工，经批准容错", "decided_by": "sup",
                   "decided_at": "2026-03-16T09:00:00+08:00", "revoked_at": None, "revoked_by": None}
    with pytest.raises(appdb.InvalidInput, match="active"):
        appdb.record_decision(SUPERVISOR_B03, "request", "RQ-1", "exempted", "x", "again", in_scope=allow, at=T0)
    appdb.revoke_decision(SUPERVISOR_B03, decision_id, in_scope=allow, at=T0 + timedelta(hours=1))
    [row] = appdb.decisions_for("request", "RQ-1")
    assert (row["revoked_by"], row["revoked_at"]) == ("sup", "2026-03-16T10:00:00+08:00")
    with pytest.raises(appdb.InvalidInput, match="revoked"):
        appdb.revoke_decision(SUPERVISOR_B03, decision_id, in_scope=allow, at=T0)
    # The pipelines read the same rows with plain sqlite3, read-only.
    ro = sqlite3.connect(f"file:{app_db}?mode=ro", uri=True)
    assert ro.execute("select decision_type, revoked_by from decision").fetchall() == [("exempted", "sup")]
    actions = [e["action"] for e in appdb.audit_entries(username="sup")]
    assert actions == ["decision_revoked", "decision_recorded"]


def test_a_supervisor_cannot_decide_outside_their_units_and_the_attempt_is_audited():
    with pytest.raises(appdb.PermissionDenied):
        appdb.record_decision(SUPERVISOR_B03, "milestone", "MS-9", "appeal_upheld", "data_error", "n",
                              in_scope=deny, at=T0)
    assert appdb.decisions_for("milestone", "MS-9") == []
    [entry] = appdb.audit_entries(action="decision_denied")
    assert entry["outcome"] == "denied" and entry["detail"]["item_id"] == "MS-9"


@pytest.mark.parametrize("viewer", [LEADER, STAFF, WALL], ids=lambda v: v.role)
def test_only_supervisors_and_administrators_decide(viewer):
    with pytest.raises(appdb.PermissionDenied):
        appdb.record_decision(viewer, "request", "RQ-1", "exempted", "x", "note", in_scope=allow, at=T0)


def test_an_administrator_decides_anywhere_and_revokes_a_supervisors_decision():
    decision_id = appdb.record_decision(SUPERVISOR_B03, "document", "DOC-1", "exempted", "x", "note",
                                        in_scope=allow, at=T0)
    appdb.revoke_decision(ADMIN, decision_id, in_scope=deny, at=T0)
    assert appdb.decisions_for("document", "DOC-1")[0]["revoked_by"] == "root"
    appdb.record_decision(ADMIN, "document", "DOC-2", "appeal_upheld", "x", "note", in_scope=deny, at=T0)


@pytest.mark.parametrize("kind, decision_type, reason, note", [
    pytest.param("invoice", "exempted", "x", "n", id="unknown-kind"),
    pytest.param("request", "forgiven", "x", "n", id="unknown-type"),
    pytest.param("request", "exempted", "", "n", id="no-reason"),
    pytest.param("request", "exempted", "x", "   ", id="no-note"),
    pytest.param("request", "exempted", "x", "长" * 2001, id="oversized-note"),
])
def test_decisions_with_bad_fields_are_refused(kind, decision_type, reason, note):
    with pytest.raises(appdb.InvalidInput):
        appdb.record_decision(ADMIN, kind, "RQ-1", decision_type, reason, note, at=T0)


def test_decision_rows_cannot_be_deleted_or_rewritten_only_revoked_once(app_db):
    appdb.record_decision(ADMIN, "request", "RQ-1", "exempted", "x", "note", at=T0)
    con = raw(app_db)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("delete from decision")
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("update decision set note = 'rewritten'")
    con.execute("update decision set revoked_at = '2026-03-16T10:00:00+08:00', revoked_by = 'root'")
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("update decision set revoked_at = null, revoked_by = null")


def test_scope_is_judged_from_the_published_warehouse_not_from_the_caller(seeded_warehouse, monkeypatch):
    from tests.fixtures import warehouse as fixture
    monkeypatch.setenv("XIAONENG_DB", str(seeded_warehouse))
    in_b03 = next(i for i in fixture.ITEMS if i.unit.startswith("D03"))
    in_b01 = next(i for i in fixture.ITEMS if i.unit.startswith("D01"))
    assert appdb.item_in_scope(SUPERVISOR_B03, in_b03.kind, in_b03.item_id)
    assert not appdb.item_in_scope(SUPERVISOR_B03, in_b01.kind, in_b01.item_id)
    # A unit code passed along by a tampered page does not widen the scope of a known item.
    assert not appdb.item_in_scope(SUPERVISOR_B03, in_b01.kind, in_b01.item_id, item_unit_code="D0301")
    # An item the warehouse does not know yet is judged by the unit given, through the unit tree.
    assert appdb.item_in_scope(SUPERVISOR_B03, "request", "RQ-NEW", item_unit_code="D0302")
    assert not appdb.item_in_scope(SUPERVISOR_B03, "request", "RQ-NEW", item_unit_code="B01")
    assert not appdb.item_in_scope(SUPERVISOR_B03, "request", "RQ-NEW")
    appdb.record_decision(SUPERVISOR_B03, in_b03.kind, in_b03.item_id, "exempted", "x", "note", at=T0)
    with pytest.raises(appdb.PermissionDenied):
        appdb.record_decision(SUPERVISOR_B03, in_b01.kind, in_b01.item_id, "exempted", "x", "note",
                              item_unit_code="D0301", at=T0)


# ---- demo accounts and the command line

UNITS = appdb.DemoUnits("C", "B03", "市市场监管局", "P07", "赵敏")


def test_demo_accounts_one_per_role_can_sign_in_and_reinstalling_resets_them():
    accounts = appdb.install_demo_accounts(UNITS, at=T0)
    assert sorted(a["role"] for a in accounts) == sorted(appdb.ROLES)
    for spec in accounts:
        account = appdb.get_account(spec["username"])
        assert account.is_demo
        if spec["role"] != "display":
            assert login(spec["username"], appdb.DEMO_PASSWORD).ok
    assert appdb.get_account("demo_staff").person_id == "P07"
    assert appdb.get_account("demo_supervisor").scope == ("B03",)
    assert appdb.account_for_kiosk_token(appdb.DEMO_KIOSK_TOKEN).username == "demo_wall"
    for _ in range(5):
        login("demo_leader", "wrong-password")
    assert login("demo_leader", appdb.DEMO_PASSWORD).reason == "locked"
    appdb.install_demo_accounts(UNITS, at=T0)
    assert login("demo_leader", appdb.DEMO_PASSWORD).ok


def test_demo_install_never_touches_a_real_account_of_the_same_name():
    make_user("demo_admin", role="admin", scope=("*",))
    with pytest.raises(appdb.InvalidInput, match="not a demo account"):
        appdb.install_demo_accounts(UNITS, at=T0)
    assert login("demo_admin").ok


def test_cli_init_demo_prints_the_credentials_and_add_user_reads_the_password_from_stdin(monkeypatch):
    out = io.StringIO()
    with redirect_stdout(out):
        assert appdb._cli(["init", "--demo", "--city", "C", "--bureau", "B03", "--person", "P07"]) == 0
    text = out.getvalue()
    assert "DEMO ACCOUNTS" in text and appdb.DEMO_PASSWORD in text and appdb.DEMO_KIOSK_TOKEN in text
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    with redirect_stdout(io.StringIO()):
        assert appdb._cli(["add-user", "chief", "--role", "admin", "--scope", "*", "--password-stdin"]) == 0
    assert login("chief").ok
    with redirect_stdout(io.StringIO()):
        assert appdb._cli(["verify-audit"]) == 0


def test_cli_demo_without_any_unit_source_fails_with_advice(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XIAONENG_DEMO_DIR", str(tmp_path / "no-demo"))
    assert appdb._cli(["init", "--demo"]) == 2
    assert "--city" in capsys.readouterr().err


def test_demo_units_come_from_the_published_warehouse(seeded_warehouse, monkeypatch):
    monkeypatch.setenv("XIAONENG_DB", str(seeded_warehouse))
    units = appdb._demo_units_from_warehouse()
    # B01 has the most people (four) in the seeded city; its first person is P01.
    assert (units.city, units.bureau, units.bureau_name, units.person) == ("C", "B01", "市发展改革委", "P01")


def test_demo_units_fall_back_to_the_demo_oa_database(tmp_path, monkeypatch):
    demo = tmp_path / "demo"
    demo.mkdir()
    con = sqlite3.connect(demo / "oa.sqlite")
    con.execute("create table org_unit (unit_code text primary key, unit_name text, parent_code text, "
                "unit_level int, updated_at text)")
    con.execute("create table org_person (person_id text primary key, person_name text, unit_code text, "
                "job_category text, difficulty real, updated_at text)")
    con.executemany("insert into org_unit values (?, ?, ?, ?, '')", [
        ("C", "示范市", None, 1), ("B1", "一局", "C", 2), ("B2", "二局", "C", 2),
        ("B2D1", "二局一处", "B2", 3), ("B2D1S1", "二局一处一科", "B2D1", 4)])
    # People only two levels below the bureau: the count must reach them.
    con.executemany("insert into org_person values (?, ?, ?, '管理类', 1.0, '')", [
        ("P9", "甲", "B1"), ("P2", "乙", "B2D1S1"), ("P3", "丙", "B2D1S1")])
    con.commit()
    con.close()
    monkeypatch.setenv("XIAONENG_DEMO_DIR", str(demo))
    assert appdb._demo_units_from_oa() == appdb.DemoUnits("C", "B2", "二局", "P2", "乙")
