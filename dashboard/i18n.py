"""Interface strings in Simplified Chinese (default) and English; `?lang=en` or the sidebar toggle switches."""
from __future__ import annotations

import streamlit as st

from dashboard import settings

LANGS = ("zh", "en")
LANG_KEY = "lang"

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("效能 · 督查督办监测", "Xiaoneng · supervision monitor"),
    "wall_title": ("效能 · 督查督办监测大屏", "Xiaoneng · supervision wall"),
    "nav_monitor": ("监测", "Monitor"),
    "nav_overview": ("总览", "Overview"),
    "nav_units": ("单位", "Units"),
    "nav_person": ("人员", "Person"),
    "nav_item": ("事项", "Item"),
    "nav_worklist": ("逾期清单", "Overdue worklist"),
    "nav_wall": ("大屏", "Wall screen"),
    "nav_health": ("数据管道", "Pipeline health"),
    "nav_account": ("账户与管理", "Account and admin"),
    "language": ("语言", "Language"),
    "signed_in_as": ("当前用户：{name}", "Signed in as {name}"),
    "no_viewer": ("请先登录后再查看。", "Please sign in to continue."),
    "no_data": ("数据尚未就绪：数据管道还没有完成第一次运行。请稍后刷新本页；若长时间如此，请联系管理员查看“数据管道”页。",
                "Data is not ready yet: the pipelines have not completed their first run. Refresh this page in a "
                "little while; if this persists, ask an administrator to check the pipeline health page."),
    "not_prepared": ("数据尚未准备好：已发布的数据缺少看板所需的汇总（数据管道在每次研判后生成）。请运行数据管道（python -m pipelines "
                     "lights）后刷新本页；若长时间如此，请联系管理员查看“数据管道”页。",
                     "Data is not prepared yet: the published data lacks the summaries the dashboard reads (the "
                     "pipelines write them after every lights run). Run the pipelines (python -m pipelines lights), "
                     "then refresh this page; if this persists, ask an administrator to check the pipeline health "
                     "page."),
    "no_scope": ("您的账号尚未分配可查看的单位，请联系管理员。",
                 "Your account has no units assigned yet; please ask an administrator."),
    "not_in_scope": ("找不到该{what}，或不在您的查看范围内。", "This {what} does not exist or is outside your scope."),
    "what_unit": ("单位", "unit"),
    "what_person": ("人员", "person"),
    "what_item": ("事项", "item"),
    "status_red": ("红灯", "Red"),
    "status_yellow": ("黄灯", "Yellow"),
    "status_green": ("绿灯", "Green"),
    "status_unknown": ("未知", "Unknown"),
    "status_exempted": ("免责", "Exempted"),
    "status_short_red": ("红", "R"),
    "status_short_yellow": ("黄", "Y"),
    "status_short_green": ("绿", "G"),
    "status_short_unknown": ("未知", "?"),
    "status_short_exempted": ("免责", "E"),
    "status_help_red": ("已逾期或严重滞后", "overdue or far behind plan"),
    "status_help_yellow": ("临近时限或滞后", "close to the deadline or behind plan"),
    "status_help_green": ("按期推进", "on track"),
    "status_help_unknown": ("缺少数据，无法判断（不计为绿灯）", "no data to judge (never counted as green)"),
    "status_help_exempted": ("已容错免责或申诉成立", "exempted or appeal upheld"),
    "kind_document": ("公文", "Document"),
    "kind_document_step": ("公文环节", "Document step"),
    "kind_milestone": ("重点任务节点", "Key-task milestone"),
    "kind_request": ("12345工单", "Citizen request"),
    "cat_incoming": ("收文", "incoming"),
    "cat_outgoing": ("发文", "outgoing"),
    "cat_consultation": ("咨询", "consultation"),
    "cat_help": ("求助", "help"),
    "cat_complaint": ("投诉", "complaint"),
    "cat_report": ("举报", "report"),
    "cat_suggestion": ("建议", "suggestion"),
    "cat_emergency": ("紧急", "emergency"),
    # Document flow steps, by the codes the mappings give them (config/mappings/*.toml, document_step.step_name);
    # a step item's category is its step. A source's own step names (an event log's activities) show as they are.
    "step_register": ("登记", "Registration"),
    "step_propose": ("拟办", "Proposal"),
    "step_assign": ("批办", "Assignment"),
    "step_handle": ("承办", "Handling"),
    "step_close": ("办结", "Completion"),
    "job_law_enforcement": ("执法类", "law enforcement"),
    "job_service": ("服务类", "service"),
    "job_management": ("管理类", "management"),
    "all": ("全部", "All"),
    "data_as_of": ("数据截至", "Data as of"),
    "lights_as_of": ("研判时点 {time}", "Lights as of {time}"),
    "source_ok": ("{source}：{time}", "{source}: {time}"),
    "source_failed": ("{source}：最近一次运行失败（{failed}），仍显示 {time} 的数据", "{source}: last run failed ({failed}); showing data of {time}"),
    "source_late": ("{source}：数据已滞后，最近成功于 {time}", "{source}: data is late, last success {time}"),
    "source_never": ("{source}：尚无成功运行", "{source}: no successful run yet"),
    "source_running": ("{source}：正在运行", "{source}: running"),
    "freshness_warning": ("部分数据源未按时更新（见上方红字），本页显示的是这些数据源最近一次成功获取的数据。",
                          "Some sources are not up to date (in red above); this page shows their last good data."),
    "kpi_total": ("纳入监测", "Monitored"),
    "units_heading": ("各单位红黄绿灯", "Lights by unit"),
    "unit_tree": ("单位树", "Unit tree"),
    "newly_red": ("昨日以来新增红灯", "Newly red since yesterday"),
    "newly_red_none": ("昨日以来没有新增红灯", "No new red since yesterday"),
    "newly_red_more": ("共 {total} 项，以下为逾期最久的 {shown} 项。", "{total} items; the {shown} most overdue are listed."),
    "trend_red": ("近30天红灯数量", "Red items, last 30 days"),
    "trend_status": ("近30天红黄灯走势", "Red and yellow, last 30 days"),
    "ranking": ("按期办结率排名（近30天）", "On-time rate ranking (30 days)"),
    "on_time_rate": ("按期率", "On-time rate"),
    "no_rate": ("—", "—"),
    "more_units": ("另有 {n} 个单位未显示", "{n} more units not shown"),
    "board_overview": ("全域总览", "Overview"),
    "board_requests": ("12345 群众诉求", "Citizen requests (12345)"),
    "board_milestones": ("重点工作任务节点", "Key-task milestones"),
    "board_unit": ("{name}", "{name}"),
    "now": ("当前时间", "Now"),
    "overdue_days": ("逾期(工作日)", "Overdue (working days)"),
    "overdue_n": ("逾期 {n:g} 个工作日", "{n:g} working days overdue"),
    "unit": ("单位", "Unit"),
    "person": ("责任人", "Owner"),
    "persons": ("人员", "People"),
    "item": ("事项", "Item"),
    "items": ("事项", "Items"),
    "kind": ("类型", "Kind"),
    "category": ("类别", "Category"),
    "status": ("状态", "Status"),
    "title": ("标题", "Title"),
    "due": ("办理时限", "Due"),
    "done": ("办结时间", "Done"),
    "reason": ("研判依据", "Why"),
    "light": ("灯", "Light"),
    "red_n": ("红", "Red"),
    "yellow_n": ("黄", "Yellow"),
    "green_n": ("绿", "Green"),
    "unknown_n": ("未知", "Unknown"),
    "exempted_n": ("免责", "Exempted"),
    "total_n": ("合计", "Total"),
    "level": ("层级", "Level"),
    "select_row_hint": ("点击表格左侧选中一行即可进入详情。", "Select a row to open it."),
    "click_chart_hint": ("点击图中的柱或日期可查看对应清单。", "Click a bar or a day to open the matching list."),
    "children": ("下级单位", "Sub-units"),
    "overdue_items": ("逾期事项", "Overdue items"),
    "all_in_worklist": ("在逾期清单中查看全部", "See all in the worklist"),
    "breadcrumb_root": ("范围", "Scope"),
    "job_category": ("岗位类别", "Job category"),
    "person_items": ("名下事项", "Their items"),
    "show_trend": ("显示近30天走势", "Show the last 30 days"),
    "open_only": ("仅看未办结", "Open items only"),
    "filters": ("筛选", "Filters"),
    "f_unit": ("单位（含下级）", "Unit (with sub-units)"),
    "f_kind": ("事项类型", "Kind"),
    "f_category": ("类别", "Category"),
    "f_status": ("状态", "Status"),
    "f_min_overdue": ("逾期至少(工作日)", "Overdue at least (working days)"),
    "f_due_range": ("办理时限介于", "Due between"),
    "f_search": ("搜索标题、编号或责任人", "Search title, id or owner"),
    "f_sort": ("排序", "Sort"),
    "f_day": ("历史日期", "History day"),
    "f_person": ("责任人", "Owner"),
    "f_clear": ("清除筛选", "Clear filters"),
    "sort_overdue": ("逾期最久在前", "Most overdue first"),
    "sort_due": ("时限最早在前", "Earliest due first"),
    "sort_unit": ("按单位", "By unit"),
    "sort_status": ("按状态", "By status"),
    "rows_found": ("共 {total} 条（红 {red}，黄 {yellow}），第 {page}/{pages} 页", "{total} items ({red} red, {yellow} yellow), page {page} of {pages}"),
    "rows_none": ("没有符合条件的事项。", "No items match these filters."),
    "day_mode": ("显示 {day} 当天状态为所选状态的事项（当前状态列显示当日状态）。", "Items that had the chosen status on {day} (the status column shows that day's light)."),
    "export_csv": ("导出 CSV（{n} 条）", "Export CSV ({n} rows)"),
    "export_xlsx": ("导出 Excel（{n} 条）", "Export Excel ({n} rows)"),
    "export_denied": ("您的角色无导出权限。", "Your role may not export."),
    "export_sheet": ("逾期清单", "Worklist"),
    "item_why": ("为什么是这个颜色", "Why this light"),
    "rule": ("规则", "Rule"),
    "rule_version": ("规则版本", "Rule version"),
    "thresholds": ("规则参数", "Rule thresholds"),
    "wd_allowed": ("允许工作日", "Working days allowed"),
    "wd_used": ("已用工作日", "Working days used"),
    "wd_remaining": ("剩余工作日", "Working days left"),
    "calendar_basis": ("日历依据", "Calendar basis"),
    "basis_official": ("国务院办公厅公布的节假日安排", "official holiday calendar"),
    "basis_local": ("本地日历", "local calendar"),
    "basis_assumed": ("超出官方日历范围，仅按周末推算", "beyond the official calendar: weekends only"),
    "original_due": ("原定时限", "Original due"),
    "effective_due": ("有效时限（含延期）", "Effective due (after extensions)"),
    "source_record": ("来源记录", "Source record"),
    "source": ("数据源", "Source"),
    "raw_status": ("免责前的灯", "Light before exemption"),
    "stale_item": ("该事项的数据源未按时更新，灯色可能已过时。", "This item's source is late; the light may be out of date."),
    "timeline": ("办理过程", "Timeline"),
    "steps": ("公文流转环节", "Document flow steps"),
    "step": ("环节", "Step"),
    "started": ("开始", "Started"),
    "finished": ("完成", "Finished"),
    "limit_days": ("时限(工作日)", "Limit (working days)"),
    "plan_vs_actual": ("计划与实际", "Plan and actual"),
    "planned": ("计划", "Planned"),
    "actual": ("实际", "Actual"),
    "progress": ("完成进度", "Progress"),
    "lifecycle": ("工单办理过程", "Request lifecycle"),
    "received": ("受理", "Received"),
    "dispatched": ("派单", "Dispatched"),
    "first_response": ("首次响应", "First response"),
    "closed": ("办结", "Closed"),
    "due_line": ("时限", "Due"),
    "suspension": ("挂起（暂停计时）", "Suspended (clock paused)"),
    "event_reason": ("原因", "Reason"),
    "extension": ("延期批准", "Extension approved"),
    "new_due": ("延期至", "New due"),
    "satisfaction": ("满意度", "Satisfaction"),
    "sat_satisfied": ("满意", "satisfied"),
    "sat_basically_satisfied": ("基本满意", "basically satisfied"),
    "sat_dissatisfied": ("不满意", "dissatisfied"),
    "reopened": ("重办次数", "Re-opened"),
    "light_history": ("灯色变化", "Light history"),
    "changes": ("来源记录变更", "Source record changes"),
    "changed_at": ("变更时间", "Changed at"),
    "before": ("变更前", "Before"),
    "after": ("变更后", "After"),
    "decisions": ("容错免责与申诉复核", "Exemptions and appeals"),
    "decision_exempted": ("容错免责", "Exemption"),
    "decision_appeal_upheld": ("申诉成立", "Appeal upheld"),
    "decision_type": ("决定类型", "Decision"),
    "decision_reason": ("理由类别", "Reason"),
    "decision_note": ("说明（必填）", "Note (required)"),
    "decision_submit": ("提交决定", "Record decision"),
    "decision_saved": ("已记录。下一次研判后灯色将更新，原始数据保留不变。", "Recorded. The light changes at the next lights run; the raw facts are kept."),
    "decision_revoke": ("撤销", "Revoke"),
    "decision_revoked": ("已撤销", "Revoked"),
    "decision_none": ("暂无决定。", "No decisions yet."),
    "decision_unavailable": ("决定功能暂不可用。", "Decisions are not available yet."),
    "decision_need_note": ("请填写说明。", "Please write a note."),
    "decided_by": ("决定人", "Decided by"),
    "decided_at": ("决定时间", "Decided at"),
    "reason_force_majeure": ("不可抗力", "force majeure"),
    "reason_policy_change": ("政策调整", "policy change"),
    "reason_honest_innovation": ("改革创新探索中的失误", "honest innovation"),
    "reason_data_error": ("来源数据错误", "source data error"),
    "reason_other": ("其他", "other"),
    "health_sources": ("各数据源状态", "Sources"),
    "health_quarantine": ("被拒收的记录（按原因）", "Rejected records by reason"),
    "health_runs": ("最近运行", "Recent runs"),
    "health_no_quarantine": ("没有被拒收的记录。", "No rejected records."),
    "pipeline": ("数据源", "Source"),
    "last_state": ("最近状态", "Last state"),
    "last_success": ("最近成功", "Last success"),
    "last_error": ("最近错误", "Last error"),
    "last_failure": ("最近失败", "Last failure"),
    "rows_rejected": ("拒收记录数", "Rows rejected"),
    "records": ("记录数", "Records"),
    "reason_code": ("原因代码", "Reason code"),
    "example": ("示例说明", "Example"),
    "record_keys": ("记录编号", "Record ids"),
    "last_seen": ("最近出现", "Last seen"),
    "state_success": ("成功", "success"),
    "state_failed": ("失败", "failed"),
    "state_running": ("运行中", "running"),
    "started_at": ("开始时间", "Started"),
    "finished_at": ("结束时间", "Finished"),
    "rows_read": ("读取", "Read"),
    "rows_loaded": ("入库", "Loaded"),
    "seconds": ("耗时(秒)", "Seconds"),
    "freshness": ("时效", "Freshness"),
    "fresh_ok": ("正常", "OK"),
    "fresh_late": ("滞后", "Late"),
    "fresh_failed": ("最近失败", "Last run failed"),
    "health_denied": ("您的角色不能查看数据管道状态。", "Your role may not see pipeline health."),
    "day": ("日期", "Day"),
    "count": ("数量", "Count"),
    "legend": ("图例", "Legend"),
    "open_wall": ("打开大屏", "Open the wall screen"),
}


