"""The app database: accounts, sign-in sessions, exemptions and appeals, and the append-only audit log.

One SQLite file (XIAONENG_APP_DB, WAL mode) written only by the dashboard. The pipelines read
its `decision` table with the stdlib sqlite3 module and copy it into the warehouse before each
lights run, so a rerun of the pipelines can never lose a decision.

Every function that changes something checks the caller's permission itself and writes an
audit row in the same transaction, so a page that forgets a check cannot skip the trail.
The statements are short, parameterised and kept beside the function that runs them: this
store is transactional bookkeeping, not an analytical query layer.

Command line:
    python -m dashboard.appdb init [--demo] [--city CODE --bureau CODE --person ID]
    python -m dashboard.appdb add-user USERNAME --role ROLE --scope CODE[,CODE] [--person ID]
    python -m dashboard.appdb verify-audit
"""
from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import json
import os
import secrets
import sqlite3
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard import clock, settings

ROLES = ("admin", "leader", "supervisor", "staff", "display")
DECISION_TYPES = ("exempted", "appeal_upheld")
ITEM_KINDS = ("document", "document_step", "milestone", "request")
ALL_UNITS = "*"                       # scope entry meaning every root of the unit tree
MIN_PASSWORD_LENGTH = 10
MAX_NOTE_LENGTH = 2000
MAX_NAME_LENGTH = 64

# Replaced by tests with a cheap hasher; production keeps argon2-cffi's recommended parameters.
HASHER = PasswordHasher()
# Verifying against this when the account does not exist keeps the answer time the same,
# so response time does not tell which user names exist.
_DUMMY_HASH = HASHER.hash("not-a-password-" + secrets.token_hex(8))

DEMO_PASSWORD = "xiaoneng-demo"
DEMO_KIOSK_TOKEN = "demo-wall-screen"


class PermissionDenied(PermissionError):
    """The viewer's role or scope does not allow this action."""


class InvalidInput(ValueError):
    """A value a person entered cannot be accepted; the message says why."""


class ViewerLike(Protocol):
    username: str
    role: str
    scope: tuple[str, ...]


def zone() -> ZoneInfo:
    return clock.zone()


def now() -> datetime:
    """The current time, aware, in the configured zone; XIAONENG_NOW freezes it."""
    return clock.now()


def _stamp(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("times in the app database must be aware")
    return at.astimezone(zone()).isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# Each migration is a list of single statements, applied once in order; PRAGMA user_version
# records how far a file has come. Never edit a released migration: append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        create table users (
            username            text primary key collate nocase,
            display_name        text not null,
            role                text not null check (role in ('admin','leader','supervisor','staff','display')),
            scope               text not null default '[]',     -- JSON list of unit codes, '*' = every root
            person_id           text,
            password_hash       text,                           -- argon2id; null: cannot sign in by password
            failed_count        integer not null default 0,
            locked_until        text,
            kiosk_token_hash    text unique,                    -- sha256 of the wall-screen token
            mask_names          integer not null default 0,
            board               text,                           -- display accounts: the one board they show
            is_demo             integer not null default 0,
            created_at          text not null,
            created_by          text,
            password_changed_at text,
            disabled_at         text,
            disabled_by         text
        )
        """,
        """
        create table sessions (
            session_id    text primary key,
            username      text not null collate nocase,
            method        text not null,                        -- password | kiosk | header | oidc
            created_at    text not null,
            last_seen_at  text not null,
            expires_at    text,                                 -- absolute end; null for wall screens
            ended_at      text,
            end_reason    text                                  -- logout | idle | expired | disabled | password | token
        )
        """,
        "create index sessions_by_user on sessions (username, ended_at)",
        """
        create table audit_log (
            seq       integer primary key autoincrement,
            at        text not null,
            username  text,
            action    text not null,
            detail    text not null default '{}',                -- JSON object
            outcome   text not null check (outcome in ('ok','denied','failed')),
            prev_hash text not null,
            row_hash  text not null
        )
        """,
        """
        create trigger audit_log_no_update before update on audit_log
        begin select raise(abort, 'audit_log is append-only'); end
        """,
        """
        create trigger audit_log_no_delete before delete on audit_log
        begin select raise(abort, 'audit_log is append-only'); end
        """,
        """
        create table decision (
            decision_id   text primary key,
            kind          text not null,
            item_id       text not null,
            decision_type text not null check (decision_type in ('exempted','appeal_upheld')),
            reason_code   text,
            note          text,
            decided_by    text,
            decided_at    text not null,
            revoked_at    text,
            revoked_by    text
        )
        """,
        "create index decision_by_item on decision (kind, item_id)",
        # A decision is never deleted or rewritten; the one allowed change is its revocation.
        """
        create trigger decision_no_delete before delete on decision
        begin select raise(abort, 'decisions are never deleted; revoke instead'); end
        """,
        """
        create trigger decision_revoke_only before update on decision
        when old.revoked_at is not null
          or new.revoked_at is null
          or new.decision_id is not old.decision_id or new.kind is not old.kind
          or new.item_id is not old.item_id or new.decision_type is not old.decision_type
          or new.reason_code is not old.reason_code or new.note is not old.note
          or new.decided_by is not old.decided_by or new.decided_at is not old.decided_at
        begin select raise(abort, 'a decision can only be revoked, once'); end
        """,
    ),
)

_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def db_path() -> Path:
    return settings.path("XIAONENG_APP_DB")


def _open(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    con.row_factory = sqlite3.Row
    con.execute("pragma busy_timeout = 10000")
    con.execute("pragma foreign_keys = on")
    return con


def migrate(con: sqlite3.Connection) -> int:
    """Bring the file's schema up to the newest migration; returns the schema version."""
    con.execute("pragma journal_mode = wal")
    con.execute("begin immediate")
    try:
        version = con.execute("pragma user_version").fetchone()[0]
        for number, statements in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            for statement in statements:
                con.execute(statement)
            # PRAGMA takes no parameters; the value is our own integer.
            con.execute(f"pragma user_version = {int(number)}")
            version = number
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return version


