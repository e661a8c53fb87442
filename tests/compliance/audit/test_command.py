"""`python app.py audit` reaches the audit with the configuration of cdk.json, and fails cleanly without AWS."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.project import ROOT


def test_audit_command_reports_unreachable_aws_as_drift_without_a_traceback() -> None:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # nothing listens there
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    result = subprocess.run(
        [sys.executable, "app.py", "audit"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "us-east-1" in result.stdout
    assert "FAIL" in result.stdout
