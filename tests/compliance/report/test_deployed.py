"""The report as deployed, against the moto account the audit tests use: the real names, the audit's rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import COMMANDS
from compliance.audit import Expectations
from compliance.command import Options
from compliance.report.command import run
from compliance.report.deployed import expectations
from compliance.report.policies import CONFIRM_ATTACHED
from tests.compliance.audit.test_enabled_regions import SCP_MESSAGE, refuse_in
from tests.support.commands import settings_of
from tests.support.fake_account import IAM_USER, OTHER_REGION, CompliantAccount, audit_config
from tests.support.graphviz_layouts import remember_layouts
from tests.support.html_report import check_html
from tests.support.synth import Synth


@pytest.fixture(autouse=True)
def _layouts_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test here writes the same pictures (the fake account's names): Graphviz lays each out once."""
    remember_layouts(monkeypatch)


# The fake account's account-wide rows: its enabled Regions, the other configured Region's logging, its API keys.
ACCOUNT_ROWS = "3 of 3 account-wide (every enabled Region, Bedrock API keys)"


def deployed(synth: Synth, output: Path) -> Options:
    options = COMMANDS["report"].parse(["--assembly", str(synth.outdir), "--output", str(output), "--deployed"])
    assert isinstance(options, Options), options
    return options


def test_the_expectations_are_the_continuous_audits(default_synth: Synth) -> None:
    assert expectations(default_synth.outdir, "us-east-1") == Expectations(
        retention_days=30, data=("text", "image"), retention_mode="none", retention_storage="unmanaged"
    )
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
    assert f"| Deployed as synthesized (audit) | PASS: 30 of 30 checks of the Region pass; {ACCOUNT_ROWS} |" in markdown
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
    assert f"| Deployed as synthesized (audit) | FAIL: 29 of 30 checks of the Region pass; {ACCOUNT_ROWS} |" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| `logs.group.retention`"))
    assert row.endswith("| 7 days: logs deleted before 30 days | NO |")
    check_html((tmp_path / "compliance-report-deployed.html").read_text())


def _row(markdown: str, check: str, region_cell: str = "") -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"| `{check}`") and region_cell in line)


def test_warn_and_info_rows_are_shown_as_such_and_the_account_wide_rows_listed(
    default_synth: Synth, compliant_account: CompliantAccount, tmp_path: Path
) -> None:
    """An inactive API key is INFO, a Region an SCP refuses is WARN: no drift (exit 0), but neither reads as a plain
    pass, and the verdict is WARN."""
    account = compliant_account
    account.facts.add_api_key(IAM_USER, status="Inactive")
    account.facts.regions.append((OTHER_REGION, "opt-in-not-required"))
    refuse_in(account, OTHER_REGION, SCP_MESSAGE)
    assert run(settings_of(audit_config()), deployed(default_synth, tmp_path), session=account.session) == 0
    markdown = (tmp_path / "compliance-report-deployed.md").read_text()
    verdict = "| Deployed as synthesized (audit) | WARN: 30 of 30 checks of the Region pass; 4 of 4 (1 WARN, 1 INFO)"
    assert verdict in markdown
    account_wide = markdown.split("**Account-wide**", 1)[1]
    assert _row(account_wide, "bedrock.region.logging", "refused by a service control policy").endswith("| WARN |")
    assert _row(account_wide, "iam.bedrock_api_keys", f"user/{IAM_USER}").endswith("| INFO |")
    assert _row(account_wide, "account.regions").endswith("| yes |")
    html = (tmp_path / "compliance-report-deployed.html").read_text()
    assert '<td class="warn">! WARN</td>' in html and '<td class="info">i INFO</td>' in html
    check_html(html)


def test_an_account_wide_failure_fails_the_verdict(
    default_synth: Synth, compliant_account: CompliantAccount, tmp_path: Path
) -> None:
    account = compliant_account
    account.facts.add_api_key(IAM_USER)
    assert run(settings_of(audit_config()), deployed(default_synth, tmp_path), session=account.session) == 1
    markdown = (tmp_path / "compliance-report-deployed.md").read_text()
    assert "| Deployed as synthesized (audit) | FAIL: 30 of 30 checks of the Region pass; 2 of 3 account-wide" in (
        markdown
    )
    assert _row(markdown.split("**Account-wide**", 1)[1], "iam.bedrock_api_keys", f"user/{IAM_USER}").endswith("| NO |")
    assert "The audit found: `iam.bedrock_api_keys` FAIL account-wide" in markdown


def test_a_changed_retention_mode_is_drift_and_the_scps_stay_a_warning(
    default_synth: Synth, compliant_account: CompliantAccount, tmp_path: Path
) -> None:
    """The audit reads the mode the template sets; it cannot see the SCPs (only the management account may list
    them), so the verdicts resting on them stay WARN with the command that confirms them."""
    account = compliant_account
    account.retention.mode = "aws_review"
    assert run(settings_of(audit_config()), deployed(default_synth, tmp_path), session=account.session) == 1
    markdown = (tmp_path / "compliance-report-deployed.md").read_text()
    assert _row(markdown, "bedrock.data_retention.mode").endswith("| mode=none | mode=aws_review | NO |")
    verdict = _row(markdown.replace("| Tamper-resistant", "| `Tamper-resistant`"), "Tamper-resistant")
    assert "WARN: " in verdict and CONFIRM_ATTACHED in verdict
