"""One configuration for every command: cdk.json, then config/NAME.json (-c env=NAME), then -c KEY=VALUE.

Each command is run with -c and shows the setting took effect: synthesis through the pinned CDK CLI (the template,
and the configuration it records in the assembly), scp, archive-policy, audit, audit --organization,
catalog-check, and the report, whose fingerprint is of the configuration the assembly was synthesized with.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

import app
from app import main
from compliance.effective_configuration import FILE_NAME, read_configuration
from compliance.report.command import configuration_fingerprint
from tests.support.bedrock_control_plane import RegionAccount, StubbedBedrock
from tests.support.fake_retention import RetentionRecord
from tests.support.project import EXAMPLE_SYNTH_ARGS, ROOT
from tests.support.synth import Synth

# What `make synth ARGS=...` hands the CLI: the example environment file, and one key over it (the session fixture
# cli_assembly, tests/conftest.py, synthesizes it once per run, through the pinned CDK CLI).
SYNTH_ARGS = EXAMPLE_SYNTH_ARGS
EXAMPLE = json.loads((ROOT / "config" / "example.json").read_text())
CDK_JSON_CONTEXT = json.loads((ROOT / "cdk.json").read_text())["context"]


@pytest.fixture(autouse=True)
def no_cli_context(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    monkeypatch.delenv("CONTEXT_OVERFLOW_LOCATION_ENV", raising=False)


def template(assembly: Path, stack: str) -> dict[str, object]:
    return dict(json.loads((assembly / f"{stack}.template.json").read_text()))


def resources_of(assembly: Path, stack: str, kind: str) -> list[dict[str, object]]:
    resources = template(assembly, stack)["Resources"]
    assert isinstance(resources, dict)
    return [r["Properties"] for r in resources.values() if r["Type"] == kind]


def test_the_cli_context_is_read_as_cdk_app_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the CDK CLI could not fit in CDK_CONTEXT_JSON it writes to a file named by CONTEXT_OVERFLOW_LOCATION_ENV;
    cdk.App (aws-cdk-lib's core/lib/app.js, `loadContext`) reads both, the file last."""
    overflow = tmp_path / "context-overflow.json"
    overflow.write_text(json.dumps({"regions": ["eu-west-1"], "log_retention_days": 90}))
    monkeypatch.setenv("CDK_CONTEXT_JSON", json.dumps({"regions": ["us-east-1"], "endpoint_scope": "eu"}))
    monkeypatch.setenv("CONTEXT_OVERFLOW_LOCATION_ENV", str(overflow))
    assert app.cli_context() == {"regions": ["eu-west-1"], "endpoint_scope": "eu", "log_retention_days": 90}


def test_cdk_json_app_runs_the_projects_python() -> None:
    """`npx cdk ...` works as written: the app line names the venv's interpreter, not whatever python3 is first."""
    assert json.loads((ROOT / "cdk.json").read_text())["app"] == ".venv/bin/python app.py"


def test_synthesis_through_the_cdk_cli_applies_the_layers_in_order(cli_assembly: Path) -> None:
    """cdk.json says us-east-1, global, 30 days; config/example.json says eu-west-1 and eu-central-1, eu, 90 days;
    -c says eu-west-1 and 365 days: one Region, the eu scope, 365 days."""
    assert (CDK_JSON_CONTEXT["endpoint_scope"], EXAMPLE["endpoint_scope"]) == ("global", "eu")
    stacks = sorted(path.name for path in cli_assembly.glob("*.template.json"))
    kinds = ("InvocationAccess", "InvocationLogging", "Invoker", "Usage")
    assert stacks == sorted(f"Claude{kind}-eu-west-1.template.json" for kind in kinds)
    groups = resources_of(cli_assembly, "ClaudeInvocationLogging-eu-west-1", "AWS::Logs::LogGroup")
    assert {group["RetentionInDays"] for group in groups} == {365}
    access = json.dumps(template(cli_assembly, "ClaudeInvocationAccess-eu-west-1"))
    assert "eu.anthropic.claude-haiku-5-5" in access and "global.anthropic" not in access


def test_synthesis_records_the_configuration_every_command_reads(cli_assembly: Path) -> None:
    recorded = read_configuration(cli_assembly)
    assert recorded is not None
    assert recorded.sources == ("cdk.json", "config/example.json", "-c")
    assert recorded.context == {
        **CDK_JSON_CONTEXT,
        **EXAMPLE,
        "env": "example",
        "regions": "eu-west-1",
        "log_retention_days": "365",
    }
    # The same configuration as any command given the same arguments reads.
    settings = app.read_settings({}, command_line())
    assert settings is not None and dict(settings.context) == dict(recorded.context)


def command_line() -> dict[str, str]:
    return dict(arg.split("=", 1) for arg in SYNTH_ARGS[1::2])


def fingerprint_line(markdown: str) -> str:
    (line,) = [line for line in markdown.splitlines() if line.startswith("- Configuration fingerprint: ")]
    return line


