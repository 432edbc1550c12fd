"""Administrators manage accounts: roles, unit scope, passwords, locks, wall-screen tokens and sessions."""
import pandas as pd
import streamlit as st

from dashboard import appdb, auth

viewer = auth.require_role("admin")


def L(zh: str, en: str) -> str:
    return en if auth.lang() == "en" else zh


def status_text(account: appdb.Account, at) -> str:
    # A symbol and words together, from the plain fonts every browser has (no emoji in table cells).
    if account.is_disabled:
        return "✕ " + L("已停用", "disabled")
    if account.is_locked(at):
        return "▲ " + L("锁定至 ", "locked until ") + account.locked_until.strftime("%m-%d %H:%M")
    return "● " + L("启用", "active")


now = appdb.now()
units = auth.unit_names()
accounts = appdb.list_accounts()

st.header(L("用户与角色", "Users and roles"))
st.caption(L("角色：领导只读所辖单位；督查人员可导出并记录免责/申诉结论；工作人员只看本人事项；大屏只读一块看板，姓名脱敏。",
             "Roles: leaders read their units; supervisors also export and record exemptions/appeals; staff see "
             "only their own items; wall screens show one read-only board with masked names."))

table = pd.DataFrame([{
    L("用户名", "User"): a.username,
    L("姓名", "Name"): a.display_name,
    L("角色", "Role"): auth.role_name(a.role),
    L("可见单位", "Units"): "、".join(units.get(c, c) if c != appdb.ALL_UNITS else L("全部", "all") for c in a.scope),
    L("人员编号", "Person"): a.person_id or "",
    L("姓名脱敏", "Masked"): "✓" if a.mask_names else "",
    L("状态", "State"): status_text(a, now),
    L("演示", "Demo"): "✓" if a.is_demo else "",
} for a in accounts])
st.dataframe(table, hide_index=True, width="stretch", key="users_table")

unit_options = [appdb.ALL_UNITS, *sorted(units)]


def unit_label(code: str) -> str:
    if code == appdb.ALL_UNITS:
        return L("* 全部单位", "* every unit")
    return f"{code} {units.get(code, '')}".strip()


def scope_input(label: str, default: tuple[str, ...], key: str) -> list[str]:
    """A picker of known units when the warehouse is published, else a comma-separated text box."""
    if units:
        chosen = st.multiselect(label, unit_options, default=[c for c in default if c in unit_options],
                                format_func=unit_label, key=key)
        return list(chosen)
    text = st.text_input(label + L("（单位编码，逗号分隔）", " (unit codes, comma-separated)"),
                         value=",".join(default), key=key)
    return [c.strip() for c in text.replace("，", ",").split(",") if c.strip()]


def report(action) -> bool:
    try:
        action()
    except (appdb.InvalidInput, appdb.PermissionDenied) as bad:
        st.error(str(bad), icon=":material/error:")
        return False
    return True


with st.expander(L("新建用户", "New user"), icon=":material/person_add:"):
    with st.form("new_user_form", clear_on_submit=False):
        new_username = st.text_input(L("用户名", "User name"), key="new_username", max_chars=appdb.MAX_NAME_LENGTH)
        new_name = st.text_input(L("姓名", "Display name"), key="new_display_name", max_chars=appdb.MAX_NAME_LENGTH)
        new_role = st.selectbox(L("角色", "Role"), auth.ROLES, format_func=auth.role_name, key="new_role", index=1)
        new_scope = scope_input(L("可见单位", "Units"), (), "new_scope")
        new_person = st.text_input(L("人员编号（工作人员必填）", "Person id (required for staff)"), key="new_person")
        new_password = st.text_input(L("初始密码（至少 10 个字符；大屏账户留空）",
                                       "Initial password (at least 10 characters; empty for wall screens)"),
                                     type="password", key="new_password")
        if st.form_submit_button(L("创建", "Create"), key="new_submit", type="primary"):
            if report(lambda: appdb.create_user(
                    viewer, new_username, display_name=new_name or new_username, role=new_role, scope=new_scope,
                    person_id=new_person.strip() or None, password=new_password or None, at=appdb.now())):
                st.success(L(f"已创建 {new_username}", f"created {new_username}"), icon=":material/check:")
                st.rerun()

if not accounts:
    st.stop()

