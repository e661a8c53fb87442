"""Run every benchmark in one go, print the results table and write bench/RESULTS.md.

  .venv/bin/python bench/run.py                 all benchmarks (`make bench`)
  .venv/bin/python bench/run.py --quick         fewer repetitions (a smoke run, noisier)
  .venv/bin/python bench/run.py --no-tests      leave out the `make test` timing
  .venv/bin/python bench/run.py --only synth    one or more of: cold, call, package, synth, tests, org, first
  .venv/bin/python bench/run.py --only org --merge
                                                these benchmarks only, their rows merged into RESULTS.md (the
                                                other benchmarks' rows, notes and findings kept as they are)
  .venv/bin/python bench/run.py --only first --merge --then-test
                                                the first `make synth` on a fresh clone, then `make test` there

Variants are measured side by side in the same run and compared by ratio: absolute times on a shared machine are
noise. A benchmark that cannot run says why in the table. Nothing here asserts timings in the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cold_start
import first_run
import org_audit
import package_size
import per_call
import suite_time
import synth
from _common import BENCH, SPEED, Row, Section, core_speed, machine
from _results import merge

NAMES = ("package", "cold", "call", "synth", "tests", "org", "first")
TITLES = {
    "package": "3. Package",
    "cold": "1. Cold start",
    "call": "2. Per call",
    "synth": "4. Synth",
    "tests": "5. Tests",
    "org": "6. Org audit",
    "first": "7. First run",
}


def benchmarks(quick: bool, then_test: bool = False) -> dict[str, Callable[[], Section]]:
    return {
        "package": package_size.run,
        "cold": lambda: cold_start.run(runs=4 if quick else 10),
        "call": lambda: per_call.run(iterations=300 if quick else 2000),
        "synth": lambda: synth.run(runs=1 if quick else 5),
        "tests": suite_time.run,
        "org": lambda: org_audit.run(latency_ms=10.0 if quick else 20.0),
        "first": lambda: first_run.run(then_test=then_test),
    }


def table(rows: list[Row]) -> list[str]:
    head = ("Benchmark", "Variant", "Measured", "Ratio", "Target", "Status")
    cells = [head] + [(r.benchmark, r.variant, r.value, r.ratio, r.target, r.status) for r in rows]
    return (
        ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in cells[:1]]
        + ["| " + " | ".join("---" for _ in head) + " |"]
        + ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in cells[1:]]
    )


def console(rows: list[Row]) -> str:
    cells = [("Benchmark", "Variant", "Measured", "Ratio", "Target", "Status")]
    cells += [(r.benchmark, r.variant, r.value, r.ratio, r.target, r.status) for r in rows]
    widths = [min(max(len(row[i]) for row in cells), 64) for i in range(6)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-tests", action="store_true", help="do not time `make test`")
    parser.add_argument("--with-tests", action="store_true", help="time `make test` (the default)")
    parser.add_argument("--only", nargs="+", choices=NAMES, help="run only these benchmarks")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--merge", action="store_true", help="merge these benchmarks' rows into the existing output")
    parser.add_argument("--then-test", action="store_true", help="first run: also `make test` in the fresh clone")
    args = parser.parse_args(argv)
    selected = list(args.only or NAMES)
    if args.no_tests and not args.with_tests and "tests" in selected:
        selected.remove("tests")

    facts = machine()
    print("\n".join(f"{k}: {v}" for k, v in facts.items()), flush=True)
    started = time.perf_counter()
    sections: list[Section] = []
    for name in selected:
        print(f"... {TITLES[name]}", flush=True)
        try:
            section = benchmarks(args.quick, args.then_test)[name]()
        except Exception as error:  # a benchmark that cannot run says why instead of failing the others
            section = Section(TITLES[name])
            reason = f"{type(error).__name__}: {error}".splitlines()[0][:300]
            section.rows.append(Row(TITLES[name], "(benchmark)", "not measured", status=f"error: {reason}"))
            section.notes.append("Traceback: " + " ".join(traceback.format_exc().splitlines()[-3:]))
        sections.append(section)
        print(f"    done in {section.seconds:.0f} s", flush=True)
    rows = sorted((r for s in sections for r in s.rows), key=lambda r: r.benchmark[:2])
    machine_lines = [f"- {k}: {v}" for k, v in facts.items()]
    notes = [f"- **{section.name}.** {note}" for section in sections for note in section.notes]
    merged_findings: list[str] = []
    if args.merge:
        rows, notes, merged_findings, machine_lines = merge(
            args.output, sections, [TITLES[name] for name in selected], facts
        )

    print()
    print(console(rows))
    findings = [f for s in sections for f in s.findings]
    if findings:
        print("\nFindings:\n" + "\n".join(f"- {f}" for f in findings))

    # Other work on a shared machine shows here: a load well above the start's may have slowed some variants.
    facts["Load average at end (1, 5, 15 min)"] = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    facts[f"{SPEED} at end"] = core_speed()
    command = "bench/run.py " + " ".join(argv)
    written = (
        f"Written by `{command.strip()}` (`make bench`) in {time.perf_counter() - started:.0f} s. Compare ratios, "
        "not absolute times: the machine is shared. What each benchmark measures: [README.md](README.md)."
    )
    if args.merge and args.output.exists():  # the earlier run wrote the other rows: its line stays
        earlier = [line for line in args.output.read_text().splitlines() if line.startswith("Written by")]
        written = earlier[0] if earlier else written
    lines = [
        "# Benchmark results",
        "",
        written,
        "",
        "## Machine",
        "",
        *machine_lines,
        "",
        "## Results",
        "",
        *table(rows),
        "",
        "## Notes",
        "",
        *notes,
    ]
    lines += ["", "## Findings (targets missed: why, and what a fix would take)", ""]
    own = [f"- **{section.name}.** {finding}" for section in sections for finding in section.findings]
    finding_lines = merged_findings if args.merge else own
    lines += finding_lines or ["- Every target was met in this run."]
    analysis = BENCH / "ANALYSIS.md"
    if analysis.exists():
        lines += ["", analysis.read_text().strip()]
    args.output.write_text("\n".join(lines) + "\n")
    print(f"\nWritten: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
