"""Who is looking: the viewer, their role and the set of units they may see.

Contract used by every page (the implementation behind it may grow, the shape stays):
    viewer = require_viewer()      # stops the page with a login form when nobody is signed in
    viewer.scope                   # tuple of unit codes whose subtrees the viewer may see
    viewer.role                    # admin | leader | supervisor | staff | display
    viewer.person_id               # for staff: only their own items
    viewer.mask_names, viewer.can_export, viewer.can_decide
    scope_params(viewer)           # {"scope": [...], "own_person": ... | None} for the queries

Ways in, checked in this order on every run of the script:
 1. a wall-screen token in the URL (?view=wall&kiosk=<token>) signs in a display account;
 2. a session started earlier in this browser tab (st.session_state["viewer"]), re-checked
    against the app database so logout, disabling, expiry and role changes act at once;
 3. a user header set by an SSO reverse proxy, only when XIAONENG_TRUSTED_HEADER names it;
 4. an OpenID Connect sign-in through st.login, only when XIAONENG_OIDC_PROVIDER is set;
 5. otherwise the login form (user name and password, argon2-hashed, lock-out after failures).

A Viewer put into st.session_state["viewer"] without a session_id is trusted as is: only
code running in the server process can do that (AppTest fixtures), never a browser.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

from dashboard import appdb, i18n, settings

ROLES = appdb.ROLES
PAGES_DIR = Path(__file__).resolve().parent / "pages"
_PAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Viewer:
    username: str
    display_name: str
    role: str
    scope: tuple[str, ...]
    person_id: str | None = None
    mask_names: bool = False
    board: str | None = None            # display accounts: the one board they show ('wall')
    auth_method: str = "password"       # password | kiosk | header | oidc | (fixture)
    session_id: str | None = None
    is_demo: bool = False

    @property
    def can_export(self) -> bool:
        return self.role in ("admin", "supervisor")

    @property
    def can_decide(self) -> bool:
        return self.role in ("admin", "supervisor")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def read_only(self) -> bool:
        """Display accounts change nothing and see one board."""
        return self.role == "display"

    @property
    def own_items_only(self) -> bool:
        """Staff see only the items assigned to them (person_id)."""
        return self.role == "staff"


def scope_params(viewer: Viewer) -> dict:
    """The viewer's row filter as query parameters: {"scope": [unit codes], "own_person": id | None}.

    Every dashboard query keeps only units under one of `scope` (by dim_unit.path prefix) and,
    when `own_person` is not null, only items whose person_id equals it. Staff get their own
    person id; a staff account without one gets an id that matches nothing.
    """
    own = None
    if viewer.own_items_only:
        own = viewer.person_id or "\x00no-person"
    return {"scope": list(viewer.scope), "own_person": own}


def path_in_scope(viewer: Viewer, unit_path: str | None) -> bool:
    """True when a unit, given by its dim_unit.path ('/C/B03/D0307/'), lies in one of the viewer's subtrees."""
    if not unit_path:
        return False
    segments = set(unit_path.strip("/").split("/"))
    return bool(segments & set(viewer.scope))