def test_the_reports_fingerprint_is_of_the_configuration_the_assembly_was_synthesized_with(
    cli_assembly: Path, default_synth: Synth, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["app.py", "report", "--assembly", str(cli_assembly), "--output", str(tmp_path / "cli")]) == 0
    # An assembly synthesized in-process holds no record: the command's own configuration, and a warning says so.
    assert main(["app.py", "report", "--assembly", str(default_synth.outdir), "--output", str(tmp_path / "in")]) == 0
    assert capsys.readouterr().err == (
        f"Warning: {default_synth.outdir} holds no {FILE_NAME} (synthesized without app.py's synth); the cover "
        "fingerprints this command's configuration\n"
    )
    cli, plain = (fingerprint_line((tmp_path / d / "compliance-report.md").read_text()) for d in ("cli", "in"))
    settings = app.read_settings({}, command_line())
    assert settings is not None
    digest = configuration_fingerprint(settings.context, settings.sources).split()[0]
    assert cli.startswith(f"- Configuration fingerprint: `{digest}` ")
    assert "cdk.json with config/example.json with -c" in cli
    assert plain != cli and "(SHA-256 of the effective context: cdk.json, " in plain


def test_the_report_refuses_a_configuration_its_assembly_was_not_synthesized_with(
    cli_assembly: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = ["app.py", "report", "--assembly", str(cli_assembly), "--output", str(tmp_path)]
    assert main([*report, "-c", "log_retention_days=90"]) == 2
    assert capsys.readouterr().err == (
        f"Usage: report: -c differ from the configuration {cli_assembly} was synthesized with (cdk.json with "
        "config/example.json with -c); synthesize with them (make synth ARGS=...) or give none\n"
    )
    assert not (tmp_path / "compliance-report.md").exists()
    # The arguments it was synthesized with are accepted.
    assert main([*report, *SYNTH_ARGS]) == 0


def test_an_environment_file_configures_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app.py", "scp", "-c", "env=example"]) == 0
    printed = json.loads(capsys.readouterr().out)  # a list when the statements need several policies
    sids = [s["Sid"] for policy in (printed if isinstance(printed, list) else [printed]) for s in policy["Statement"]]
    assert "DenyBedrockRoutingOutsideEu" in sids
    assert main(["app.py", "scp", "-c", "env=production"]) == 2
    assert capsys.readouterr().err == (
        "Configuration error: env: 'production' names no file config/production.json; create it (a JSON object of "
        "keys) or drop env\n"
    )


def test_archive_policy_takes_its_keys_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    bucket = "arn:aws:s3:::central-log-archive"
    key = "arn:aws:kms:eu-central-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    given = ["-c", f"organization_archive_bucket_arn={bucket}", "-c", f"organization_archive_kms_key_arn={key}"]
    assert main(["app.py", "archive-policy", *given, "-c", "organization_id=o-a1b2c3d4e5"]) == 0
    printed = capsys.readouterr().out
    assert f'"{bucket}/invocation-logs/*"' in printed and '"o-a1b2c3d4e5"' in printed


# Rows of the audit that are not of one configured Region: other enabled Regions' logging, the account's API keys.
OUTSIDE_REGIONS = ("bedrock.region.logging", "iam.bedrock_api_keys")


@pytest.fixture
def moto_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.setenv(name, "/dev/null")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


def test_audit_checks_the_regions_given_on_the_command_line(
    moto_account: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty moto account: every check fails, in each Region -c names (cdk.json names us-east-1 only). Moto
    implements no data retention read: the account's answers come from a `RetentionRecord`."""
    import compliance.audit.run as audit_run

    real_start = audit_run.start_session

    def start_with_retention(stream: Any) -> Any:
        session = real_start(stream)
        assert session is not None
        for event, handler in RetentionRecord().handlers():
            session.events.register(event, handler)
        return session

    monkeypatch.setattr(audit_run, "start_session", start_with_retention)
    assert main(["app.py", "audit", "--json", "-c", "regions=eu-west-1,eu-central-1"]) == 1
    rows = json.loads(capsys.readouterr().out)["rows"]
    # Audited in full: the Regions -c names; every other enabled Region is read for logging only, and the API keys
    # are the account's.
    assert {row["region"] for row in rows if row["check"] not in OUTSIDE_REGIONS} == {"eu-west-1", "eu-central-1"}
    others = {row["region"] for row in rows if row["check"] == "bedrock.region.logging"}
    assert "us-east-1" in others and not others & {"eu-west-1", "eu-central-1"}


def test_catalog_check_reads_the_regions_and_scope_given_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stand-in answers for eu-central-1 only and fails the test on any other Region."""
    import compliance.catalog_check.command as command

    bedrock = StubbedBedrock({"eu-central-1": RegionAccount(profiles={}, models={})}, routed=())
    monkeypatch.setattr(command, "start_session", lambda stream: bedrock)
    given = ["-c", "regions=eu-central-1", "-c", "endpoint_scope=eu"]
    assert main(["app.py", "catalog-check", "--json", *given]) == 1
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert {row["region"] for row in rows} == {"eu-central-1"}
    assert any(row["expected"].startswith("eu.anthropic.") for row in rows)


def test_the_organization_audit_takes_its_targets_from_the_command_line(
    no_credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without -c it stops at the configuration (exit 2); with the targets it gets as far as the credentials."""
    assert main(["app.py", "audit", "--organization"]) == 2
    assert capsys.readouterr().err.startswith("Configuration error: organization_targets: unset; ")
    assert main(["app.py", "audit", "--organization", "-c", "organization_targets=r-ab12"]) == 3
    assert capsys.readouterr().err.startswith("No AWS credentials found: ")
