"""`python app.py report [--assembly DIR] [--output DIR] [--deployed]`: the compliance report of a cloud assembly.

`make synth` runs it after `cdk synth`. The cover names the commit and fingerprints the effective configuration the
command reads, the one every command reads (app.py). `--deployed` also audits the account of the caller's
credentials (read-only, `compliance.audit`) and writes `compliance-report-deployed.html` and `.md`, whose resources
are the ones the audit found there (`compliance.report.deployed`). Exit codes (compliance/command.py): 0 written,
1 when the deployed audit fails a check or cannot read the account, 2 without a cloud assembly, 3 without credentials.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from compliance.command import CANNOT_RUN, OK, USAGE, Options, Settings
from compliance.report.assembly import Covers
from compliance.report.graphviz import GraphvizError
from compliance.report.output import write_report

if TYPE_CHECKING:
    from compliance.aws import Session


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


def configuration_fingerprint(context: Mapping[str, object], sources: tuple[str, ...]) -> str:
    """SHA-256 (first 12 hex digits) of the effective context, keys sorted: equal configuration, equal hash."""
    digest = hashlib.sha256(json.dumps(context, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:12]
    origin = f": {' with '.join(sources)}" if sources else ""
    return f"{digest} (SHA-256 of the effective context{origin}, {len(context)} keys)"


def covers_for(settings: Settings) -> Covers:
    return Covers(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=commit_of(Path.cwd()),
        configuration=configuration_fingerprint(settings.context, settings.sources),
    )


def run(settings: Settings, options: Options, *, session: Session | None = None) -> int:
    assembly, output = Path(options.value("--assembly")), Path(options.value("--output"))
    if not (assembly / "manifest.json").exists():
        print(f"{assembly}: no cloud assembly here; run `make synth` first", file=sys.stderr)
        return USAGE
    covers = covers_for(settings)
    try:
        written = write_report(assembly, output, covers)
    except GraphvizError as error:  # the pictures' layout engine is an input too: nothing written without it
        print(f"Compliance report: {error}", file=sys.stderr)
        return USAGE
    for path in written:
        print(f"Compliance report: {path.resolve()}")
    if "--deployed" not in options:
        return OK
    from compliance.aws import start_session  # botocore and boto3 only for the deployed report
    from compliance.report.deployed import write_deployed

    session = session or start_session(sys.stderr)
    return CANNOT_RUN if session is None else write_deployed(assembly, output, covers, session)