@contextlib.contextmanager
def connect(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A connection to the app database, created and migrated on first use."""
    path = Path(path or db_path())
    key = str(path.resolve())
    if key not in _migrated:
        with _migrate_lock:
            if key not in _migrated:
                path.parent.mkdir(parents=True, exist_ok=True)
                con = _open(path)
                try:
                    migrate(con)
                finally:
                    con.close()
                if os.name == "posix":
                    # Password hashes and the audit trail: readable by the service account only.
                    with contextlib.suppress(OSError):
                        os.chmod(path, 0o600)
                _migrated.add(key)
    con = _open(path)
    try:
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def _write(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """One write transaction; BEGIN IMMEDIATE so the audit chain is read and extended atomically."""
    with connect(path) as con:
        con.execute("begin immediate")
        try:
            yield con
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def _row_hash(prev_hash: str, at: str, username: str | None, action: str, detail: str, outcome: str) -> str:
    payload = json.dumps([prev_hash, at, username, action, detail, outcome], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _audit(con: sqlite3.Connection, who: ViewerLike | str | None, action: str, detail: dict | None,
           outcome: str, at: datetime) -> None:
    username = who if isinstance(who, str) or who is None else who.username
    if username is not None:
        username = username[:MAX_NAME_LENGTH]
    detail_text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
    last = con.execute("select row_hash from audit_log order by seq desc limit 1").fetchone()
    prev_hash = last[0] if last else ""
    stamp = _stamp(at)
    con.execute(
        "insert into audit_log (at, username, action, detail, outcome, prev_hash, row_hash) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        (stamp, username, action, detail_text, outcome, prev_hash,
         _row_hash(prev_hash, stamp, username, action, detail_text, outcome)),
    )


def audit(viewer_or_username: ViewerLike | str | None, action: str, detail: dict | None = None,
          outcome: str = "ok", *, at: datetime | None = None, path: Path | None = None) -> None:
    """Append one row to the audit log (who, what, detail as JSON, ok | denied | failed)."""
    if outcome not in ("ok", "denied", "failed"):
        raise ValueError(f"unknown audit outcome {outcome!r}")
    with _write(path) as con:
        _audit(con, viewer_or_username, action, detail, outcome, at or now())


def audit_entries(*, username: str | None = None, action: str | None = None, outcome: str | None = None,
                  since: datetime | None = None, limit: int = 500, path: Path | None = None) -> list[dict]:
    """Newest audit rows first, filtered; detail decoded from JSON."""
    with connect(path) as con:
        rows = con.execute(
            "select seq, at, username, action, detail, outcome from audit_log "
            "where (?1 is null or username = ?1 collate nocase) and (?2 is null or action = ?2) "
            "and (?3 is null or outcome = ?3) "
            "order by seq desc limit ?4",
            (username or None, action or None, outcome or None, int(limit)),
        ).fetchall()
    entries = []
    for row in rows:
        entry = dict(row)
        entry["detail"] = json.loads(entry["detail"])
        if since is not None and _parse(entry["at"]) < since:
            continue
        entries.append(entry)
    return entries


def audit_actions(path: Path | None = None) -> list[str]:
    with connect(path) as con:
        return [r[0] for r in con.execute("select distinct action from audit_log order by action")]


def verify_audit_chain(path: Path | None = None) -> int | None:
    """Recompute the hash chain; returns the seq of the first row that was altered, or None if intact."""
    prev_hash = ""
    with connect(path) as con:
        for row in con.execute(
                "select seq, at, username, action, detail, outcome, prev_hash, row_hash "
                "from audit_log order by seq"):
            expected = _row_hash(prev_hash, row["at"], row["username"], row["action"], row["detail"],
                                 row["outcome"])
            if row["prev_hash"] != prev_hash or row["row_hash"] != expected:
                return row["seq"]
            prev_hash = row["row_hash"]
    return None


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    scope: tuple[str, ...]
    person_id: str | None
    mask_names: bool
    board: str | None
    is_demo: bool
    failed_count: int
    locked_until: datetime | None
    disabled_at: datetime | None
    has_password: bool
    has_kiosk_token: bool
    created_at: datetime
    password_changed_at: datetime | None

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and at < self.locked_until


def _account(row: sqlite3.Row) -> Account:
    return Account(
        username=row["username"], display_name=row["display_name"], role=row["role"],
        scope=tuple(json.loads(row["scope"] or "[]")), person_id=row["person_id"],
        mask_names=bool(row["mask_names"]), board=row["board"], is_demo=bool(row["is_demo"]),
        failed_count=row["failed_count"], locked_until=_parse(row["locked_until"]),
        disabled_at=_parse(row["disabled_at"]), has_password=row["password_hash"] is not None,
        has_kiosk_token=row["kiosk_token_hash"] is not None, created_at=_parse(row["created_at"]),
        password_changed_at=_parse(row["password_changed_at"]),
    )


def _require_admin(viewer: ViewerLike) -> None:
    if viewer.role != "admin":
        raise PermissionDenied("only administrators manage accounts")


def _clean_username(username: str) -> str:
    username = (username or "").strip()
    if not username or len(username) > MAX_NAME_LENGTH or any(c.isspace() or ord(c) < 32 for c in username):
        raise InvalidInput("用户名须为 1–64 个字符，不含空格 / a user name is 1–64 characters without spaces")
    return username


def _clean_scope(role: str, scope: Iterable[str]) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip() for c in scope if c and c.strip()))
    if any(len(c) > MAX_NAME_LENGTH for c in codes):
        raise InvalidInput("单位编码过长 / a unit code is too long")
    if ALL_UNITS in codes and role not in ("admin", "leader", "display"):
        raise InvalidInput("只有管理员、领导和大屏账户可看全部单位 / only admin, leader and display accounts "
                           "may see every unit")
    if not codes and role != "admin":
        raise InvalidInput("请至少指定一个单位 / give at least one unit code")
    return codes or (ALL_UNITS,)


def check_password_strength(password: str, username: str = "") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符 / a password has at least "
                           f"{MIN_PASSWORD_LENGTH} characters")
    if username and username.casefold() in password.casefold():
        raise InvalidInput("密码不能包含用户名 / a password must not contain the user name")


def get_account(username: str, path: Path | None = None) -> Account | None:
    with connect(path) as con:
        row = con.execute("select * from users where username = ?", ((username or "").strip(),)).fetchone()
    return _account(row) if row else None


def list_accounts(path: Path | None = None) -> list[Account]:
    with connect(path) as con:
        return [_account(r) for r in con.execute("select * from users order by role, username")]


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(viewer: ViewerLike | None, username: str, *, display_name: str, role: str,
                scope: Iterable[str], person_id: str | None = None, password: str | None = None,
                mask_names: bool | None = None, board: str | None = None, is_demo: bool = False,
                at: datetime | None = None, path: Path | None = None) -> Account:
    """Create an account. `viewer` None means the command line (the operator of the machine)."""
    at = at or now()
    if viewer is not None:
        _require_admin(viewer)
    username = _clean_username(username)
    if role not in ROLES:
        raise InvalidInput(f"未知角色 / unknown role {role!r}")
    scope = _clean_scope(role, scope)
    if role == "staff" and not person_id:
        raise InvalidInput("工作人员账户须关联人员编号 / a staff account needs a person id")
    if password is not None and not is_demo:
        check_password_strength(password, username)
    display_name = (display_name or username).strip()[:MAX_NAME_LENGTH]
    if mask_names is None:
        mask_names = role == "display"
    if role == "display":
        board = board or "wall"
    actor = viewer.username if viewer is not None else "(command line)"
    with _write(path) as con:
        if con.execute("select 1 from users where username = ?", (username,)).fetchone():
            raise InvalidInput(f"用户名已存在 / the user name {username} is taken")
        con.execute(
            "insert into users (username, display_name, role, scope, person_id, password_hash, mask_names, "
            "board, is_demo, created_at, created_by, password_changed_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (username, display_name, role, json.dumps(list(scope)), person_id or None,
             HASHER.hash(password) if password else None, int(mask_names), board, int(is_demo),
             _stamp(at), actor, _stamp(at) if password else None),
        )
        _audit(con, actor, "user_created",
               {"user": username, "role": role, "scope": list(scope), "person_id": person_id,
                "demo": is_demo}, "ok", at)
    return get_account(username, path)


def update_user(viewer: ViewerLike, username: str, *, display_name: str | None = None,
                role: str | None = None, scope: Iterable[str] | None = None, person_id: str | None = None,
                mask_names: bool | None = None, board: str | None = None,
                at: datetime | None = None, path: Path | None = None) -> Account:
    """Change an account's name, role, scope, person or masking; takes effect on the user's next click."""
    at = at or now()
    _require_admin(viewer)
    current = get_account(username, path)
    if current is None:
        raise InvalidInput(f"没有此用户 / no user {username}")
    new_role = role or current.role
    if new_role not in ROLES:
        raise InvalidInput(f"未知角色 / unknown role {new_role!r}")
    if current.username.casefold() == viewer.username.casefold() and new_role != "admin":
        raise InvalidInput("不能取消自己的管理员角色 / you cannot remove your own admin role")
    new_scope = _clean_scope(new_role, current.scope if scope is None else scope)
    new_person = current.person_id if person_id is None else (person_id.strip() or None)
    if new_role == "staff" and not new_person:
        raise InvalidInput("工作人员账户须关联人员编号 / a staff account needs a person id")
    changes = {
        "display_name": (display_name.strip()[:MAX_NAME_LENGTH] if display_name else current.display_name),
        "role": new_role, "scope": new_scope, "person_id": new_person,
        "mask_names": current.mask_names if mask_names is None else bool(mask_names),
        "board": current.board if board is None else (board or None),
    }
    before = {"display_name": current.display_name, "role": current.role, "scope": current.scope,
              "person_id": current.person_id, "mask_names": current.mask_names, "board": current.board}
    diff = {k: {"from": before[k], "to": v} for k, v in changes.items() if before[k] != v}
    with _write(path) as con:
        con.execute(
            "update users set display_name = ?, role = ?, scope = ?, person_id = ?, mask_names = ?, board = ? "
            "where username = ?",
            (changes["display_name"], changes["role"], json.dumps(list(changes["scope"])), changes["person_id"],
             int(changes["mask_names"]), changes["board"], current.username),
        )
        _audit(con, viewer, "user_updated", {"user": current.username, "changes": diff}, "ok", at)
    return get_account(username, path)


def set_disabled(viewer: ViewerLike, username: str, disabled: bool, *, at: datetime | None = None,
                 path: Path | None = None) -> None:
    """Disable (ends every open session at once) or re-enable an account."""
    at = at or now()
    _require_admin(viewer)
    if username.casefold() == viewer.username.casefold() and disabled:
        raise InvalidInput("不能停用自己的账户 / you cannot disable your own account")
    with _write(path) as con:
        if not con.execute("select 1 from users where username = ?", (username,)).fetchone():
            raise InvalidInput(f"没有此用户 / no user {username}")
        if disabled:
            con.execute("update users set disabled_at = ?, disabled_by = ? where username = ? and disabled_at is null",
                        (_stamp(at), viewer.username, username))
            _end_sessions(con, username, "disabled", at)
        else:
            con.execute("update users set disabled_at = null, disabled_by = null, failed_count = 0, "
                        "locked_until = null where username = ?", (username,))
        _audit(con, viewer, "user_disabled" if disabled else "user_enabled", {"user": username}, "ok", at)


def set_password(viewer: ViewerLike | None, username: str, new_password: str, *,
                 current_password: str | None = None, at: datetime | None = None,
                 path: Path | None = None) -> None:
    """An admin resets anyone's password; a user changes their own by giving the current one."""
    at = at or now()
    own = viewer is not None and viewer.username.casefold() == username.casefold()
    if viewer is not None and not own:
        _require_admin(viewer)
    check_password_strength(new_password, username)
    with _write(path) as con:
        row = con.execute("select username, password_hash from users where username = ?", (username,)).fetchone()
        if row is None:
            raise InvalidInput(f"没有此用户 / no user {username}")
        if own:
            if not _verify(row["password_hash"], current_password or ""):
                _audit(con, viewer, "password_change_failed", {"user": row["username"]}, "failed", at)
                raise PermissionDenied("当前密码不正确 / the current password is wrong")
        con.execute("update users set password_hash = ?, password_changed_at = ?, failed_count = 0, "
                    "locked_until = null where username = ?",
                    (HASHER.hash(new_password), _stamp(at), row["username"]))
        _end_sessions(con, row["username"], "password", at, only_method="password")
        _audit(con, viewer.username if viewer else "(command line)",
               "password_changed" if own else "password_reset", {"user": row["username"]}, "ok", at)


def unlock(viewer: ViewerLike, username: str, *, at: datetime | None = None, path: Path | None = None) -> None:
    at = at or now()
    _require_admin(viewer)
    with _write(path) as con:
        con.execute("update users set failed_count = 0, locked_until = null where username = ?", (username,))
        _audit(con, viewer, "account_unlocked", {"user": username}, "ok", at)


def rotate_kiosk_token(viewer: ViewerLike | None, username: str, *, token: str | None = None,
                       at: datetime | None = None, path: Path | None = None) -> str:
    """Give a display account a new wall-screen token; returns it (shown once, only its hash is kept)."""
    at = at or now()
    if viewer is not None:
        _require_admin(viewer)
    token = token or secrets.token_urlsafe(24)
    with _write(path) as con:
        row = con.execute("select username, role from users where username = ?", (username,)).fetchone()
        if row is None:
            raise InvalidInput(f"没有此用户 / no user {username}")
        if row["role"] != "display":
            raise InvalidInput("只有大屏账户可用令牌登录 / only display accounts sign in by token")
        con.execute("update users set kiosk_token_hash = ? where username = ?", (_hash_token(token), row["username"]))
        _end_sessions(con, row["username"], "token", at, only_method="kiosk")
        _audit(con, viewer.username if viewer else "(command line)", "kiosk_token_rotated",
               {"user": row["username"]}, "ok", at)
    return token


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(password_hash or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str                         # ok | bad_credentials | locked | disabled | no_password
    account: Account | None = None
    locked_until: datetime | None = None


def login(username: str, password: str, *, at: datetime, max_failures: int, lock_minutes: float,
          path: Path | None = None) -> LoginResult:
    """Check a password; count failures and lock the account for `lock_minutes` after `max_failures`."""
    username = (username or "").strip()[:MAX_NAME_LENGTH]
    with connect(path) as con:
        row = con.execute("select * from users where username = ?", (username,)).fetchone()
    if row is None:
        _verify(None, password)
        audit(username or None, "login_failed", {"reason": "unknown_user"}, "failed", at=at, path=path)
        return LoginResult(False, "bad_credentials")
    account = _account(row)
    if account.is_disabled:
        _verify(None, password)
        audit(account.username, "login_failed", {"reason": "disabled"}, "denied", at=at, path=path)
        return LoginResult(False, "bad_credentials")
    if account.is_locked(at):
        # No password check while locked: guessing during the lock teaches nothing.
        audit(account.username, "login_refused_locked", {"locked_until": _stamp(account.locked_until)},
              "denied", at=at, path=path)
        return LoginResult(False, "locked", locked_until=account.locked_until)
    if not _verify(row["password_hash"], password):
        with _write(path) as con:
            failed = con.execute("update users set failed_count = failed_count + 1 where username = ? "
                                 "returning failed_count", (account.username,)).fetchone()[0]
            _audit(con, account.username, "login_failed", {"reason": "bad_password", "failed_count": failed},
                   "failed", at)
            if failed >= max_failures:
                until = at + timedelta(minutes=lock_minutes)
                con.execute("update users set failed_count = 0, locked_until = ? where username = ?",
                            (_stamp(until), account.username))
                _audit(con, account.username, "account_locked",
                       {"failures": failed, "locked_until": _stamp(until)}, "denied", at)
                return LoginResult(False, "locked", locked_until=until)
        return LoginResult(False, "bad_credentials")
    with _write(path) as con:
        new_hash = HASHER.hash(password) if HASHER.check_needs_rehash(row["password_hash"]) else row["password_hash"]
        con.execute("update users set failed_count = 0, locked_until = null, password_hash = ? where username = ?",
                    (new_hash, account.username))
    return LoginResult(True, "ok", get_account(account.username, path))


def account_for_kiosk_token(token: str, path: Path | None = None) -> Account | None:
    """The enabled display account whose wall-screen token this is, or None."""
    if not token or len(token) > 200:
        return None
    with connect(path) as con:
        row = con.execute("select * from users where kiosk_token_hash = ? and role = 'display' "
                          "and disabled_at is null", (_hash_token(token),)).fetchone()
    return _account(row) if row else None


def start_session(username: str, method: str, *, at: datetime, max_hours: float | None,
                  detail: dict | None = None, path: Path | None = None) -> str:
    """Open a session and audit the sign-in; returns the session id kept in the viewer's Streamlit session."""
    session_id = secrets.token_urlsafe(24)
    expires = _stamp(at + timedelta(hours=max_hours)) if max_hours else None
    with _write(path) as con:
        con.execute("insert into sessions (session_id, username, method, created_at, last_seen_at, expires_at) "
                    "values (?, ?, ?, ?, ?, ?)",
                    (session_id, username, method, _stamp(at), _stamp(at), expires))
        _audit(con, username, "login", {"method": method, **(detail or {})}, "ok", at)
    return session_id


def check_session(session_id: str, *, at: datetime, idle_minutes: float | None, touch: bool = True,
                  path: Path | None = None) -> tuple[Account | None, str]:
    """Validate a session and (with `touch`) mark it seen; returns (account, 'ok') or (None, why it ended)."""
    with connect(path) as con:
        row = con.execute("select s.*, u.disabled_at from sessions as s left join users as u "
                          "on u.username = s.username where s.session_id = ?", (session_id,)).fetchone()
    if row is None:
        return None, "unknown"
    if row["ended_at"]:
        return None, row["end_reason"] or "ended"
    reason = None
    if row["disabled_at"] is not None:
        reason = "disabled"
    elif row["expires_at"] and at >= _parse(row["expires_at"]):
        reason = "expired"
    elif idle_minutes and row["method"] != "kiosk" and at - _parse(row["last_seen_at"]) >= timedelta(minutes=idle_minutes):
        reason = "idle"
    if reason:
        end_session(session_id, reason, at=at, path=path)
        return None, reason
    # Writing on every click would churn the file; a minute's precision is enough for idle expiry.
    if touch and at - _parse(row["last_seen_at"]) >= timedelta(seconds=60):
        with _write(path) as con:
            con.execute("update sessions set last_seen_at = ? where session_id = ?", (_stamp(at), session_id))
    return get_account(row["username"], path), "ok"


def _end_sessions(con: sqlite3.Connection, username: str, reason: str, at: datetime,
                  only_method: str | None = None) -> None:
    con.execute("update sessions set ended_at = ?, end_reason = ? where username = ? and ended_at is null "
                "and (?4 is null or method = ?4)", (_stamp(at), reason, username, only_method))


def end_session(session_id: str, reason: str, *, at: datetime, path: Path | None = None) -> None:
    with _write(path) as con:
        row = con.execute("update sessions set ended_at = ?, end_reason = ? where session_id = ? "
                          "and ended_at is null returning username, method",
                          (_stamp(at), reason, session_id)).fetchone()
        if row is not None:
            _audit(con, row["username"], "logout" if reason == "logout" else "session_ended",
                   {"method": row["method"], "reason": reason}, "ok", at)


def end_user_sessions(viewer: ViewerLike, username: str, *, at: datetime | None = None,
                      path: Path | None = None) -> None:
    """An administrator signs a user out everywhere."""
    at = at or now()
    _require_admin(viewer)
    with _write(path) as con:
        _end_sessions(con, username, "admin", at)
        _audit(con, viewer, "sessions_ended", {"user": username}, "ok", at)


def open_sessions(path: Path | None = None) -> list[dict]:
    with connect(path) as con:
        return [dict(r) for r in con.execute(
            "select session_id, username, method, created_at, last_seen_at, expires_at from sessions "
            "where ended_at is null order by last_seen_at desc")]


InScope = Callable[[str, str, str | None], bool]


def _unit_ancestors(unit_code: str) -> set[str] | None:
    """The unit and every unit above it, read from the published warehouse; None if it is unknown."""
    from dashboard import db
    try:
        con = db.connection(db.current_snapshot()).cursor()
    except db.NoData:
        return None
    try:
        rows = con.execute("select ancestor_code from dim_unit_ancestor where unit_code = ?", [unit_code]).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows} or None


def _item_unit(kind: str, item_id: str) -> str | None:
    from dashboard import db
    try:
        con = db.connection(db.current_snapshot()).cursor()
    except db.NoData:
        return None
    try:
        row = con.execute("select unit_code from item_light where kind = ? and item_id = ?",
                          [kind, item_id]).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def item_in_scope(viewer: ViewerLike, kind: str, item_id: str, item_unit_code: str | None = None) -> bool:
    """True when the item's unit lies in one of the viewer's subtrees, judged from the published warehouse.

    The item's own unit is looked up in the warehouse; a unit given by the caller is used only
    when the warehouse does not know the item (so a tampered argument cannot widen the scope).
    """
    if ALL_UNITS in viewer.scope:
        return True
    unit = _item_unit(kind, item_id) or item_unit_code
    if not unit:
        return False
    ancestors = _unit_ancestors(unit) or {unit}
    return bool(ancestors & set(viewer.scope))


def _check_decider(viewer: ViewerLike, kind: str, item_id: str, item_unit_code: str | None,
                   in_scope: InScope | None) -> None:
    if viewer.role == "admin":
        return
    if viewer.role != "supervisor":
        raise PermissionDenied("只有督查人员和管理员可记录免责或申诉结论 / only supervisors and administrators "
                               "record exemptions and appeals")
    check = in_scope or (lambda k, i, u: item_in_scope(viewer, k, i, u))
    if not check(kind, item_id, item_unit_code):
        raise PermissionDenied("此事项不在您的督查范围内 / this item is outside your units")


def record_decision(viewer: ViewerLike, kind: str, item_id: str, decision_type: str, reason_code: str,
                    note: str, *, item_unit_code: str | None = None, in_scope: InScope | None = None,
                    at: datetime | None = None, path: Path | None = None) -> str:
    """Record an exemption (容错免责) or an upheld appeal (申诉复核); returns the decision id.

    Only administrators, and supervisors for items in their units, may decide. `in_scope`
    (kind, item_id, item_unit_code) -> bool replaces the warehouse lookup, e.g. in tests.
    """
    at = at or now()
    detail = {"kind": kind, "item_id": item_id, "decision_type": decision_type, "reason_code": reason_code}
    try:
        if kind not in ITEM_KINDS:
            raise InvalidInput(f"未知事项类型 / unknown item kind {kind!r}")
        if decision_type not in DECISION_TYPES:
            raise InvalidInput(f"未知决定类型 / unknown decision type {decision_type!r}")
        if not item_id or len(item_id) > 200:
            raise InvalidInput("事项编号无效 / invalid item id")
        if not (reason_code or "").strip() or len(reason_code) > MAX_NAME_LENGTH:
            raise InvalidInput("请选择理由 / choose a reason")
        note = (note or "").strip()
        if not note:
            raise InvalidInput("请写明依据 / write down the grounds for this decision")
        if len(note) > MAX_NOTE_LENGTH:
            raise InvalidInput(f"说明不超过 {MAX_NOTE_LENGTH} 字 / the note is at most {MAX_NOTE_LENGTH} characters")
        _check_decider(viewer, kind, item_id, item_unit_code, in_scope)
    except PermissionDenied as denied:
        audit(viewer, "decision_denied", {**detail, "why": str(denied)}, "denied", at=at, path=path)
        raise
    decision_id = str(uuid.uuid4())
    with _write(path) as con:
        if con.execute("select 1 from decision where kind = ? and item_id = ? and decision_type = ? "
                       "and revoked_at is null", (kind, item_id, decision_type)).fetchone():
            raise InvalidInput("此事项已有同类有效决定 / this item already has an active decision of this type")
        con.execute("insert into decision (decision_id, kind, item_id, decision_type, reason_code, note, "
                    "decided_by, decided_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    (decision_id, kind, item_id, decision_type, reason_code.strip(), note, viewer.username,
                     _stamp(at)))
        _audit(con, viewer, "decision_recorded", {**detail, "decision_id": decision_id}, "ok", at)
    return decision_id


