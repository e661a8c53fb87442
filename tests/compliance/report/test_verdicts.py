"""The verdicts at the top of the report are derived from the facts: a template without the control fails, and a
verdict that rests on a Service Control Policy passes only when the assembly deploys it attached (or the audit of the
deployed account found it attached)."""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from compliance.report import build_report
from compliance.report.facts import AlarmTopic
from compliance.report.policies import CONFIRM_ATTACHED
from compliance.report.verdicts import FAIL, PASS, QUESTIONS, WARN, region_verdicts
from core.organization.policies import organization_policies
from tests.support.project import config_for
from tests.support.synth import Synth

OU = "ou-ab12-cd34ef56"


def _marks(synth: Synth, region: str) -> dict[str, str]:
    return {v.question: v.status for v in build_report(synth.outdir).verdicts[region]}


def test_default_deployment_passes_what_it_controls_and_warns_on_what_it_leaves_open(default_synth: Synth) -> None:
    verdicts = {v.question: v for v in build_report(default_synth.outdir).verdicts["us-east-1"]}
    assert list(verdicts) == list(QUESTIONS)
    passing = ("Every call logged", "Kept at least 30 days", "Encrypted with customer managed keys", "Access exact")
    assert {q: verdicts[q].status for q in passing} == dict.fromkeys(passing, PASS)
    # The SCPs are printed, not deployed: what rests on them is a WARN naming the command that confirms them.
    for question in ("Tamper-resistant", "Unlogged paths closed"):
        assert verdicts[question].status == WARN
        assert CONFIRM_ATTACHED in verdicts[question].detail
    # The global scope routes worldwide; nobody is subscribed to the alarm topics without alarm_emails.
    assert (verdicts["Data residency"].status, verdicts["Alarms reach someone"].status) == (WARN, WARN)


def test_a_geography_with_subscribers_passes_residency_and_alarms(every_option_synth: Synth) -> None:
    verdicts = {v.question: v for v in build_report(every_option_synth.outdir).verdicts["eu-west-1"]}
    # aws_review although no allowed model needs it: a choice of the configuration (tests/compliance/report/
    # test_retention.py).
    resting_on_scps = {"Tamper-resistant", "Unlogged paths closed", "Retention of Claude traffic set"}
    assert all(v.status == PASS for q, v in verdicts.items() if q not in resting_on_scps), verdicts
    assert verdicts["Data residency"].detail.startswith("served only in eu (")
    assert "routing outside eu denied" in verdicts["Data residency"].detail
    assert verdicts["Kept at least 30 days"].detail == "S3 90, CloudWatch Logs 90 days"


def _with_policy(synth: Synth, tmp_path: Path, statements: list[dict[str, Any]], targets: list[str]) -> Path:
    """A copy of the assembly whose access stack also holds an organization policy, as the organization stack
    deploys one: Content the SCP statements, TargetIds the OUs."""
    assembly = tmp_path / "cdk.out"
    shutil.copytree(synth.outdir, assembly, ignore=shutil.ignore_patterns("asset.*", ".staging*"))
    path = next(assembly.glob("ClaudeInvocationAccess-*.template.json"))
    template = json.loads(path.read_text())
    template["Resources"]["LoggingGuardPolicy"] = {
        "Type": "AWS::Organizations::Policy",
        "Properties": {
            "Name": "claude-on-bedrock-logging-guard",
            "Type": "SERVICE_CONTROL_POLICY",
            "Content": {"Version": "2012-10-17", "Statement": statements},
            "TargetIds": targets,
        },
    }
    path.write_text(json.dumps(template))
    return assembly


def _guard(allow_unlogged_endpoint: bool = False) -> list[dict[str, Any]]:
    """The statements of `python app.py scp` (as the organization stack deploys them), in one document."""
    config = config_for(scp_allow_unlogged_endpoint=allow_unlogged_endpoint)
    return [s for policy in organization_policies(config).service_control for s in policy["Statement"]]


