"""The organization audit's command line: exit codes, JSON, a target it cannot list, and app.py's options.

The tests that audit read one small moto organization, built once for the module (the audit only reads it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from compliance.audit.organization.command import run
from core.config import AppConfig
from tests.support.commands import flags, printed, settings_of
from tests.support.fake_account import audit_config
from tests.support.fake_organization import FakeOrganization, auditor_session, build_organization
from tests.support.project import ROOT

REGION = "us-east-1"


def config_of(fake: FakeOrganization, **context: Any) -> AppConfig:
    return audit_config(**{"regions": [REGION], "organization_targets": [fake.target], **context})


@pytest.fixture(scope="module")
def fake(aws_session: boto3.Session) -> Iterator[FakeOrganization]:
    """Two compliant members under the target (moto's backend lives as long as the module)."""
    with mock_aws():
        yield build_organization(aws_session, accounts=2, regions=[REGION])


def test_a_clean_organization_exits_zero_and_says_so(fake: FakeOrganization) -> None:
    code, out, _ = printed(run, settings_of(config_of(fake)), flags(), caller=auditor_session())
    assert code == 0, out
    assert out.rstrip().endswith("0 failed, 0 accounts unreachable: no drift")


def test_json_output_is_one_document_for_pipelines(fake: FakeOrganization) -> None:
    code, out, _ = printed(run, settings_of(config_of(fake)), flags("--json"), caller=auditor_session())
    document = json.loads(out)
    assert code == 0
    assert len(fake.members) == 2 and {row["account"] for row in document["rows"]} == set(fake.members)
    assert set(document["rows"][0]) == {
        "account", "account_name", "region", "check", "resource", "expected", "actual", "result"
    }  # fmt: skip
    assert document["summary"]["drift"] is False and document["summary"]["account_regions"] == 2


def test_a_target_that_cannot_be_listed_is_a_fail_line_and_drift_not_a_crash(fake: FakeOrganization) -> None:
    config = config_of(fake, organization_targets=[fake.target, "ou-zz99-doesnotexist"])
    code, out, _ = printed(run, settings_of(config), flags(), caller=auditor_session())
    assert code == 1
    assert "FAIL organizations.accounts: cannot list the accounts of ou-zz99-doesnotexist: " in out
    assert "Traceback" not in out


def test_without_targets_the_command_names_the_key() -> None:
    code, out, err = printed(run, settings_of(audit_config()), flags(), caller=auditor_session())
    assert (code, out) == (2, "")
    assert err.startswith("Configuration error: organization_targets: unset;") and len(err.splitlines()) == 1


def _app(*args: str, **context: Any) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CDK_CONTEXT_JSON": json.dumps(context),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # nothing listens there
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_app_reaches_the_organization_audit_and_reports_unreachable_aws_without_a_traceback() -> None:
    result = _app("audit", "--organization", "--json", organization_targets=["r-ab12"])
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["listing_errors"][0]["parent"] == "r-ab12"


def test_app_refuses_an_unknown_audit_option() -> None:
    result = _app("audit", "--everything")
    assert result.returncode == 2
    assert result.stderr.strip().endswith("unknown option '--everything'; allowed: --organization --json -c KEY=VALUE")


def test_the_callers_policy_grants_exactly_what_the_organization_audit_asks_of_the_caller(
    fake: FakeOrganization,
) -> None:
    """compliance/organization_audit_caller_policy.json: the Organizations listing and AssumeRole of the audit role.
    Everything else the audit calls runs with each account's role (compliance/audit_policy.json)."""
    called: set[str] = set()

    def record(event_name: str, **_: Any) -> None:
        _, service, operation = event_name.split(".")
        if service in ("organizations", "sts"):
            called.add(f"{service}:{operation}")

    caller = auditor_session(facts=fake.facts)
    caller.events.register("before-call.*.*", record)
    assert printed(run, settings_of(config_of(fake)), flags(), caller=caller)[0] == 0
    policy = json.loads((ROOT / "compliance" / "organization_audit_caller_policy.json").read_text())
    granted = {
        action
        for statement in policy["Statement"]
        for action in (statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]])
    }
    assert called == granted
    (assume,) = [s for s in policy["Statement"] if s["Action"] == "sts:AssumeRole"]
    assert assume["Resource"] == f"arn:aws:iam::*:role/{config_of(fake).organization.audit_role_name}"
