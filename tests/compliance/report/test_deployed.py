"""The report as deployed, against the moto account the audit tests use: the real names, the audit's rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import COMMANDS
from compliance.audit import Expectations
from compliance.command import Options
from compliance.report.command import run
from compliance.report.deployed import expectations
from tests.support.commands import settings_of
from tests.support.fake_account import CompliantAccount, audit_config
from tests.support.html_report import check_html
from tests.support.synth import Synth


def deployed(synth: Synth, output: Path) -> Options:
    options = COMMANDS["report"].parse(["--assembly", str(synth.outdir), "--output", str(output), "--deployed"])
    assert isinstance(options, Options), options
    return options


def test_the_expectations_are_the_continuous_audits(default_synth: Synth) -> None:
    assert expectations(default_synth.outdir, "us-east-1") == Expectations(retention_days=30, data=("text", "image"))
    with pytest.raises(ValueError, match="eu-west-9: no continuous audit function"):
        expectations(default_synth.outdir, "eu-west-9")


def test_the_deployed_report_names_what_the_audit_found(
    default_synth: Synth, compliant_account: CompliantAccount, tmp_path: Path
) -> None:
    account = compliant_account
    assert run(settings_of(audit_config()), deployed(default_synth, tmp_path), session=account.session) == 0
    html = (tmp_path / "compliance-report-deployed.html").read_text()
    markdown = (tmp_path / "compliance-report-deployed.md").read_text()
    root = check_html(html)
    text = "".join(root.find("body").itertext())  # type: ignore[union-attr]
    for real in (account.bucket, account.log_group, account.key_arn, account.role_arn, account.topic_arn):
        assert real in text and real in markdown, real
    assert f"| S3 destination | s3://{account.bucket}/invocation-logs |" in markdown
    assert f"| CloudWatch Logs encryption | KMS key {account.key_arn} |" in markdown
    assert "| Deployed as synthesized (audit) | PASS: 29 of 29 checks pass |" in markdown
    assert "As deployed in" in text and "account 123456789012" in text
    # The picture names them too; the templates' report keeps its placeholders.
    assert f"S3 bucket: {account.bucket}" in html
    assert "{InvocationLogBucket}" not in markdown.split("## Acknowledgements")[0]
    assert "s3://{InvocationLogBucket}/invocation-logs" in (tmp_path / "compliance-report.md").read_text()


def test_drift_is_a_failing_verdict_and_a_failing_exit(
    default_synth: Synth, compliant_account: CompliantAccount, tmp_path: Path
) -> None:
    account = compliant_account
    account.client("logs").put_retention_policy(logGroupName=account.log_group, retentionInDays=7)
    assert run(settings_of(audit_config()), deployed(default_synth, tmp_path), session=account.session) == 1
    markdown = (tmp_path / "compliance-report-deployed.md").read_text()
    assert "| Deployed as synthesized (audit) | FAIL: 28 of 29 checks pass |" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| `logs.group.retention`"))
    assert row.endswith("| 7 days: logs deleted before 30 days | NO |")
    check_html((tmp_path / "compliance-report-deployed.html").read_text())
