"""The compliance report: what the synthesized templates say, written for a reviewer.

    python -m compliance.report <cloud-assembly-dir> <output-dir> [--context cdk.json] [--deployed]

Everything in the report is read from the cloud assembly (`cdk.out`): the templates, their construct paths,
their `Metadata.cdk_nag` acknowledgements and the rule packs' `validation-report.json`. Nothing is hand-written,
so the report changes when the infrastructure does. `--context` names the file whose `context` object the
configuration fingerprint hashes (`make synth` passes cdk.json). `--deployed` also audits the account of the
caller's credentials (read-only, `compliance.audit`) and writes `compliance-report-deployed.html` and `.md`,
whose resources are the ones the audit found there (`compliance.report.deployed`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance.report.assembly import Covers, Report, build_report
from compliance.report.contents import region_answer
from compliance.report.facts import RegionFacts
from compliance.report.html import render_html
from compliance.report.markdown import render_markdown
from compliance.report.output import write_report

if TYPE_CHECKING:
    from compliance.aws import Session

__all__ = [
    "Covers",
    "RegionFacts",
    "Report",
    "build_report",
    "main",
    "region_answer",
    "render_html",
    "render_markdown",
    "write_report",
]


def commit_of(directory: Path) -> str:
    """`git rev-parse --short HEAD`, marked when tracked files differ from it; "" outside a git checkout."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=directory, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=directory, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f"{head} (with uncommitted changes)" if changed else head


def configuration_fingerprint(context_file: Path) -> str:
    """SHA-256 (first 12 hex digits) of the file's `context` object, keys sorted: equal configuration, equal hash."""
    context: Any = json.loads(context_file.read_text()).get("context", {})
    digest = hashlib.sha256(json.dumps(context, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:12]
    return f"{digest} (SHA-256 of the context of {context_file.name}, {len(context)} keys)"


def covers_for(assembly: Path, context_file: Path | None) -> Covers:
    return Covers(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=commit_of(Path.cwd()),
        configuration=configuration_fingerprint(context_file) if context_file else "",
    )


def main(argv: list[str], session: Session | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compliance.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("assembly", type=Path, help="the synthesized cloud assembly (cdk.out)")
    parser.add_argument("output", type=Path, help="where to write compliance-report.md and .html")
    parser.add_argument("--context", type=Path, help="file whose `context` the configuration fingerprint hashes")
    parser.add_argument(
        "--deployed", action="store_true", help="also audit the account and write the as-deployed report"
    )
    try:
        args = parser.parse_args(argv[1:])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not (args.assembly / "manifest.json").exists():
        print(f"{args.assembly}: no cloud assembly here; run `make synth` first", file=sys.stderr)
        return 2
    if args.context is not None and not args.context.exists():
        print(f"--context {args.context}: no such file", file=sys.stderr)
        return 2
    covers = covers_for(args.assembly, args.context)
    for path in write_report(args.assembly, args.output, covers):
        print(f"Compliance report: {path.resolve()}")
    if args.deployed:
        from compliance.report.deployed import write_deployed  # boto3 only here

        return write_deployed(args.assembly, args.output, covers, session)
    return 0
