"""HTTP GET of JSON with timeouts and bounded retries with backoff, shared by the HTTP source clients."""
from __future__ import annotations

import json
import time
from typing import Any

import httpx

from pipelines.sources import SourceError

RETRY_STATUS = {429, 500, 502, 503, 504}


def get_json(client: httpx.Client, url: str, params: dict[str, Any], *, retries: int, backoff_s: float) -> Any:
    """GET url and parse JSON; retry transport errors, timeouts and 429/5xx; fail with one clear sentence."""
    attempt = 0
    while True:
        problem = None
        try:
            response = client.get(url, params=params)
        except httpx.TimeoutException:
            problem = f"no answer within {client.timeout.read} s"
        except httpx.TransportError as exc:
            problem = f"cannot connect ({type(exc).__name__}: {exc})"
        else:
            if response.status_code in RETRY_STATUS:
                problem = f"HTTP {response.status_code}"
            elif response.status_code >= 400:
                raise SourceError(f"GET {url} answered HTTP {response.status_code}: {response.text[:200]!r}")
            else:
                try:
                    return response.json()
                except (json.JSONDecodeError, UnicodeDecodeError):
                    raise SourceError(f"GET {url} did not return JSON (starts with {response.text[:60]!r})") from None
        if attempt >= retries:
            raise SourceError(f"GET {url} failed after {attempt + 1} attempt(s): {problem}")
        time.sleep(backoff_s * 2 ** attempt)
        attempt += 1


def flatten(record: dict, prefix: str = "") -> dict[str, str | None]:
    """Nested JSON objects become dotted keys; every value becomes text (lists and objects as JSON)."""
    out: dict[str, str | None] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif value is None:
            out[name] = None
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = str(value)
    return out


def records_table(records: list[dict]):
    """A list of JSON records as an Arrow table of text columns (the union of their keys)."""
    import pyarrow as pa

    flat = [flatten(r) for r in records]
    names: dict[str, None] = {}
    for row in flat:
        names.update(dict.fromkeys(row))
    return pa.table({n: pa.array([row.get(n) for row in flat], pa.string()) for n in names})
