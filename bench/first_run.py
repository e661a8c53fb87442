"""First run: `make synth` on a fresh clone with its own virtual environment and node_modules, as a new user runs it.

The committed HEAD is cloned into a temporary folder (`git clone`, then `git checkout` of HEAD's commit: uncommitted
changes are not measured) and `make synth` runs there once, timed from start to end. What it spent on each step is
read from the install stamps' modification times: `.venv/.synth` (venv, pip install -r requirements.txt) and
`node_modules/.installed` (npm ci) are made at the same time, each stamped when done; synthesis and the report take
the rest. Downloads come from the package registries; pip's and npm's caches are used when present (the machine's,
as a developer's would be), which the notes say. Installed size is `du` of .venv and node_modules. CPU time is the
children's user + system time, which a shared machine's load does not inflate the way it inflates wall time.

  python bench/first_run.py [--then-test]     --then-test: also run `make test` in the clone afterwards
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, Row, Section, temp_dir

TARGET_SECONDS = 90.0
TARGET_MB = 600.0
# The install stamps `make synth` touches when each of its two concurrent installs is done.
STAMPS = (
    ("Python environment (venv, requirements.txt), done after", ".venv/.synth"),
    ("Node.js tools (npm ci: CDK CLI, Node.js, Graphviz), done after", "node_modules/.installed"),
)


def clean_env() -> dict[str, str]:
    """The user's environment without this checkout's: no venv, no CDK context, the system's PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "CDK_CONTEXT_JSON")}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if str(ROOT) not in p]
    env["PATH"] = os.pathsep.join(path)
    return env


def size_mb(*paths: Path) -> float:
    total = 0
    for path in paths:
        result = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True)
        total += int(result.stdout.split()[0])
    return total / 1_000_000


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make(clone: Path, target: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of `make TARGET` in the clone; raises with its output if it fails."""
    cpu, start = children_cpu(), time.perf_counter()
    result = subprocess.run(["make", target], cwd=clone, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"make {target} exited {result.returncode}: {(result.stderr or result.stdout)[-1500:]}")
    return wall, children_cpu() - cpu


def caches() -> str:
    pip = Path.home() / ".cache" / "pip"
    npm = Path.home() / ".npm"
    found = [f"pip {size_mb(pip):.0f} MB" if pip.exists() else "pip: none"]
    found.append(f"npm {size_mb(npm):.0f} MB" if npm.exists() else "npm: none")
    return ", ".join(found)


def run(then_test: bool = False) -> Section:
    section = Section("7. First run")
    started = time.perf_counter()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    sha = commit.stdout.strip()
    env = clean_env()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    cached = caches()
    with temp_dir("first-run") as parent:
        clone = parent / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, capture_output=True)
        subprocess.run(["git", "checkout", "-q", sha], cwd=clone, check=True, capture_output=True)
        begun = time.time()
        wall, cpu = make(clone, "synth", env)
        done = {name: (clone / stamp).stat().st_mtime - begun for name, stamp in STAMPS}
        venv_mb, node_mb = size_mb(clone / ".venv"), size_mb(clone / "node_modules")
        templates = len(list((clone / "cdk.out").glob("*.template.json")))
        report = (clone / "reports" / "compliance-report.html").exists()
        status = "met" if wall <= TARGET_SECONDS else "MISSED"
        section.rows.append(
            Row(
                "7. First run",
                f"make synth on a fresh clone ({sha[:7]})",
                f"{wall:.0f} s ({cpu:.0f} s CPU)",
                "",
                f"<= {TARGET_SECONDS:.0f} s",
                status,
            )
        )
        for name, seconds in done.items():
            section.rows.append(Row("7. First run", name, f"{seconds:.0f} s", status="info"))
        installed = max(done.values())
        section.rows.append(Row("7. First run", "synthesis and report", f"{wall - installed:.0f} s", status="info"))
        total = venv_mb + node_mb
        section.rows.append(
            Row(
                "7. First run",
                "installed: .venv + node_modules",
                f"{total:.0f} MB ({venv_mb:.0f} + {node_mb:.0f})",
                "",
                f"<= {TARGET_MB:.0f} MB",
                "met" if total <= TARGET_MB else "MISSED",
            )
        )
        section.notes.append(
            f"Cloned HEAD ({sha[:7]}) into a temporary folder; `make synth` there wrote {templates} templates and "
            f"{'the' if report else 'no'} HTML report. Load average at start: {load} (2 cores shared with other "
            f"work: wall time includes waiting; CPU time does not). Caches before the run: {cached}."
        )
        if then_test:
            test_wall, _ = make(clone, "test", env)
            installed = size_mb(clone / ".venv", clone / ".venv-checkov", clone / "node_modules")
            section.rows.append(
                Row(
                    "7. First run",
                    "make test after it (installs the test and scan tools)",
                    f"{test_wall:.0f} s, passed; {installed:.0f} MB installed then",
                    status="info",
                )
            )
    section.seconds = time.perf_counter() - started
    return section


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--then-test", action="store_true", help="also run `make test` in the clone")
    args = parser.parse_args(argv)
    if shutil.which("make") is None or shutil.which("npm") is None:
        print("make and npm are needed", file=sys.stderr)
        return 2
    section = run(then_test=args.then_test)
    for row in section.rows:
        print(f"{row.variant}: {row.value} {row.target} {row.status}".rstrip())
    print("\n".join(section.notes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
