"""Page through an Open311 GeoReport v2 requests.json endpoint, incrementally by updated_datetime."""
from __future__ import annotations

from collections.abc import Iterator

import httpx

from pipelines.sources import Batch, ExtractContext, SourceError
from pipelines.sources.config import Source, expand
from pipelines.sources.fetch import get_json, records_table

SOURCE_OPTIONS = {
    "url": "the requests.json endpoint, e.g. https://city.example/open311/v2/requests.json",
    "params": "extra query parameters (a table; values may use ${ENV} for keys)",
    "cursor_param": "query parameter carrying the last update time read (default updated_after)",
    "until_param": "query parameter carrying the backfill end (default updated_before)",
    "page_param": "query parameter of the page number (default page; pages start at 1)",
    "page_size_param": "query parameter of the page size (default page_size)",
    "page_size": "records per page (default 100)",
    "max_pages": "stop after this many pages in one run; the next run goes on from the cursor (default 1000)",
    "timeout_s": "seconds to wait for an answer (default 30)",
    "retries": "attempts after the first on timeouts, connection errors, 429 and 5xx (default 3)",
    "backoff_s": "first wait between attempts, doubled each time (default 1)",
}
REQUIRED_OPTIONS = ("url",)
STREAM_OPTIONS: dict[str, str] = {}


def pages(source: Source, ctx: ExtractContext, stream_name: str) -> Iterator[tuple[int, list[dict]]]:
    """Yield (page number, records) from a page-numbered JSON list endpoint until a short or empty page."""
    o = source.options
    where = f"sources.{source.name}"
    url = expand(str(o["url"]), where)
    params = {k: expand(str(v), where) for k, v in (o.get("params") or {}).items()}
    size = int(o.get("page_size", 100))
    cursor = ctx.cursors.get(stream_name)
    if cursor is not None:
        params[o.get("cursor_param", "updated_after")] = cursor
    if ctx.until is not None:
        params[o.get("until_param", "updated_before")] = ctx.until
    timeout = float(o.get("timeout_s", 30))
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True) as client:
        for page in range(1, int(o.get("max_pages", 1000)) + 1):
            params[o.get("page_param", "page")] = page
            params[o.get("page_size_param", "page_size")] = size
            body = get_json(client, url, dict(params), retries=int(o.get("retries", 3)),
                            backoff_s=float(o.get("backoff_s", 1.0)))
            yield page, body
            if not isinstance(body, list) or len(body) < size:
                return


def extract(source: Source, ctx: ExtractContext) -> Iterator[Batch]:
    stream = source.streams[0]
    for page, body in pages(source, ctx, stream.name):
        if not isinstance(body, list) or not all(isinstance(r, dict) for r in body):
            raise SourceError(f"page {page} of {source.options['url']} is not a JSON list of service requests")
        if body:
            yield Batch(stream=stream, table=records_table(body), label=f"page {page}")
