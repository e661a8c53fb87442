"""checkov's CloudFormation scan kept in one process, run by checkov's own interpreter (.venv-checkov).

A template path per line on stdin; its failed checks, one JSON line on stdout: `[{"check": ..., "resource": ...}]`.
The checks are those `checkov --framework cloudformation --quiet` runs: its CloudFormation runner, with the filter
the command line builds from those options (every checkov policy, no platform). Importing checkov takes seconds and
a template a fraction of one, so tests/compliance/test_checkov.py starts this once per worker and scans one template
per test.
"""

from __future__ import annotations

import json
import os
import sys

# The answers get stdout alone: whatever checkov prints goes to stderr.
answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

from checkov.cloudformation.runner import Runner  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402

for line in sys.stdin:
    runner_filter = RunnerFilter(framework=["cloudformation"], show_progress_bar=False)
    result = Runner().run(root_folder=None, files=[line.rstrip("\n")], runner_filter=runner_filter)
    reports = result if isinstance(result, list) else [result]
    failed = [
        {"check": check.check_id, "resource": check.resource.split(".", 1)[1]}
        for report in reports
        for check in report.failed_checks
    ]
    answers.write(json.dumps(failed) + "\n")
    answers.flush()