def lang() -> str:
    """The language of this session: the toggle (kept in the URL), else `?lang=`, else the configured default."""
    value = st.session_state.get(LANG_KEY) or st.query_params.get(LANG_KEY) or settings.get("XIAONENG_LANG")
    return value if value in LANGS else "zh"


def text(key: str, language: str, **values: object) -> str:
    """A string in the given language; usable outside a page run (an export generated in the background)."""
    zh, en = STRINGS[key]
    chosen = en if language == "en" else zh
    return chosen.format(**values) if values else chosen


def t(key: str, **values: object) -> str:
    return text(key, lang(), **values)


def status_label(status: str, language: str | None = None) -> str:
    key = f"status_{status}"
    return text(key, language or lang()) if key in STRINGS else status


def status_short(status: str, language: str | None = None) -> str:
    key = f"status_short_{status}"
    return text(key, language or lang()) if key in STRINGS else status


def kind_label(kind: str, language: str | None = None) -> str:
    key = f"kind_{kind}"
    return text(key, language or lang()) if key in STRINGS else kind


def step_label(step: object, language: str | None = None) -> str:
    """A document flow step's name: the label of a step code, else the source's own name as it is."""
    if not isinstance(step, str):
        return ""
    key = f"step_{step}"
    return text(key, language or lang()) if key in STRINGS else step


