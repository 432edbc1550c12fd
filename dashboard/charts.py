"""Pure figure builders: DataFrame (+ labels) -> plotly Figure; no Streamlit calls, no data access."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme

STACK_ORDER = ("red", "yellow", "unknown", "green", "exempted")


def _template(dark: bool) -> go.layout.Template:
    return theme.wall_template() if dark else theme.light_template()


def unit_bars_figure(units: pd.DataFrame, labels: Mapping[str, str], name_column: str = "label",
                     title: str | None = None, height: int | None = None) -> go.Figure:
    """Horizontal stacked bars, one per unit, worst unit on top; each bar carries its unit code for drill-down."""
    frame = units.copy()
    frame["_rank"] = frame["light"].map(theme.SEVERITY).fillna(9)
    frame = frame.sort_values(["_rank", "red", "yellow"], ascending=[True, False, False])
    # plotly draws the first category at the bottom: reverse so the worst unit is on top
    frame = frame.iloc[::-1]
    fig = go.Figure()
    for status in STACK_ORDER:
        if status not in frame:
            continue
        fig.add_bar(
            name=f"{theme.icon(status)} {labels[status]}", y=frame[name_column], x=frame[status], orientation="h",
            marker_color=theme.color(status), customdata=frame[["unit_code"]].assign(status=status).to_numpy(),
            hovertemplate="%{y}<br>" + labels[status] + "：%{x}<extra></extra>",
            text=frame[status].where(frame[status] > 0, None), textposition="inside",
            insidetextfont={"color": theme.ON_COLORS[status]},
        )
    fig.update_layout(template=_template(False), barmode="stack", title=title,
                      height=height or max(220, 34 * len(frame) + 90), clickmode="event+select",
                      yaxis={"automargin": True}, xaxis={"title": None}, legend={"traceorder": "normal"})
    return fig


def status_trend_figure(trend: pd.DataFrame, labels: Mapping[str, str], statuses: Sequence[str] = ("red", "yellow"),
                        title: str | None = None, dark: bool = False, height: int = 300) -> go.Figure:
    """Daily counts per status; each point carries its status, so a click opens that day's list."""
    fig = go.Figure()
    for status in statuses:
        if status not in trend:
            continue
        fig.add_scatter(
            name=f"{theme.icon(status)} {labels[status]}", x=trend["day"], y=trend[status], mode="lines+markers",
            line={"color": theme.color(status), "width": 4 if dark else 2.5},
            marker={"size": 9 if dark else 7, "color": theme.color(status)},
            fill="tozeroy" if dark and status == "red" else None,
            fillcolor="rgba(229,56,59,0.18)" if dark and status == "red" else None,
            customdata=[[status]] * len(trend),
            hovertemplate="%{x|%Y-%m-%d}<br>" + labels[status] + "：%{y}<extra></extra>",
        )
    fig.update_layout(template=_template(dark), title=title, height=height, clickmode="event+select",
                      showlegend=not dark and len(statuses) > 1, hovermode="closest")
    fig.update_xaxes(tickformat="%m-%d")
    fig.update_yaxes(rangemode="tozero")
    return fig


def ranking_figure(units: pd.DataFrame, name_column: str, title: str | None = None, dark: bool = False,
                   height: int = 300, limit: int = 10) -> go.Figure:
    """Units by on-time rate, best on top; units without due items are left out rather than shown as 100 %."""
    frame = units.dropna(subset=["on_time_rate"]).sort_values(["on_time_rate", "due_count"], ascending=[False, False])
    frame = frame.head(limit).iloc[::-1]
    colours = [theme.color(light) for light in frame["light"]]
    fig = go.Figure(go.Bar(
        y=frame[name_column], x=frame["on_time_rate"] * 100, orientation="h", marker_color=colours,
        text=[f"{rate * 100:.0f}%" for rate in frame["on_time_rate"]], textposition="outside",
        cliponaxis=False, customdata=frame[["unit_code"]].to_numpy(),
        hovertemplate="%{y}：%{x:.0f}%<extra></extra>",
    ))
    fig.update_layout(template=_template(dark), title=title, height=height, clickmode="event+select")
    fig.update_xaxes(range=[0, 118], ticksuffix="%", showticklabels=not dark)
    fig.update_yaxes(automargin=True)
    return fig


