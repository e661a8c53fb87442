"""The compliance report is read from the synthesized templates, so it changes when the infrastructure does."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from app import main
from compliance.report import build_report, graphviz, region_answer, render_markdown
from tests.support.project import ROOT
from tests.support.synth import Synth


@pytest.fixture(scope="module")
def default_report(default_synth: Synth) -> str:
    return render_markdown(build_report(default_synth.outdir))


@pytest.fixture(scope="module")
def eu_90_days(every_option_synth: Synth) -> Synth:
    assert every_option_synth.config.logging.retention_days == 90
    return every_option_synth


def test_default_report_answers_the_reviewers_question(default_synth: Synth) -> None:
    report = build_report(default_synth.outdir)
    facts = report.regions["us-east-1"]
    assert facts.logging.enabled
    assert facts.logging.bucket_expiration_days == 30
    assert facts.logging.log_group_retention_days == 30
    assert facts.logging.delivered == ["image", "text"]
    assert facts.logging.public_access_blocked
    assert facts.logging.kept_on_stack_deletion
    answer = region_answer(facts)
    assert answer.startswith(
        "us-east-1: every bedrock-runtime call is logged to S3 and CloudWatch Logs and kept 30 days"
    )
    assert "at least 30" in answer


def test_report_lists_scope_profiles_and_packs(default_report: str) -> None:
    assert "- Scope: **global**" in default_report
    assert "`global.anthropic.claude-haiku-5-5`" in default_report
    for pack in ("AwsSolutions", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321"):
        assert f"| {pack} | 0 |" in default_report


def _construct_paths(synth: Synth) -> dict[str, str]:
    """logical ID -> stack/construct path, read here from the assembly's metadata files (not by the report)."""
    paths = {}
    for metadata in synth.outdir.glob("*.metadata.json"):
        for path, entries in json.loads(metadata.read_text()).items():
            for entry in entries:
                if entry["type"] == "aws:cdk:logicalId":
                    paths[entry["data"]] = path.lstrip("/")
    return paths


def test_every_acknowledgement_in_the_templates_is_in_the_report(default_synth: Synth, default_report: str) -> None:
    """Each acknowledgement of each template has a row with its rule (resources named, not tokens), its reason and
    the construct path of the resource it is attached to."""
    paths = _construct_paths(default_synth)
    rows = [line for line in default_report.splitlines() if line.startswith("| `")]
    found = 0
    for template in default_synth.templates.values():
        for logical_id, resource in template["Resources"].items():
            for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
                pattern = re.escape(rule["id"])
                pattern = re.sub(r"<[A-Za-z0-9:]+?(?:\\\.[A-Za-z0-9]+)?>", r"\\{[^}|]+\\}", pattern)
                stack, *rest = paths[logical_id].split("/")
                where = "/".join(p for p in rest[1 if rest[0] == stack.rsplit("-", 3)[0] else 0 :] if p != "Resource")
                matching = [
                    row
                    for row in rows
                    if re.search(f"`{pattern}`", row) and f" | {rule['reason']} | " in row and f"`{stack}/" in row
                ]
                assert matching, (rule["id"], rule["reason"])
                assert any(f"`{stack}/{where}`" in row for row in matching), (stack, where, matching)
                found += 1
    assert found >= 20, "the templates carry acknowledgements"
    assert not re.search(r"<[A-Z][A-Za-z0-9]+[0-9A-F]{8}(\.\w+)?>", default_report), "a CloudFormation token is left"


def test_report_changes_when_retention_and_scope_change(eu_90_days: Synth, default_report: str) -> None:
    report = build_report(eu_90_days.outdir)
    facts = report.regions["eu-west-1"]
    assert facts.logging.bucket_expiration_days == 90
    assert facts.logging.log_group_retention_days == 90
    text = render_markdown(report)
    assert "| CloudWatch Logs retention (days) | 90 |" in text
    assert "- Scope: **eu**" in text
    assert "`arn:aws:bedrock:*:*:inference-profile/global.*`" in text
    assert text != default_report