def category_label(category: object, language: str | None = None) -> str:
    """Categories the sources send as codes get a label (a document step's category is its step code); free-text
    categories (台账 task classes) show as they are."""
    if not isinstance(category, str):
        return ""
    key = f"cat_{category}"
    return text(key, language or lang()) if key in STRINGS else step_label(category, language)


STEP_TITLE_SEP = " · "


def item_title(row: dict | object, language: str | None = None) -> str:
    """An item's title as shown. A document step's title is its document's title and its step as the source
    named it (`<title> · handle`, as the lights write it): the step is shown by its label (`<title> · 承办`)."""
    get = row.get if isinstance(row, dict) else (lambda k, d=None: getattr(row, k, d))
    title = get("title")
    title = title if isinstance(title, str) else ""
    step = get("category")
    if get("kind") != "document_step" or not isinstance(step, str) or not step:
        return title
    if title == step:
        return step_label(step, language)
    if title.endswith(STEP_TITLE_SEP + step):
        return title[: -len(step)] + step_label(step, language)
    return title


def job_label(job: object, language: str | None = None) -> str:
    key = f"job_{job}"
    return text(key, language or lang()) if key in STRINGS else str(job or "")


def unit_name(row: dict | object, prefix: str = "", language: str | None = None) -> str:
    """A unit's name in the current language; units without an English name keep their Chinese one."""
    get = row.get if isinstance(row, dict) else (lambda k, d=None: getattr(row, k, d))
    name = get(f"{prefix}name")
    name_en = get(f"{prefix}name_en")
    if (language or lang()) == "en" and isinstance(name_en, str) and name_en:
        return name_en
    return name if isinstance(name, str) else ""
