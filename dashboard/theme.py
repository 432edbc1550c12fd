"""The one status palette, its icons and the plotly templates (light pages and the dark wall screen)."""
from __future__ import annotations

import plotly.graph_objects as go

STATUSES = ("red", "yellow", "green", "unknown", "exempted")
# Worst first: the order in which units and items are ranked and stacked.
SEVERITY = {"red": 0, "yellow": 1, "unknown": 2, "exempted": 3, "green": 4}

COLORS = {
    "red": "#e5383b",
    "yellow": "#f4b400",
    "green": "#2e9e4f",
    "unknown": "#8d99a6",
    "exempted": "#3a7bd5",
}
# Readable text on top of each status colour.
ON_COLORS = {"red": "#ffffff", "yellow": "#1f1f1f", "green": "#ffffff", "unknown": "#111111", "exempted": "#ffffff"}
# Shape as well as colour, so the light is legible without colour vision.
ICONS = {"red": "●", "yellow": "▲", "green": "■", "unknown": "?", "exempted": "◆"}

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

WALL_BG = "#0b1220"
WALL_PANEL = "#131c2e"
WALL_TEXT = "#f1f5f9"
WALL_MUTED = "#9fb0c6"
WALL_GRID = "#24324a"


def color(status: str) -> str:
    return COLORS.get(status, COLORS["unknown"])


def icon(status: str) -> str:
    return ICONS.get(status, ICONS["unknown"])


def light_template() -> go.layout.Template:
    return go.layout.Template(layout=go.Layout(
        font={"family": FONT, "size": 14, "color": "#1f2937"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 8, "r": 8, "t": 36, "b": 8},
        xaxis={"gridcolor": "#e5e7eb", "zeroline": False},
        yaxis={"gridcolor": "#e5e7eb", "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    ))


def wall_template() -> go.layout.Template:
    return go.layout.Template(layout=go.Layout(
        font={"family": FONT, "size": 20, "color": WALL_TEXT},
        paper_bgcolor=WALL_PANEL,
        plot_bgcolor=WALL_PANEL,
        margin={"l": 16, "r": 24, "t": 56, "b": 40},
        title={"font": {"size": 24, "color": WALL_TEXT}, "x": 0.02},
        xaxis={"gridcolor": WALL_GRID, "zeroline": False, "tickfont": {"size": 18, "color": WALL_MUTED}},
        yaxis={"gridcolor": WALL_GRID, "zeroline": False, "tickfont": {"size": 18, "color": WALL_TEXT}},
        showlegend=False,
    ))