def revoke_decision(viewer: ViewerLike, decision_id: str, *, in_scope: InScope | None = None,
                    at: datetime | None = None, path: Path | None = None) -> None:
    """Revoke a decision; the row stays, with who revoked it and when."""
    at = at or now()
    with connect(path) as con:
        row = con.execute("select * from decision where decision_id = ?", (decision_id,)).fetchone()
    if row is None:
        raise InvalidInput(f"没有此决定 / no decision {decision_id}")
    try:
        _check_decider(viewer, row["kind"], row["item_id"], None, in_scope)
    except PermissionDenied as denied:
        audit(viewer, "decision_denied", {"decision_id": decision_id, "revoke": True, "why": str(denied)},
              "denied", at=at, path=path)
        raise
    with _write(path) as con:
        changed = con.execute("update decision set revoked_at = ?, revoked_by = ? where decision_id = ? "
                              "and revoked_at is null", (_stamp(at), viewer.username, decision_id)).rowcount
        if not changed:
            raise InvalidInput("此决定已被撤销 / this decision was already revoked")
        _audit(con, viewer, "decision_revoked",
               {"decision_id": decision_id, "kind": row["kind"], "item_id": row["item_id"]}, "ok", at)


def decisions_for(kind: str, item_id: str, path: Path | None = None) -> list[dict]:
    """Every decision on one item, oldest first, revoked ones included."""
    with connect(path) as con:
        return [dict(r) for r in con.execute(
            "select decision_id, kind, item_id, decision_type, reason_code, note, decided_by, decided_at, "
            "revoked_at, revoked_by from decision where kind = ? and item_id = ? order by decided_at, decision_id",
            (kind, item_id))]


