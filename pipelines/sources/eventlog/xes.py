"""Stream an XES log (plain or gzipped) into one row per event, trace attributes prefixed 'case:' as pm4py does."""
from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa

from pipelines.sources.inbox.readers import FileRejected

_VALUE_TAGS = {"string", "date", "int", "float", "boolean", "id"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_xes(path: Path) -> pa.Table:
    rows: list[dict[str, str | None]] = []
    names: dict[str, None] = {}
    stack: list[str] = []
    trace_attrs: dict[str, str | None] = {}
    trace_events: list[dict[str, str | None]] = []
    event_attrs: dict[str, str | None] = {}
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for action, elem in ET.iterparse(fh, events=("start", "end")):
                tag = _local(elem.tag)
                if action == "start":
                    stack.append(tag)
                    if tag == "trace":
                        trace_attrs, trace_events = {}, []
                    elif tag == "event":
                        event_attrs = {}
                    continue
                stack.pop()
                parent = stack[-1] if stack else None
                if tag in _VALUE_TAGS and "key" in elem.attrib:
                    # Only attributes directly under an event or a trace; nested ones (lists, meta) are skipped.
                    if parent == "event":
                        event_attrs[elem.attrib["key"]] = elem.attrib.get("value")
                    elif parent == "trace":
                        trace_attrs["case:" + elem.attrib["key"]] = elem.attrib.get("value")
                elif tag == "event" and parent == "trace":
                    trace_events.append(event_attrs)
                    elem.clear()
                elif tag == "trace":
                    # Trace attributes may come after the events in the file: join them at the trace's end.
                    for event in trace_events:
                        row = {**trace_attrs, **event}
                        names.update(dict.fromkeys(row))
                        rows.append(row)
                    elem.clear()
    except (ET.ParseError, OSError, EOFError) as exc:
        raise FileRejected(f"not a readable XES log: {' '.join(str(exc).split())[:200]}") from None
    if not rows:
        raise FileRejected("the XES log has no events")
    return pa.table({n: pa.array([r.get(n) for r in rows], pa.string()) for n in names})
