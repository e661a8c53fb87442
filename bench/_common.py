"""Shared helpers of the benchmarks: paths, statistics, interleaving, the function's environment, machine facts."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
CODE_ROOT = ROOT / "lambda" / "invoker"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
NODE_BIN = ROOT / "node_modules" / ".bin"
# What CDK leaves out of the function's asset (stacks/invoker/function.py: Code.from_asset(..., exclude=...)).
ASSET_EXCLUDE = ("**/__pycache__", "*.pyc", ".*")

# The repository root, after everything else: `tests.support` (plain Python) is imported like any package.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from tests.support.invoker import BASE_ENV  # noqa: E402


def asset_files(root: Path = CODE_ROOT) -> list[Path]:
    """Files CDK puts in the function's asset: everything under `root` except __pycache__, *.pyc and dotfiles."""
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part == "__pycache__" or part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix != ".pyc":
            files.append(path)
    return files


def copy_asset(destination: Path) -> Path:
    """A copy of the asset as Lambda unpacks it in /var/task: no bytecode, so the function's own code compiles."""
    for path in asset_files():
        target = destination / path.relative_to(CODE_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return destination


def function_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean process environment: the test suite's function environment (tests/support/invoker.py: BASE_ENV),
    the variables the construct adds (core/invoker/environment.py: function_environment), fake credentials and no
    AWS configuration files, so nothing on the developer's machine changes what is measured."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
        "INVOKER_LOG_PROMPTS": "false",
        **BASE_ENV,
    }
    env.update(extra)
    return env


def node_env() -> dict[str, str]:
    """PATH with the pinned CDK CLI and Node.js first, then the project's venv (so `python3` is the venv's)."""
    env = dict(os.environ)
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "CDK_OUTDIR", "CDK_CONTEXT_JSON"):
        env.pop(name, None)
    env["PATH"] = os.pathsep.join([str(NODE_BIN), str(VENV_PYTHON.parent), env.get("PATH", "")])
    env["CDK_DISABLE_VERSION_CHECK"] = "1"
    env["CDK_DISABLE_CLI_TELEMETRY"] = "true"
    return env


@contextlib.contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def interleave(variants: dict[str, Callable[[], float]], rounds: int, warmup: int = 1) -> dict[str, list[float]]:
    """Run every variant once per round, in an order rotated each round; return the timings of the measured rounds.

    Rotating the order spreads slow phases of a shared machine over all variants instead of over one of them.
    """
    names = list(variants)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for index in range(warmup + rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            value = variants[name]()
            if index >= warmup:
                samples[name].append(value)
    return samples


def timed_run(cmd: Sequence[str], **kwargs: Any) -> float:
    """Wall time (s) of a process from spawn to exit; raises with its output if it fails."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}... exited {proc.returncode}: {(proc.stderr or proc.stdout)[-2000:]}")
    return elapsed


@dataclass
class Row:
    """One line of the results table."""

    benchmark: str
    variant: str
    value: str
    ratio: str = ""
    target: str = ""
    status: str = ""  # met, MISSED, info, skipped, error


@dataclass
class Section:
    """What one benchmark reports: table rows, notes and, where a target is missed, the diagnosis."""

    name: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.2f} ms"


SPEED = "Speed of one core (a fixed pure-Python loop: the sum of 2·10^7 squares)"


def core_speed() -> str:
    """How long a fixed pure-Python loop takes now: a shared host busy with other work shows here, whatever the
    load average of this machine says."""
    started = time.perf_counter()
    sum(i * i for i in range(2 * 10**7))
    return f"{time.perf_counter() - started:.2f} s"


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} ({platform.system()} {platform.release()})"
    load = ""
    with contextlib.suppress(OSError):
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return {
        "Date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "Load average at start (1, 5, 15 min)": load,
        f"{SPEED} at start": core_speed(),
        "Python": f"{platform.python_version()} ({sys.executable})",
        "OS": os_name,
    }