def mask_name(name: str | None) -> str:
    """张三丰 -> 张**: the surname stays so a room can still tell people apart by unit and surname."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def shown_name(viewer: Viewer, name: str | None) -> str:
    return mask_name(name) if viewer.mask_names else (name or "")


TEXT = {
    "title": ("登录 · 效能", "Sign in · Xiaoneng"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "submit": ("登录", "Sign in"),
    "sso": ("使用统一身份认证登录", "Sign in with single sign-on"),
    "bad": ("用户名或密码错误。", "Wrong user name or password."),
    "locked": ("登录失败次数过多，账户已锁定至 {until}。请稍后再试，或请管理员解锁。",
               "Too many failed attempts: the account is locked until {until}. Try later or ask an administrator."),
    "idle": ("长时间未操作，已自动退出，请重新登录。", "You were signed out after a period of inactivity. Please sign in again."),
    "expired": ("登录已到期，请重新登录。", "Your session has ended. Please sign in again."),
    "ended": ("您已退出，或账户已被管理员调整，请重新登录。",
              "You were signed out, or an administrator changed your account. Please sign in again."),
    "bad_kiosk": ("大屏令牌无效或已停用，请联系管理员获取新的大屏链接。",
                  "This wall-screen link is invalid or was revoked. Ask an administrator for a new link."),
    "unknown_sso": ("统一身份认证用户 {user} 未在本系统开通，请联系管理员。",
                    "The single sign-on user {user} has no account here. Ask an administrator."),
    "denied": ("您的角色无权查看此页面。", "Your role may not open this page."),
    "demo": ("演示账户", "demo account"),
    "account": ("我的账户", "My account"),
    "logout": ("退出登录", "Sign out"),
    "users": ("用户与角色", "Users and roles"),
    "audit": ("审计日志", "Audit log"),
    "empty": ("请输入用户名和密码。", "Enter a user name and a password."),
}

ROLE_NAMES = {
    "admin": ("系统管理员", "Administrator"),
    "leader": ("领导", "Leader"),
    "supervisor": ("督查人员", "Supervisor"),
    "staff": ("工作人员", "Staff"),
    "display": ("大屏", "Wall screen"),
}


def lang() -> str:
    """The interface language, chosen the same way as everywhere in the dashboard."""
    return i18n.lang()


def t(key: str, **values: object) -> str:
    zh, en = TEXT[key]
    return (en if lang() == "en" else zh).format(**values)


def role_name(role: str) -> str:
    zh, en = ROLE_NAMES.get(role, (role, role))
    return en if lang() == "en" else zh


def _number_setting(name: str) -> float:
    return float(settings.get(name))


def _now() -> datetime:
    return appdb.now()


@functools.lru_cache(maxsize=4)
def _root_units(snapshot: str) -> tuple[str, ...]:
    from dashboard import db
    cur = db.connection(Path(snapshot)).cursor()
    try:
        return tuple(r[0] for r in cur.execute(
            "select unit_code from dim_unit where parent_code is null order by unit_code").fetchall())
    finally:
        cur.close()


@functools.lru_cache(maxsize=4)
def _unit_names(snapshot: str) -> dict[str, str]:
    from dashboard import db
    cur = db.connection(Path(snapshot)).cursor()
    try:
        return dict(cur.execute("select unit_code, name from dim_unit order by path").fetchall())
    finally:
        cur.close()


def unit_names() -> dict[str, str]:
    """Unit code -> name from the published warehouse, in tree order; empty before the first publish."""
    from dashboard import db
    try:
        return _unit_names(str(db.current_snapshot()))
    except db.NoData:
        return {}


def _resolve_scope(scope: tuple[str, ...]) -> tuple[str, ...]:
    """'*' (every unit) becomes the roots of the published unit tree, so queries see plain unit codes."""
    if appdb.ALL_UNITS not in scope:
        return scope
    from dashboard import db
    try:
        roots = _root_units(str(db.current_snapshot()))
    except db.NoData:
        roots = ()
    return tuple(dict.fromkeys((*roots, *(c for c in scope if c != appdb.ALL_UNITS))))


def viewer_for(account: appdb.Account, *, method: str, session_id: str | None) -> Viewer:
    return Viewer(
        username=account.username, display_name=account.display_name, role=account.role,
        scope=_resolve_scope(account.scope), person_id=account.person_id,
        mask_names=account.mask_names,
        board=(account.board or "wall") if account.role == "display" else None,
        auth_method=method, session_id=session_id, is_demo=account.is_demo,
    )


def _session_limits() -> tuple[float, float]:
    return _number_setting("XIAONENG_SESSION_IDLE_MIN"), _number_setting("XIAONENG_SESSION_MAX_H")


def _sign_in(account: appdb.Account, method: str, at: datetime, detail: dict | None = None) -> Viewer:
    _, max_hours = _session_limits()
    session_id = appdb.start_session(account.username, method, at=at,
                                     max_hours=None if method == "kiosk" else max_hours, detail=detail)
    viewer = viewer_for(account, method=method, session_id=session_id)
    st.session_state["viewer"] = viewer
    st.session_state.pop("auth_notice", None)
    return viewer


def _signed_out(reason: str) -> None:
    st.session_state.pop("viewer", None)
    st.session_state.pop("kiosk_hash", None)
    st.session_state["auth_notice"] = reason


def _request_headers() -> dict[str, str]:
    """Headers of the request that opened this session (replaced in tests: AppTest cannot send headers)."""
    try:
        return {k.lower(): v for k, v in st.context.headers.to_dict().items()}
    except Exception:  # outside a served session there are no headers
        return {}


def _oidc_identity() -> str | None:
    """The signed-in OIDC user's email (or subject), when st.login is configured and used."""
    try:
        user = st.user.to_dict()
    except Exception:
        return None
    if not user.get("is_logged_in"):
        return None
    return user.get("email") or user.get("preferred_username") or user.get("sub")