st.subheader(L("编辑用户", "Edit a user"))
by_name = {a.username: a for a in accounts}
picked = st.selectbox(L("用户", "User"), list(by_name),
                      format_func=lambda u: f"{u} · {by_name[u].display_name} · {auth.role_name(by_name[u].role)}",
                      key="edit_user")
account = by_name[picked]

with st.form("edit_user_form"):
    edit_name = st.text_input(L("姓名", "Display name"), value=account.display_name, key="edit_display_name")
    edit_role = st.selectbox(L("角色", "Role"), auth.ROLES, index=auth.ROLES.index(account.role),
                             format_func=auth.role_name, key="edit_role")
    edit_scope = scope_input(L("可见单位", "Units"), account.scope, "edit_scope")
    edit_person = st.text_input(L("人员编号", "Person id"), value=account.person_id or "", key="edit_person")
    edit_mask = st.checkbox(L("姓名脱敏显示", "Mask people's names"), value=account.mask_names, key="edit_mask")
    if st.form_submit_button(L("保存", "Save"), key="edit_submit", type="primary"):
        if report(lambda: appdb.update_user(viewer, account.username, display_name=edit_name, role=edit_role,
                                            scope=edit_scope, person_id=edit_person, mask_names=edit_mask,
                                            at=appdb.now())):
            st.success(L("已保存，用户下次操作时生效。", "Saved; it applies from the user's next click."),
                       icon=":material/check:")
            st.rerun()

left, middle, right = st.columns(3)
with left:
    if account.is_disabled:
        if st.button(L("启用账户", "Enable account"), key="enable_user", icon=":material/person_check:"):
            if report(lambda: appdb.set_disabled(viewer, account.username, False, at=appdb.now())):
                st.rerun()
    elif st.button(L("停用账户", "Disable account"), key="disable_user", icon=":material/person_off:"):
        if report(lambda: appdb.set_disabled(viewer, account.username, True, at=appdb.now())):
            st.rerun()
with middle:
    if account.is_locked(now) or account.failed_count:
        if st.button(L("解除锁定", "Unlock"), key="unlock_user", icon=":material/lock_open:"):
            if report(lambda: appdb.unlock(viewer, account.username, at=appdb.now())):
                st.rerun()
with right:
    if st.button(L("强制退出所有会话", "Sign out everywhere"), key="end_sessions", icon=":material/logout:"):
        if report(lambda: appdb.end_user_sessions(viewer, account.username, at=appdb.now())):
            st.success(L("已退出。", "Signed out."))

if account.role == "display":
    st.markdown(L("**大屏链接**：令牌只显示一次，系统只保存其哈希值。", "**Wall-screen link**: the token is shown "
                  "once; only its hash is stored."))
    if st.button(L("生成新的大屏令牌", "Issue a new wall-screen token"), key="rotate_kiosk", icon=":material/key:"):
        try:
            token = appdb.rotate_kiosk_token(viewer, account.username, at=appdb.now())
        except (appdb.InvalidInput, appdb.PermissionDenied) as bad:
            st.error(str(bad), icon=":material/error:")
        else:
            st.code(f"?view=wall&kiosk={token}", language=None)
else:
    with st.form("reset_password_form", clear_on_submit=True):
        new_pw = st.text_input(L("重置密码（至少 10 个字符）", "Reset password (at least 10 characters)"),
                               type="password", key="reset_password")
        if st.form_submit_button(L("重置密码", "Reset password"), key="reset_submit"):
            if report(lambda: appdb.set_password(viewer, account.username, new_pw, at=appdb.now())):
                st.success(L("密码已重置，该用户的会话已结束。", "Password reset; the user's sessions were ended."),
                           icon=":material/check:")

st.subheader(L("当前会话", "Open sessions"))
sessions = appdb.open_sessions()
if sessions:
    st.dataframe(pd.DataFrame([{
        L("用户名", "User"): s["username"], L("方式", "Method"): s["method"],
        L("登录时间", "Since"): s["created_at"], L("最近活动", "Last seen"): s["last_seen_at"],
        L("到期", "Expires"): s["expires_at"] or "—",
    } for s in sessions]), hide_index=True, width="stretch", key="sessions_table")
else:
    st.caption(L("没有打开的会话。", "No open sessions."))