def gantt_figure(rows: pd.DataFrame, title: str | None = None, now: pd.Timestamp | None = None,
                 now_label: str = "", height: int | None = None) -> go.Figure:
    """Bars from `start` to `end` per `label`, coloured by `status`, with `shade` rows drawn as a lighter plan bar.

    Columns: label, start, end, status, shade (bool: a planned span drawn behind the actual one), text.
    """
    fig = go.Figure()
    labels = list(dict.fromkeys(rows["label"]))
    for shade in (True, False):
        part = rows[rows["shade"] == shade]
        if part.empty:
            continue
        starts = pd.to_datetime(part["start"])
        ends = pd.to_datetime(part["end"])
        fig.add_bar(
            y=part["label"], base=starts, x=(ends - starts).dt.total_seconds() * 1000, orientation="h",
            marker_color=["#cbd5e1" if shade else theme.color(s) for s in part["status"]],
            marker_line_width=0, width=0.8 if shade else 0.45, text=part.get("text"), textposition="inside",
            hovertext=part.get("text"), hoverinfo="text+y", showlegend=False,
        )
    fig.update_layout(template=_template(False), title=title, barmode="overlay",
                      height=height or max(200, 46 * len(labels) + 90))
    fig.update_xaxes(type="date")
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], automargin=True)
    if now is not None:
        fig.add_vline(x=now, line_dash="dot", line_color=theme.COLORS["red"])
        fig.add_annotation(x=now, y=1.02, yref="paper", text=now_label, showarrow=False,
                           font={"color": theme.COLORS["red"]})
    return fig


def events_figure(events: pd.DataFrame, spans: pd.DataFrame, title: str | None = None,
                  due: pd.Timestamp | None = None, due_label: str = "", now: pd.Timestamp | None = None,
                  now_label: str = "", height: int = 240) -> go.Figure:
    """A request's lifecycle on one time axis: events as markers, clock pauses as shaded spans, deadline and now.

    events: label, at; spans: label, start, end. Labels alternate above and below so close events stay legible.
    """
    fig = go.Figure()
    for span in spans.to_dict("records"):
        fig.add_vrect(x0=span["start"], x1=span["end"], fillcolor="#94a3b8", opacity=0.25, line_width=0,
                      annotation_text=span["label"], annotation_position="top left")
    if not events.empty:
        ordered = events.sort_values("at")
        fig.add_scatter(
            x=ordered["at"], y=[0] * len(ordered), mode="markers+text", text=ordered["label"],
            textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(ordered))],
            marker={"size": 14, "color": "#334155"}, showlegend=False,
            hovertemplate="%{text}<br>%{x|%Y-%m-%d %H:%M}<extra></extra>",
        )
    for at, label, colour, dash in ((due, due_label, theme.COLORS["red"], "dash"), (now, now_label, "#334155", "dot")):
        if at is not None:
            fig.add_vline(x=at, line_dash=dash, line_color=colour, line_width=2)
            fig.add_annotation(x=at, y=1.08, yref="paper", text=label, showarrow=False, font={"color": colour})
    fig.update_layout(template=_template(False), title=title, height=height)
    fig.update_yaxes(visible=False, range=[-1, 1])
    fig.update_xaxes(type="date")
    return fig


def light_history_figure(history: pd.DataFrame, labels: Mapping[str, str], height: int = 140) -> go.Figure:
    """One square per day coloured and shaped by that day's light."""
    fig = go.Figure()
    for status in theme.STATUSES:
        part = history[history["status"] == status]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["day"], y=[0] * len(part), mode="markers", name=f"{theme.icon(status)} {labels[status]}",
            marker={"symbol": "square", "size": 16, "color": theme.color(status)},
            hovertemplate="%{x|%Y-%m-%d}：" + labels[status] + "<extra></extra>",
        )
    fig.update_layout(template=_template(False), height=height, margin={"t": 30, "b": 10})
    fig.update_yaxes(visible=False)
    fig.update_xaxes(tickformat="%m-%d")
    return fig