def active_decisions(path: Path | None = None) -> list[dict]:
    with connect(path) as con:
        return [dict(r) for r in con.execute(
            "select decision_id, kind, item_id, decision_type, reason_code, note, decided_by, decided_at "
            "from decision where revoked_at is null order by decided_at desc")]


@dataclass(frozen=True)
class DemoUnits:
    city: str
    bureau: str
    bureau_name: str
    person: str
    person_name: str


def _demo_units_from_warehouse() -> DemoUnits | None:
    from dashboard import db
    try:
        con = db.connection(db.current_snapshot()).cursor()
    except db.NoData:
        return None
    try:
        city = con.execute("select unit_code from dim_unit where parent_code is null "
                           "order by unit_code limit 1").fetchone()
        if city is None:
            return None
        # The bureau with the most people, so the demo supervisor has something to supervise.
        bureau = con.execute(
            "select u.unit_code, u.name, count(p.person_id) as people from dim_unit as u "
            "join dim_unit_ancestor as a on a.ancestor_code = u.unit_code "
            "left join dim_person as p on p.unit_code = a.unit_code "
            "where u.parent_code = ? group by u.unit_code, u.name order by people desc, u.unit_code limit 1",
            [city[0]]).fetchone()
        if bureau is None:
            return None
        person = con.execute(
            "select p.person_id, p.name from dim_person as p join dim_unit_ancestor as a on a.unit_code = p.unit_code "
            "where a.ancestor_code = ? order by p.person_id limit 1", [bureau[0]]).fetchone()
    finally:
        con.close()
    if person is None:
        return None
    return DemoUnits(city[0], bureau[0], bureau[1], person[0], person[1])


