"""Administrators read the append-only audit log: sign-ins, account changes, decisions, exports."""
import json

import pandas as pd
import streamlit as st

from dashboard import appdb, auth

viewer = auth.require_role("admin")


def L(zh: str, en: str) -> str:
    return en if auth.lang() == "en" else zh


# A symbol and a word for each outcome: plain characters render in the table where emoji may not.
OUTCOMES = {"ok": "● " + L("成功", "ok"), "denied": "✕ " + L("拒绝", "denied"), "failed": "▲ " + L("失败", "failed")}

st.header(L("审计日志", "Audit log"))
st.caption(L("日志只能追加，不能修改或删除；每行带有前一行的哈希值，改动任何一行都会被发现。",
             "The log is append-only; each row carries the hash of the one before, so any change is detected."))

broken = appdb.verify_audit_chain()
if broken is None:
    st.success(L("哈希链完整。", "The hash chain is intact."), icon=":material/verified:")
else:
    st.error(L(f"审计日志在第 {broken} 行被改动过，请立即排查。", f"The audit log was altered at row {broken}; "
               "investigate now."), icon=":material/gpp_bad:")

left, middle, right = st.columns(3)
with left:
    who = st.text_input(L("用户名", "User"), key="audit_user", max_chars=appdb.MAX_NAME_LENGTH)
with middle:
    action = st.selectbox(L("操作", "Action"), ["", *appdb.audit_actions()], key="audit_action",
                          format_func=lambda a: a or L("全部", "all"))
with right:
    outcome = st.selectbox(L("结果", "Outcome"), ["", *OUTCOMES], key="audit_outcome",
                           format_func=lambda o: OUTCOMES.get(o, L("全部", "all")))

entries = appdb.audit_entries(username=who.strip() or None, action=action or None, outcome=outcome or None,
                              limit=1000)
if not entries:
    st.info(L("没有符合条件的记录。", "No matching entries."), icon=":material/search_off:")
    st.stop()

st.dataframe(pd.DataFrame([{
    "#": e["seq"],
    L("时间", "Time"): e["at"],
    L("用户名", "User"): e["username"] or "",
    L("操作", "Action"): e["action"],
    L("结果", "Outcome"): OUTCOMES.get(e["outcome"], e["outcome"]),
    L("详情", "Detail"): json.dumps(e["detail"], ensure_ascii=False),
} for e in entries]), hide_index=True, width="stretch", key="audit_table")
st.caption(L(f"显示最新 {len(entries)} 条。", f"The newest {len(entries)} entries."))
