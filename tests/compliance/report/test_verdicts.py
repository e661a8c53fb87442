"""The verdicts at the top of the report are derived from the facts: a template without the control fails."""

from __future__ import annotations

import copy

from compliance.report import build_report
from compliance.report.cloud_assembly import Names
from compliance.report.verdicts import FAIL, PASS, QUESTIONS, WARN, region_verdicts
from tests.support.synth import Synth


def _marks(synth: Synth, region: str) -> dict[str, str]:
    return {v.question: v.status for v in build_report(synth.outdir).verdicts[region]}


def test_default_deployment_passes_what_it_controls_and_warns_on_what_it_leaves_open(default_synth: Synth) -> None:
    marks = _marks(default_synth, "us-east-1")
    assert list(marks) == list(QUESTIONS)
    assert {q: marks[q] for q in QUESTIONS[:6]} == dict.fromkeys(QUESTIONS[:6], PASS)
    # The global scope routes worldwide; nobody is subscribed to the alarm topics without alarm_emails.
    assert (marks["Data residency"], marks["Alarms reach someone"]) == (WARN, WARN)


def test_a_geography_with_subscribers_passes_residency_and_alarms(every_option_synth: Synth) -> None:
    verdicts = {v.question: v for v in build_report(every_option_synth.outdir).verdicts["eu-west-1"]}
    assert all(v.status == PASS for v in verdicts.values()), [v for v in verdicts.values() if v.status != PASS]
    assert verdicts["Data residency"].detail.startswith("served only in eu (")
    assert "routing outside eu denied" in verdicts["Data residency"].detail
    assert verdicts["Kept at least 30 days"].detail == "S3 90, CloudWatch Logs 90 days"


def test_each_verdict_turns_to_fail_without_its_control(default_synth: Synth, every_option_synth: Synth) -> None:
    """Change the facts or the resources the way a weaker template would: the mark it concerns fails."""
    report = build_report(every_option_synth.outdir)
    facts = report.regions["eu-west-1"]
    names = Names([])

    def marks(facts_, resources):  # type: ignore[no-untyped-def]
        return {v.question: v.status for v in region_verdicts(facts_, resources, lambda value: names.text(value))}

    resources = {
        "Policy": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "bedrock:InvokeModel",
                            "Resource": "arn:aws:bedrock:us-east-1::foundation-model/x",
                        }
                    ]
                }
            },
        }
    }
    weak = copy.deepcopy(facts)
    weak.logging.log_group_retention_days = 7
    weak.logging.log_group_encryption = "CloudWatch Logs default encryption"
    weak.threats = [t.__class__(t.threat, t.control, False) for t in weak.threats]
    got = marks(weak, resources)
    assert got["Kept at least 30 days"] == FAIL
    assert got["Encrypted with customer managed keys"] == FAIL
    assert got["Tamper-resistant"] == FAIL
    assert got["Unlogged paths closed"] == FAIL
    # A model outside the geography, and no topic at all.
    assert got["Data residency"] == FAIL
    assert got["Alarms reach someone"] == FAIL
    wide = copy.deepcopy(resources)
    wide["Policy"]["Properties"]["PolicyDocument"]["Statement"][0]["Resource"] = (
        "arn:aws:bedrock:*:*:foundation-model/*"
    )
    assert marks(facts, wide)["Access exact"] == FAIL
    disabled = copy.deepcopy(facts)
    disabled.logging.enabled = False
    assert marks(disabled, resources)["Every call logged"] == FAIL