def _demo_units_from_oa() -> DemoUnits | None:
    """Fallback before the first pipeline run: the demo OA system's own organisation tables."""
    oa = settings.path("XIAONENG_DEMO_DIR") / "oa.sqlite"
    if not oa.exists():
        return None
    con = sqlite3.connect(f"file:{oa}?mode=ro", uri=True)
    try:
        city = con.execute("select unit_code from org_unit where parent_code is null or parent_code = '' "
                           "order by unit_code limit 1").fetchone()
        if city is None:
            return None
        # The bureau (child of the city) with the most people anywhere below it.
        bureau = con.execute(
            "with recursive below(bureau, unit_code) as ("
            " select unit_code, unit_code from org_unit where parent_code = ?"
            " union all select b.bureau, u.unit_code from org_unit as u join below as b on u.parent_code = b.unit_code)"
            " select b.bureau, min(u.unit_name), count(p.person_id) as people from below as b"
            " join org_unit as u on u.unit_code = b.bureau"
            " left join org_person as p on p.unit_code = b.unit_code"
            " group by b.bureau order by people desc, b.bureau limit 1", (city[0],)).fetchone()
        if bureau is None:
            return None
        person = con.execute(
            "with recursive below(unit_code) as (select ? union all"
            " select u.unit_code from org_unit as u join below as b on u.parent_code = b.unit_code)"
            " select person_id, person_name from org_person where unit_code in (select unit_code from below)"
            " order by person_id limit 1", (bureau[0],)).fetchone()
    finally:
        con.close()
    if person is None:
        return None
    return DemoUnits(city[0], bureau[0], bureau[1], person[0], person[1])