def _kiosk_viewer(token: str, at: datetime) -> Viewer | None:
    token_hash = hashlib.sha256(token.encode("utf-8")).hexdigest()
    current = st.session_state.get("viewer")
    if (isinstance(current, Viewer) and current.auth_method == "kiosk"
            and st.session_state.get("kiosk_hash") == token_hash):
        account, _ = appdb.check_session(current.session_id, at=at, idle_minutes=None)
        if account is not None:
            viewer = viewer_for(account, method="kiosk", session_id=current.session_id)
            st.session_state["viewer"] = viewer
            return viewer
    if isinstance(current, Viewer) and current.session_id:
        # A wall-screen link opened in a tab where someone was signed in: that session ends here.
        appdb.end_session(current.session_id, "switched", at=at)
    account = appdb.account_for_kiosk_token(token)
    if account is None:
        appdb.audit(None, "kiosk_failed", {"token_sha256_prefix": token_hash[:12]}, "failed", at=at)
        _signed_out("bad_kiosk")
        return None
    viewer = _sign_in(account, "kiosk", at)
    st.session_state["kiosk_hash"] = token_hash
    return viewer


def _session_viewer(current: Viewer, at: datetime, touch: bool = True) -> Viewer | None:
    if current.session_id is None:
        return current
    idle, _ = _session_limits()
    account, why = appdb.check_session(current.session_id, at=at, touch=touch,
                                       idle_minutes=None if current.auth_method == "kiosk" else idle)
    if account is None:
        _signed_out(why if why in ("idle", "expired") else "ended")
        return None
    viewer = viewer_for(account, method=current.auth_method, session_id=current.session_id)
    if viewer != current:
        st.session_state["viewer"] = viewer
    return viewer


def _header_viewer(header: str, at: datetime) -> Viewer | None:
    username = (_request_headers().get(header.lower()) or "").strip()[:appdb.MAX_NAME_LENGTH]
    if not username:
        return None
    account = appdb.get_account(username)
    if account is None or account.is_disabled:
        if st.session_state.get("auth_notice_user") != username:  # once per tab, not on every click
            appdb.audit(username, "login_failed", {"method": "header", "reason": "unknown_or_disabled"}, "denied",
                        at=at)
        st.session_state["auth_notice"] = "unknown_sso"
        st.session_state["auth_notice_user"] = username
        return None
    return _sign_in(account, "header", at, {"header": header})


def _oidc_viewer(at: datetime) -> Viewer | None:
    identity = _oidc_identity()
    if not identity:
        return None
    account = appdb.get_account(identity)
    if account is None or account.is_disabled:
        if st.session_state.get("auth_notice_user") != identity:  # once per tab, not on every click
            appdb.audit(identity, "login_failed", {"method": "oidc", "reason": "unknown_or_disabled"}, "denied",
                        at=at)
        st.session_state["auth_notice"] = "unknown_sso"
        st.session_state["auth_notice_user"] = identity
        return None
    return _sign_in(account, "oidc", at)


