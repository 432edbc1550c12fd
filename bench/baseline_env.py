"""DuckDB 1.5.5 with its excel and encodings extensions, in a venv of its own, to time baseline statements.

DuckDB 2.0 (the project's version) has no excel or encodings extension on PyPI; 1.5.5 is the newest
DuckDB whose extensions install from there as wheels. Its Python module cannot share a process with
DuckDB 2.0, so each statement runs in a subprocess of that venv, which times it itself.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import venv
from pathlib import Path

VERSION = "1.5.5"
PACKAGES = (f"duckdb=={VERSION}", f"duckdb-extension-excel=={VERSION}", f"duckdb-extension-encodings=={VERSION}")
VENV = Path(__file__).resolve().parent / ".baseline-venv"
# Written last by setup: a venv without it (or listing other packages) was interrupted or is stale.
COMPLETE = VENV / "installed.txt"

# Runs inside the venv: argv[1] is a JSON request; prints wall and CPU seconds of the statement alone, on a fresh
# connection with the extensions already loaded, then the result of the check query.
_CHILD = r"""
import json, resource, sys, time
from importlib import import_module
from pathlib import Path

import duckdb

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

request = json.loads(sys.argv[1])
con = duckdb.connect(request["database"])
for name in request["extensions"]:
    package = Path(import_module(f"duckdb_extension_{name}").__file__).parent
    con.load_extension(str(package / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"))
started, cpu_started = time.perf_counter(), cpu()
con.execute(request["sql"], request["params"]).fetchall()
wall, cpu_s = time.perf_counter() - started, cpu() - cpu_started
check = con.execute(request["check"]).fetchall() if request["check"] else None
con.close()
print(json.dumps({"wall": wall, "cpu": cpu_s, "check": check, "version": duckdb.__version__}))
"""


class BaselineEnvError(RuntimeError):
    """The baseline venv could not be made, or a statement failed in it."""


def python() -> Path:
    """The venv's interpreter; the venv is made first unless it is there and complete."""
    interpreter = VENV / "bin" / "python"
    wanted = "\n".join(PACKAGES) + "\n"
    if interpreter.exists() and COMPLETE.exists() and COMPLETE.read_text() == wanted:
        return interpreter
    shutil.rmtree(VENV, ignore_errors=True)
    print(f"making {VENV} with {', '.join(PACKAGES)} ...", flush=True)
    venv.EnvBuilder(with_pip=True).create(VENV)
    done = subprocess.run([str(interpreter), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           *PACKAGES], capture_output=True, text=True)
    if done.returncode != 0:
        raise BaselineEnvError(f"pip could not install {' '.join(PACKAGES)} into {VENV} (exit {done.returncode}):\n"
                               f"{done.stderr.strip() or done.stdout.strip()}")
    COMPLETE.write_text(wanted)
    return interpreter


def run(sql: str, params: list, *, database: str = ":memory:", extensions: tuple[str, ...] = (),
        check: str | None = None) -> tuple[float, float, list | None]:
    """Wall and CPU seconds of one statement on a fresh DuckDB 1.5.5 connection (to `database`, with the named
    extensions loaded), as measured inside its process, and the rows of the `check` query run after it."""
    request = {"sql": sql, "params": params, "database": database, "extensions": list(extensions), "check": check}
    done = subprocess.run([str(python()), "-c", _CHILD, json.dumps(request)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BaselineEnvError(f"DuckDB {VERSION} failed on {sql!r}:\n{done.stderr.strip()}")
    answer = json.loads(done.stdout.splitlines()[-1])
    if answer["version"] != VERSION:
        raise BaselineEnvError(f"{VENV} has DuckDB {answer['version']}, not {VERSION}; delete it to remake it")
    return answer["wall"], answer["cpu"], answer["check"]


if __name__ == "__main__":
    print(python())