def demo_accounts(units: DemoUnits) -> list[dict]:
    """The demo-only accounts, one per role; all share DEMO_PASSWORD and are marked is_demo."""
    return [
        dict(username="demo_admin", display_name="演示·系统管理员", role="admin", scope=[ALL_UNITS]),
        dict(username="demo_leader", display_name="演示·市领导", role="leader", scope=[units.city]),
        dict(username="demo_supervisor", display_name=f"演示·督查员（{units.bureau_name}）", role="supervisor",
             scope=[units.bureau]),
        dict(username="demo_staff", display_name=f"演示·{units.person_name}", role="staff", scope=[units.bureau],
             person_id=units.person),
        dict(username="demo_wall", display_name="演示·会议室大屏", role="display", scope=[units.city]),
    ]


def install_demo_accounts(units: DemoUnits, *, at: datetime | None = None, path: Path | None = None) -> list[dict]:
    """Create or reset the demo accounts (password, lock, scope); other accounts are left alone."""
    at = at or now()
    accounts = demo_accounts(units)
    for spec in accounts:
        existing = get_account(spec["username"], path)
        if existing is not None and not existing.is_demo:
            raise InvalidInput(f"{spec['username']} exists and is not a demo account; not touching it")
        if existing is None:
            create_user(None, spec["username"], display_name=spec["display_name"], role=spec["role"],
                        scope=spec["scope"], person_id=spec.get("person_id"),
                        password=None if spec["role"] == "display" else DEMO_PASSWORD,
                        is_demo=True, at=at, path=path)
        else:
            with _write(path) as con:
                con.execute("update users set display_name = ?, role = ?, scope = ?, person_id = ?, "
                            "password_hash = ?, failed_count = 0, locked_until = null, disabled_at = null "
                            "where username = ?",
                            (spec["display_name"], spec["role"], json.dumps(spec["scope"]), spec.get("person_id"),
                             None if spec["role"] == "display" else HASHER.hash(DEMO_PASSWORD), spec["username"]))
                _audit(con, "(command line)", "demo_account_reset", {"user": spec["username"]}, "ok", at)
    rotate_kiosk_token(None, "demo_wall", token=DEMO_KIOSK_TOKEN, at=at, path=path)
    return accounts


