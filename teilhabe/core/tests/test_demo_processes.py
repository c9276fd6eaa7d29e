"""`make demo` runs web server, worker and scheduler together and stops them together (scripts/demo.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _child(pid_dir: Path, name: str, seconds: float = 60) -> list[str]:
    code = f"import os,time; open({str(pid_dir / name)!r},'w').write(str(os.getpid())); time.sleep({seconds})"
    return [sys.executable, "-c", code]


def _start(pid_dir: Path, commands: dict[str, list[str]]) -> subprocess.Popen[bytes]:
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from scripts.demo import run_together; sys.exit(run_together({commands!r}))"
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)


def _pids(pid_dir: Path, names: list[str], timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all((pid_dir / n).exists() and (pid_dir / n).read_text() for n in names):
            return [int((pid_dir / n).read_text()) for n in names]
        time.sleep(0.1)
    raise AssertionError("children did not start")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_ctrl_c_stops_every_process(tmp_path: Path) -> None:
    names = ["web", "worker", "scheduler"]
    parent = _start(tmp_path, {n: _child(tmp_path, n) for n in names})
    pids = _pids(tmp_path, names)
    parent.send_signal(signal.SIGINT)
    parent.wait(timeout=20)
    time.sleep(0.2)
    assert all(_gone(pid) for pid in pids)


def test_when_one_process_ends_the_others_are_stopped(tmp_path: Path) -> None:
    parent = _start(tmp_path, {"web": _child(tmp_path, "web"), "worker": _child(tmp_path, "worker", seconds=1)})
    pids = _pids(tmp_path, ["web", "worker"])
    assert parent.wait(timeout=30) == 0
    time.sleep(0.2)
    assert all(_gone(pid) for pid in pids)
