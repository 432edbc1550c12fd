"""Page through a JSON API (page numbers, offsets or next links), incrementally by an updated-time parameter."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import httpx

from pipelines.sources import Batch, ExtractContext, SourceError
from pipelines.sources.config import Source, expand
from pipelines.sources.fetch import get_json, records_table

SOURCE_OPTIONS = {
    "url": "the endpoint returning a page of records",
    "items_path": "dotted path to the list of records in the answer (empty: the answer is the list)",
    "pagination": "page | offset | next (default page)",
    "page_param": "page number parameter (pagination = page; default page)",
    "offset_param": "offset parameter (pagination = offset; default offset)",
    "page_size_param": "page size parameter (default page_size; empty: not sent)",
    "page_size": "records per page (default 100)",
    "first_page": "number of the first page (default 1)",
    "next_path": "dotted path to the next page's URL (pagination = next)",
    "cursor_param": "parameter carrying the last update time read (empty: always read everything)",
    "until_param": "parameter carrying the backfill end (default: not sent)",
    "params": "extra query parameters (values may use ${ENV})",
    "headers": "extra request headers (values may use ${ENV}, e.g. an API token)",
    "max_pages": "stop after this many pages in one run (default 1000)",
    "timeout_s": "seconds to wait for an answer (default 30)",
    "retries": "attempts after the first on timeouts, connection errors, 429 and 5xx (default 3)",
    "backoff_s": "first wait between attempts, doubled each time (default 1)",
}
REQUIRED_OPTIONS = ("url",)
STREAM_OPTIONS: dict[str, str] = {}


def dig(body: Any, path: str) -> Any:
    for part in [p for p in path.split(".") if p]:
        if not isinstance(body, dict) or part not in body:
            return None
        body = body[part]
    return body


def extract(source: Source, ctx: ExtractContext) -> Iterator[Batch]:
    o = source.options
    where = f"sources.{source.name}"
    stream = source.streams[0]
    url = expand(str(o["url"]), where)
    params = {k: expand(str(v), where) for k, v in (o.get("params") or {}).items()}
    headers = {k: expand(str(v), where) for k, v in (o.get("headers") or {}).items()}
    style = o.get("pagination", "page")
    if style not in ("page", "offset", "next"):
        raise SourceError(f"{where}.pagination: page, offset or next")
    size = int(o.get("page_size", 100))
    if o.get("page_size_param", "page_size"):
        params[o.get("page_size_param", "page_size")] = size
    cursor = ctx.cursors.get(stream.name)
    if cursor is not None and o.get("cursor_param"):
        params[o["cursor_param"]] = cursor
    if ctx.until is not None and o.get("until_param"):
        params[o["until_param"]] = ctx.until
    page_no = int(o.get("first_page", 1))
    offset = 0
    next_url: str | None = url
    with httpx.Client(timeout=httpx.Timeout(float(o.get("timeout_s", 30))), headers=headers,
                      follow_redirects=True) as client:
        for n in range(int(o.get("max_pages", 1000))):
            if style == "page":
                params[o.get("page_param", "page")] = page_no + n
            elif style == "offset":
                params[o.get("offset_param", "offset")] = offset
            body = get_json(client, next_url, params if n == 0 or style != "next" else {},
                            retries=int(o.get("retries", 3)), backoff_s=float(o.get("backoff_s", 1.0)))
            items = dig(body, str(o.get("items_path", "")))
            if not isinstance(items, list) or not all(isinstance(r, dict) for r in items):
                raise SourceError(f"{url}: no list of records at {o.get('items_path') or 'the top'} "
                                  f"of page {n + 1}")
            if items:
                yield Batch(stream=stream, table=records_table(items), label=f"page {n + 1}")
            offset += len(items)
            if style == "next":
                link = dig(body, str(o.get("next_path", "next")))
                if not link:
                    return
                next_url = urljoin(next_url, str(link))
            elif len(items) < size:
                return
