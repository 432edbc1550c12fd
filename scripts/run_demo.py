"""Start the demo city end to end: source systems, pipelines scheduler and dashboard; Ctrl-C stops all."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = os.environ.get("XIAONENG_PORT", "8501")
DEMO_KIOSK_TOKEN = "demo-wall-screen"


def step(title: str, *args: str, required: bool = True) -> None:
    print(f"==> {title}", flush=True)
    result = subprocess.run([PY, *args], cwd=ROOT)
    if result.returncode != 0 and not required:
        print(f"xiaoneng: '{title}' did not fully succeed; the scheduler retries, the dashboard shows which "
              "source is stale", flush=True)
    elif result.returncode != 0:
        sys.exit(f"xiaoneng: '{title}' failed (exit {result.returncode}); see the message above")


def main() -> int:
    os.chdir(ROOT)
    step("demo source systems: a year of history (reused when present)", "-m", "demo", "init")
    step("warehouse schema", "-m", "pipelines", "init")
    # The inbox takes a file only once it has stopped changing for a moment; give fresh drops that moment.
    time.sleep(2.5)
    step("first pull from every source", "-m", "pipelines", "run", required=False)
    step("app database and demo accounts", "-m", "dashboard.appdb", "init", "--demo")

    children: dict[str, subprocess.Popen] = {}
    # Own process group per child: Ctrl-C reaches us once, and we stop the children in order.
    spawn = dict(cwd=ROOT, start_new_session=True)
    children["demo"] = subprocess.Popen([PY, "-m", "demo", "live"], **spawn)
    children["scheduler"] = subprocess.Popen([PY, "-m", "pipelines", "schedule"], **spawn)
    children["dashboard"] = subprocess.Popen(
        [PY, "-m", "streamlit", "run", "dashboard/app.py",
         "--server.port", PORT, "--server.headless", "true",
         "--browser.gatherUsageStats", "false"], **spawn)

    # Trends and "newly red since yesterday" need a past: replay the last 30 days once (skips days it has).
    history = subprocess.Popen([PY, "-m", "pipelines", "lights", "--history-days", "30"], **spawn)

    url = f"http://localhost:{PORT}"
    print(
        f"\nXiaoneng is running: {url}\n"
        f"  wall screen: {url}/?view=wall&kiosk={DEMO_KIOSK_TOKEN}\n"
        "  demo accounts: see the lines printed above by 'dashboard.appdb init --demo' (demo only)\n"
        "  Ctrl-C stops everything.\n", flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for name, proc in children.items():
            if proc.poll() is not None:
                print(f"xiaoneng: {name} stopped unexpectedly (exit {proc.returncode}); stopping the rest",
                      file=sys.stderr, flush=True)
                stopping, code = True, 1
                break
        time.sleep(0.5)

    print("\nstopping…", flush=True)
    if history.poll() is None:
        os.killpg(history.pid, signal.SIGTERM)
        history.wait()
    for name in ("dashboard", "demo", "scheduler"):
        proc = children[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for name, proc in children.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    print("stopped.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