def test_the_scps_deployed_attached_turn_the_warnings_to_pass(default_synth: Synth, tmp_path: Path) -> None:
    report = build_report(_with_policy(default_synth, tmp_path / "a", _guard(), [OU]))
    verdicts = {v.question: v for v in report.verdicts["us-east-1"]}
    assert (verdicts["Tamper-resistant"].status, verdicts["Unlogged paths closed"].status) == (PASS, PASS)
    controls = {t.threat.split(" (")[0]: t.control for t in report.regions["us-east-1"].threats}
    assert f"attached to {OU}" in controls["Configuration change"] and "LoggingGuardPolicy" in controls["API keys"]
    assert all(t.mark == "yes" for t in report.regions["us-east-1"].threats)
    # Created but not attached (no TargetIds): it protects nobody, so the verdicts stay WARN.
    unattached = build_report(_with_policy(default_synth, tmp_path / "b", _guard(), []))
    assert {v.status for v in unattached.verdicts["us-east-1"] if v.question in ("Tamper-resistant",)} == {WARN}
    # A policy that leaves bedrock-mantle open (scp_allow_unlogged_endpoint) closes the tamper paths only.
    open_mantle = build_report(_with_policy(default_synth, tmp_path / "c", _guard(allow_unlogged_endpoint=True), [OU]))
    marks = {v.question: v.status for v in open_mantle.verdicts["us-east-1"]}
    assert (marks["Tamper-resistant"], marks["Unlogged paths closed"]) == (PASS, WARN)


def test_each_verdict_turns_to_fail_without_its_control(every_option_synth: Synth) -> None:
    """Change the facts the way a weaker template would: the mark it concerns fails."""
    facts = build_report(every_option_synth.outdir).regions["eu-west-1"]

    def marks(changed: Any) -> dict[str, str]:
        return {v.question: v.status for v in region_verdicts(changed)}

    weak = copy.deepcopy(facts)
    weak.logging.log_group_retention_days = 7
    weak.logging.log_group_encryption = "CloudWatch Logs default encryption"
    weak.threats = [dataclasses.replace(t, covered=False) for t in weak.threats]
    weak.access.grants = {"arn:aws:bedrock:us-east-1::foundation-model/x": ["Policy"]}  # outside the geography
    weak.alarm_topics = []
    got = marks(weak)
    assert got["Kept at least 30 days"] == FAIL
    assert got["Encrypted with customer managed keys"] == FAIL
    assert got["Tamper-resistant"] == FAIL
    assert got["Unlogged paths closed"] == FAIL
    assert got["Data residency"] == FAIL
    assert got["Alarms reach someone"] == FAIL
    wide = copy.deepcopy(facts)
    wide.access.grants = {"arn:aws:bedrock:*:*:foundation-model/*": ["Policy"]}
    assert marks(wide)["Access exact"] == FAIL
    silent = copy.deepcopy(facts)
    silent.alarm_topics = [*facts.alarm_topics, AlarmTopic("QuietTopic", ())]
    assert marks(silent)["Alarms reach someone"] == WARN
    disabled = copy.deepcopy(facts)
    disabled.logging.enabled = False
    assert marks(disabled)["Every call logged"] == FAIL


@pytest.mark.parametrize("question", ["Tamper-resistant", "Unlogged paths closed"])
def test_a_row_not_covered_fails_even_with_the_scps(default_synth: Synth, tmp_path: Path, question: str) -> None:
    report = build_report(_with_policy(default_synth, tmp_path, _guard(), [OU]))
    facts = report.regions["us-east-1"]
    concerns = "tamper" if question == "Tamper-resistant" else "unlogged"
    first = next(i for i, t in enumerate(facts.threats) if t.concerns == concerns)
    facts.threats[first] = dataclasses.replace(facts.threats[first], covered=False)
    verdict = next(v for v in region_verdicts(facts) if v.question == question)
    rows = [t for t in facts.threats if t.concerns == concerns]
    assert verdict.status == FAIL
    assert verdict.detail.startswith(f"{len(rows) - 1} of {len(rows)} threats")
    assert f"not covered: {facts.threats[first].threat.split(' (')[0]}" in verdict.detail