def test_command_writes_markdown_and_html(
    default_synth: Synth, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    report = ["app.py", "report", "--assembly", str(default_synth.outdir)]
    assert main([*report, "--output", str(tmp_path)]) == 0
    markdown = (tmp_path / "compliance-report.md").read_text()
    assert markdown.startswith("# Claude on Amazon Bedrock: compliance report")
    assert (tmp_path / "compliance-report.html").exists()
    assert capsys.readouterr().out.splitlines() == [
        f"Compliance report: {tmp_path / name}" for name in ("compliance-report.md", "compliance-report.html")
    ]
    assert main(["app.py", "report", "--assembly", str(tmp_path / "missing"), f"--output={tmp_path}"]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'missing'}: no cloud assembly here; run `make synth` first\n"


def test_without_graphviz_the_command_says_what_to_install(
    default_synth: Synth, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pictures need the Graphviz package `npm ci` installs: without it, one line saying so, exit 2, no file."""
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    monkeypatch.setattr(graphviz, "PACKAGE", tmp_path / "node_modules" / "@hpcc-js" / "wasm-graphviz")
    assert main(["app.py", "report", "--assembly", str(default_synth.outdir), "--output", str(tmp_path / "out")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        f"Compliance report: the report's pictures need {graphviz.PACKAGE}: run `make setup` (npm ci installs "
        "Node.js and Graphviz from package-lock.json)"
    )
    assert not (tmp_path / "out" / "compliance-report.html").exists()


def fingerprint_line(markdown: str) -> str:
    (line,) = [line for line in markdown.splitlines() if line.startswith("- Configuration fingerprint: ")]
    return line


def test_the_fingerprint_is_of_the_effective_context_every_command_reads(
    default_synth: Synth, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cdk.json's context alone, then with a setting given over it: the same command, another fingerprint."""
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    report = ["app.py", "report", "--assembly", str(default_synth.outdir), "--output"]
    assert main([*report, str(tmp_path / "plain")]) == 0
    monkeypatch.setenv("CDK_CONTEXT_JSON", json.dumps({"log_retention_days": 90}))
    assert main([*report, str(tmp_path / "given")]) == 0
    plain, given = (fingerprint_line((tmp_path / d / "compliance-report.md").read_text()) for d in ("plain", "given"))
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    digest = hashlib.sha256(json.dumps(context, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:12]
    assert plain == (
        f"- Configuration fingerprint: `{digest}` (SHA-256 of the effective context: cdk.json, {len(context)} keys)"
    )
    assert given != plain and "(SHA-256 of the effective context: cdk.json with CDK_CONTEXT_JSON, " in given


def test_report_shows_the_replication_destination(eu_90_days: Synth, default_report: str) -> None:
    assert "| S3 replication | off |" in default_report
    facts = build_report(eu_90_days.outdir).regions["eu-west-1"]
    destination = (
        "arn:aws:s3:::example-bedrock-log-archive (key "
        "arn:aws:kms:eu-central-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab, account 444455556666, "
        "delete markers not replicated)"
    )
    assert facts.logging.replication == f"invocation-logs/, large-payloads/ to {destination}"
    assert f"| S3 replication | invocation-logs/, large-payloads/ to {destination} |" in render_markdown(
        build_report(eu_90_days.outdir)
    )


def test_report_shows_object_lock_and_what_deleting_the_stack_does(
    logging_options_synth: Synth, default_report: str
) -> None:
    assert "| S3 Object Lock | governance 30 days |" in default_report
    assert "| Configuration kept when the stack is deleted | yes |" in default_report
    report = build_report(logging_options_synth.outdir)
    facts = report.regions["us-east-1"].logging
    assert (facts.object_lock, facts.kept_on_stack_deletion, facts.delivered) == (
        "governance 60 days",
        False,
        ["embedding", "text"],
    )
    text = render_markdown(report)
    assert "| S3 Object Lock | governance 60 days |" in text
    assert "| Configuration kept when the stack is deleted | NO |" in text
    assert "| Data delivered | embedding, text |" in text


THREATS = [
    "Configuration change",
    "Provider misuse",
    "Unlogged endpoint",
    "API keys",
    "Object forging",
    "Deletion",
    "Delivery failure",
]


def test_each_threat_is_answered_with_the_control_the_templates_hold(default_synth: Synth) -> None:
    threats = build_report(default_synth.outdir).regions["us-east-1"].threats
    assert [t.threat.split(" (")[0] for t in threats] == THREATS
    assert all(t.covered for t in threats), [t for t in threats if not t.covered]
    by_name = {t.threat.split(" (")[0]: t.control for t in threats}
    assert by_name["Configuration change"].startswith("rule LoggingTamperRule notifies {LoggingAlarmTopic}")
    assert "continuous audit LogAuditFunction" in by_name["Configuration change"]
    assert "rate(1 hour) without self-repair" in by_name["Configuration change"]
    assert by_name["Provider misuse"].startswith(
        "provider ConfigurationProvider (inline code) puts only its environment's configuration, for "
        "InvocationLoggingConfiguration of its own stack"
    )
    assert by_name["Object forging"] == (
        "bucket policy DenyLogWritesExceptBedrock: s3:PutObject denied to all but bedrock.amazonaws.com"
    )
    assert by_name["Deletion"] == (
        "bucket policy DenyLogDeletion: deletes denied (exempt: nobody); Object Lock governance 30 days"
    )
    # What an SCP prevents is not in these templates: the row says so and waits for it (WARN).
    assert "by an SCP these templates do not deploy (`python app.py scp` prints it)" in by_name["Unlogged endpoint"]
    marks = {t.threat.split(" (")[0]: t.mark for t in threats}
    assert marks == {
        "Configuration change": "WARN",
        "Provider misuse": "yes",
        "Unlogged endpoint": "WARN",
        "API keys": "WARN",
        "Object forging": "yes",
        "Deletion": "yes",
        "Delivery failure": "yes",
    }


def test_the_threat_table_follows_the_options(every_option_synth: Synth, logging_options_synth: Synth) -> None:
    threats = {
        t.threat.split(" (")[0]: t.control for t in build_report(every_option_synth.outdir).regions["eu-west-1"].threats
    }
    assert "with self-repair" in threats["Configuration change"]
    assert "exempt: arn:aws:iam::111122223333:role/LogBreakGlass" in threats["Deletion"]
    locked = {
        t.threat.split(" (")[0]: t.control
        for t in build_report(logging_options_synth.outdir).regions["us-east-1"].threats
    }
    assert locked["Deletion"].endswith("; Object Lock governance 60 days")


def test_a_template_without_the_controls_is_reported_uncovered() -> None:
    """The verdicts are read, not written: resources without the controls make every row say NO."""
    from compliance.report.threats import read_threats

    bare = {
        "Config": {
            "Type": "Custom::BedrockModelInvocationLogging",
            "Properties": {"ServiceToken": {"Fn::GetAtt": ["Provider", "Arn"]}},
        },
        "Provider": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Bucket": "b", "S3Key": "k"}}},
        "Policy": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
        },
    }
    assert [t.covered for t in read_threats(bare)] == [False] * len(THREATS)


def test_the_report_shows_the_threat_tables(default_report: str) -> None:
    """Two tables, one per verdict they feed: what could alter or stop logging, what could go around it."""
    assert "### What could alter or stop logging" in default_report
    assert "### What could go around logging" in default_report
    assert default_report.count("| Threat | Control in these templates | Covered |") == 2
    assert default_report.count(" | yes |") + default_report.count(" | WARN |") >= len(THREATS)