def current_viewer(at: datetime | None = None) -> Viewer | None:
    """The signed-in viewer, or None; never draws anything."""
    at = at or _now()
    token = st.query_params.get("kiosk")
    if token:
        return _kiosk_viewer(token, at)
    header = settings.get("XIAONENG_TRUSTED_HEADER").strip()
    current = st.session_state.get("viewer")
    if isinstance(current, Viewer):
        viewer = _session_viewer(current, at)
        if viewer is None:
            return None
        # Behind the SSO proxy the header is the truth: a different user in the same tab signs in anew.
        if header and viewer.auth_method == "header":
            named = (_request_headers().get(header.lower()) or "").strip()
            if named.casefold() != viewer.username.casefold():
                appdb.end_session(viewer.session_id, "header_changed", at=at)
                st.session_state.pop("viewer", None)
                return _header_viewer(header, at)
        return viewer
    if header:
        viewer = _header_viewer(header, at)
        if viewer is not None:
            return viewer
    if settings.get("XIAONENG_OIDC_PROVIDER").strip():
        return _oidc_viewer(at)
    return None


def require_viewer() -> Viewer:
    """The signed-in viewer; when nobody is, draw the login form and stop the page."""
    viewer = current_viewer()
    if viewer is None:
        # Through st.navigation, so that a signed-out run offers the sign-in page alone: without it,
        # Streamlit would list every file of dashboard/pages/ in the sidebar.
        st.navigation(signed_out_pages(), position="hidden").run()
        st.stop()
    return viewer


def still_signed_in() -> bool:
    """For fragments that rerun on a timer (wall screens): is this tab's session still valid?

    It does not count as activity, so an unattended page still idles out. A fragment that gets
    False calls st.rerun() for a full run, which then shows the sign-in form or the reason.
    """
    current = st.session_state.get("viewer")
    if not isinstance(current, Viewer):
        return False
    return _session_viewer(current, _now(), touch=False) is not None


def require_role(*roles: str) -> Viewer:
    """require_viewer(), and stop with a message (audited) unless the viewer has one of `roles`."""
    viewer = require_viewer()
    if viewer.role not in roles:
        appdb.audit(viewer, "page_denied", {"required": list(roles)}, "denied", at=_now())
        st.error(t("denied"), icon=":material/block:")
        st.stop()
    return viewer


def _notice() -> None:
    reason = st.session_state.get("auth_notice")
    if reason in ("idle", "expired", "ended"):
        st.info(t(reason), icon=":material/schedule:")
    elif reason == "bad_kiosk":
        st.error(t("bad_kiosk"), icon=":material/tv_off:")
    elif reason == "unknown_sso":
        st.error(t("unknown_sso", user=st.session_state.get("auth_notice_user", "")), icon=":material/person_off:")


def _until_text(until: datetime | None) -> str:
    return until.astimezone(appdb.zone()).strftime("%Y-%m-%d %H:%M") if until else ""


def login_form() -> Viewer | None:
    """Draw the sign-in form; on success store the viewer and rerun the page."""
    st.subheader(t("title"))
    _notice()
    with st.form("login_form", clear_on_submit=False, enter_to_submit=True):
        username = st.text_input(t("username"), key="login_username", max_chars=appdb.MAX_NAME_LENGTH,
                                 autocomplete="username")
        password = st.text_input(t("password"), type="password", key="login_password", max_chars=256,
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("submit"), key="login_submit", type="primary")
    provider = settings.get("XIAONENG_OIDC_PROVIDER").strip()
    if provider and st.button(t("sso"), key="login_sso", icon=":material/badge:"):
        st.login(None if provider == "default" else provider)
    if not submitted:
        return None
    if not username.strip() or not password:
        st.warning(t("empty"), icon=":material/edit:")
        return None
    at = _now()
    result = appdb.login(username, password, at=at,
                         max_failures=int(_number_setting("XIAONENG_LOGIN_MAX_FAILURES")),
                         lock_minutes=_number_setting("XIAONENG_LOGIN_LOCK_MIN"))
    if result.ok:
        viewer = _sign_in(result.account, "password", at)
        st.rerun()
        return viewer
    if result.reason == "locked":
        st.error(t("locked", until=_until_text(result.locked_until)), icon=":material/lock:")
    else:
        st.error(t("bad"), icon=":material/error:")
    return None