def _cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.appdb", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="create or migrate the app database")
    init.add_argument("--demo", action="store_true", help="also create the demo-only accounts (one per role)")
    init.add_argument("--city", help="demo: unit code of the whole city (default: read from the warehouse)")
    init.add_argument("--bureau", help="demo: unit code of the supervisor's bureau")
    init.add_argument("--person", help="demo: person id of the staff member")
    add = sub.add_parser("add-user", help="create an account; the password is asked for, never an argument")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--scope", default="", help="comma-separated unit codes; '*' for every unit (admin, leader)")
    add.add_argument("--person", help="person id (staff accounts)")
    add.add_argument("--name", help="display name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    kiosk = sub.add_parser("kiosk-token", help="issue a new wall-screen token for a display account")
    kiosk.add_argument("username")
    sub.add_parser("verify-audit", help="check that the audit log's hash chain is intact")
    args = parser.parse_args(argv)

    path = db_path()
    if args.command == "init":
        with connect(path) as con:
            version = con.execute("pragma user_version").fetchone()[0]
        print(f"app database ready: {path} (schema version {version})")
        if args.demo:
            found = None
            if not (args.city and args.bureau and args.person):
                found = _demo_units_from_warehouse() or _demo_units_from_oa()
            if args.city and args.bureau and args.person:
                units = DemoUnits(args.city, args.bureau, args.bureau, args.person, args.person)
            elif found is not None:
                units = DemoUnits(args.city or found.city, args.bureau or found.bureau, found.bureau_name,
                                  args.person or found.person, found.person_name)
            else:
                print("xiaoneng: no unit codes found (no published warehouse, no demo OA database); "
                      "run the pipelines first or pass --city, --bureau and --person", file=sys.stderr)
                return 2
            accounts = install_demo_accounts(units, path=path)
            print("\nDEMO ACCOUNTS — for the demo only, never on a real deployment:")
            for spec in accounts:
                if spec["role"] == "display":
                    print(f"  {spec['role']:<10} wall screen: /?view=wall&kiosk={DEMO_KIOSK_TOKEN}  "
                          f"({spec['display_name']}, units {','.join(spec['scope'])})")
                else:
                    print(f"  {spec['role']:<10} user {spec['username']:<16} password {DEMO_PASSWORD}  "
                          f"({spec['display_name']}, units {','.join(spec['scope'])})")
        return 0
    if args.command == "add-user":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("password: ")
            if getpass.getpass("again: ") != password:
                print("xiaoneng: the two passwords differ", file=sys.stderr)
                return 2
        try:
            create_user(None, args.username, display_name=args.name or args.username, role=args.role,
                        scope=args.scope.split(","), person_id=args.person,
                        password=None if args.role == "display" else password, path=path)
        except InvalidInput as bad:
            print(f"xiaoneng: {bad}", file=sys.stderr)
            return 2
        print(f"created {args.role} account {args.username}")
        return 0
    if args.command == "kiosk-token":
        try:
            token = rotate_kiosk_token(None, args.username, path=path)
        except InvalidInput as bad:
            print(f"xiaoneng: {bad}", file=sys.stderr)
            return 2
        print(f"wall screen URL: /?view=wall&kiosk={token}\n(shown once; only its hash is stored)")
        return 0
    if args.command == "verify-audit":
        broken = verify_audit_chain(path)
        if broken is None:
            print("audit log intact")
            return 0
        print(f"xiaoneng: the audit log was altered at row {broken}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(_cli())