def logout(viewer: Viewer | None = None) -> None:
    """End the session in the app database and in this tab."""
    viewer = viewer or st.session_state.get("viewer")
    if isinstance(viewer, Viewer) and viewer.session_id:
        appdb.end_session(viewer.session_id, "logout", at=_now())
    for key in ("viewer", "kiosk_hash", "auth_notice", "auth_notice_user"):
        st.session_state.pop(key, None)
    if isinstance(viewer, Viewer) and viewer.auth_method == "oidc":
        st.logout()


def _account_page() -> None:
    viewer = require_viewer()
    st.header(t("account"))
    demo = f" · {t('demo')}" if viewer.is_demo else ""
    st.markdown(f"**{viewer.display_name}** (`{viewer.username}`) · {role_name(viewer.role)}{demo}")
    names = unit_names()
    st.caption(("可见单位：" if lang() == "zh" else "Units: ")
               + ("、".join(names.get(code, code) for code in viewer.scope) or "—"))
    if viewer.auth_method == "password":
        with st.expander("修改密码" if lang() == "zh" else "Change password"):
            with st.form("change_password_form", clear_on_submit=True):
                current = st.text_input("当前密码" if lang() == "zh" else "Current password", type="password",
                                        key="pw_current")
                new = st.text_input("新密码" if lang() == "zh" else "New password", type="password", key="pw_new")
                again = st.text_input("再次输入新密码" if lang() == "zh" else "New password again",
                                      type="password", key="pw_again")
                if st.form_submit_button("保存" if lang() == "zh" else "Save", key="pw_submit"):
                    if new != again:
                        st.error("两次输入的新密码不一致。" if lang() == "zh" else "The new passwords differ.")
                    else:
                        try:
                            appdb.set_password(viewer, viewer.username, new, current_password=current, at=_now())
                        except (appdb.InvalidInput, appdb.PermissionDenied) as bad:
                            st.error(str(bad))
                        else:
                            # Changing the password ends every password session, this one too.
                            logout(viewer)
                            st.rerun()
    if st.button(t("logout"), key="logout_button", type="primary", icon=":material/logout:"):
        logout(viewer)
        st.rerun()


def login_page() -> st.Page:
    """The only page while nobody is signed in: app.py passes [login_page()] to st.navigation."""
    return st.Page(PAGES_DIR / "login.py", title=t("submit"), icon=":material/login:", url_path="login",
                   default=True)


def _requested_page() -> str | None:
    """The page name in the address the browser asked for ('worklist' in /worklist?unit=B03), if any."""
    try:
        url = st.context.url
    except Exception:
        return None
    path = urlparse(url or "").path.strip("/")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):].strip("/")
    name = path.rsplit("/", 1)[-1]
    return name if _PAGE_NAME.fullmatch(name) and name != "login" else None


def signed_out_pages() -> list[st.Page]:
    """What st.navigation offers while nobody is signed in: the sign-in page, also under the requested name.

    Answering /worklist?unit=B03 with the sign-in form under that same name avoids Streamlit's
    "page not found" dialog, and after signing in the rerun lands on the page that was asked for,
    with its query parameters.
    """
    pages = [login_page()]
    requested = _requested_page()
    if requested:
        pages.append(st.Page(PAGES_DIR / "login.py", title=t("submit"), url_path=requested))
    return pages


def auth_pages(viewer: Viewer) -> list[st.Page]:
    """Account/logout for everyone who signs in by hand, plus the admin pages for administrators."""
    if viewer.read_only:
        return []
    pages = [st.Page(_account_page, title=t("account"), icon=":material/account_circle:", url_path="account")]
    if viewer.is_admin:
        pages += [
            st.Page(PAGES_DIR / "admin_users.py", title=t("users"), icon=":material/manage_accounts:",
                    url_path="admin_users"),
            st.Page(PAGES_DIR / "admin_audit.py", title=t("audit"), icon=":material/history:",
                    url_path="admin_audit"),
        ]
    return pages
