"""The architecture diagram is read from the assembly: its arrows are the templates' references, and it changes
when a template does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compliance.report.architecture import read_diagram
from compliance.report.cloud_assembly import read_stacks
from compliance.report.diagram import Diagram
from compliance.report.diagram_dot import dot_source
from compliance.report.diagram_mermaid import render_mermaid
from tests.support.synth import Synth


def arrows(diagram: Diagram) -> set[tuple[str, str, str]]:
    """(from, label, to) by readable name; one arrow may carry several labels."""
    found = set()
    for edge in diagram.edges:
        for label in edge.label.split(", "):
            found.add((diagram.nodes[edge.source].label, label, diagram.nodes[edge.target].label))
    return found


@pytest.fixture(scope="module")
def default_diagram(default_synth: Synth) -> Diagram:
    return read_diagram(read_stacks(default_synth.outdir))


def _invoker_alarms(synth: Synth) -> str:
    """The invoker's alarms as the diagram groups them: one box, labelled with their number in the template."""
    resources = synth.templates[synth.stack_name("ClaudeInvoker-")]["Resources"]
    return f"{sum(r['Type'] == 'AWS::CloudWatch::Alarm' for r in resources.values())} alarms"


def test_the_arrows_that_matter_are_read_from_the_templates(default_diagram: Diagram, default_synth: Synth) -> None:
    expected = {
        # Who assumes what, who invokes what.
        ("IAM principals of this account", "assumes", "InvokerRole"),
        ("InvokerRole", "invokes Claude", "Amazon Bedrock"),
        ("InvokerFunction", "invokes Claude", "Amazon Bedrock"),
        ("InvokeFunctionPolicy", "invokes", "InvokerFunction"),
        ("InvokerFunction", "sends answers to", "InvokerAsyncResultsQueue"),
        # Where logs go.
        ("Amazon Bedrock", "logs every call as configured by", "InvocationLoggingConfiguration"),
        ("ConfigurationProvider", "applies", "InvocationLoggingConfiguration"),
        ("InvocationLoggingConfiguration", "sends logs to", "InvocationLogBucket"),
        ("InvocationLoggingConfiguration", "sends logs to", "InvocationLogGroup"),
        ("InvocationLoggingConfiguration", "delivers as", "LoggingDeliveryRole"),
        ("Amazon Bedrock", "assumes", "LoggingDeliveryRole"),
        ("Amazon Bedrock", "writes", "InvocationLogBucket"),
        ("LoggingDeliveryRole", "writes", "InvocationLogGroup"),
        ("InvocationLogBucket", "encrypted by", "InvocationLogKey"),
        ("InvocationLogGroup", "encrypted by", "InvocationLogKey"),
        ("InvocationLogBucket", "access logs to", "AccessLogBucket"),
        # What notifies whom.
        ("LoggingTamperRule", "notifies", "LoggingAlarmTopic"),
        ("7 alarms", "notifies", "LoggingAlarmTopic"),
        (_invoker_alarms(default_synth), "notifies", "InvokerAlarmTopic"),
        ("LogAuditSchedule", "runs rate(1 hour)", "LogAuditFunction"),
        # The usage stack reads the logs.
        ("InvocationLogTable", "reads", "InvocationLogBucket"),
        ("7 saved Logs Insights queries", "queries", "InvocationLogGroup"),
        ("UsageQueryPolicy", "decrypts with", "InvocationLogKey"),
    }
    assert expected <= arrows(default_diagram), expected - arrows(default_diagram)
    # A function's own role, policy and log group are the function's: not boxes of their own.
    labels = {n.label for n in default_diagram.nodes.values()}
    assert not {"InvokerFunctionRole", "InvokerFunctionPolicy", "InvokerLogGroup", "LogAuditRole"} & labels
    assert {n.stack for n in default_diagram.nodes.values() if n.stack} == {
        "ClaudeInvocationAccess-us-east-1",
        "ClaudeInvocationLogging-us-east-1",
        "ClaudeInvoker-us-east-1",
        "ClaudeUsage-us-east-1",
    }


def test_teams_guardrails_subscribers_and_replicas_appear_when_configured(
    teams_synth: Synth, every_option_synth: Synth
) -> None:
    teams = arrows(read_diagram(read_stacks(teams_synth.outdir)))
    assert {
        ("account 444455556666", "assumes", "DataScienceTeam/Role"),
        ("role/analysts (444455556666)", "assumes", "DataScienceTeam/Role"),
        ("role/support-bot (777788889999)", "assumes", "SupportTeam/Role"),
        ("DataScienceTeam/Role", "invokes", "DataScienceTeam/ClaudeOpus47Profile"),
        ("SupportTeam/Role", "invokes", "SupportTeam/ClaudeHaiku45Profile"),
        ("DataScienceTeam/Role", "must apply", "StrictGuardrail/Guardrail"),
        ("InvokerFunction", "must apply", "StrictGuardrail/Guardrail"),
        ("DataScienceTeam/ClaudeOpus47Profile", "routes via eu.anthropic.claude-opus-4-7", "Amazon Bedrock"),
    } <= teams
    # A team reaches only its own profiles, and only one team must apply the guardrail.
    assert not {a for a in teams if a[0] == "SupportTeam/Role" and "DataScience" in a[2]}
    assert ("SupportTeam/Role", "must apply", "StrictGuardrail/Guardrail") not in teams
    central = "arn:aws:sns:eu-west-1:777788889999:central-security-alarms"
    assert {
        ("LoggingAlarmTopic", "notifies", "email: security@example.com"),
        ("8 alarms", "notifies", central),
        ("LoggingTamperRule", "notifies", central),
        ("InvocationLogBucket", "replicates to", "arn:aws:s3:::example-bedrock-log-archive"),
    } <= arrows(read_diagram(read_stacks(every_option_synth.outdir)))


def _copy(synth: Synth, tmp_path: Path) -> Path:
    target = tmp_path / "cdk.out"
    shutil.copytree(synth.outdir, target, ignore=shutil.ignore_patterns("asset.*", ".staging*"))
    return target


def _edit(assembly: Path, stack: str, change) -> None:  # type: ignore[no-untyped-def]
    path = assembly / f"{stack}.template.json"
    template = json.loads(path.read_text())
    change(template["Resources"])
    path.write_text(json.dumps(template))


def test_the_picture_follows_the_templates(default_synth: Synth, default_diagram: Diagram, tmp_path: Path) -> None:
    """Remove the tamper rule from a copy of the template, and the alarm actions of the invoker's alarms: the rule's
    box and its arrow go, the alarms no longer notify, and the Mermaid and SVG change."""
    assembly = _copy(default_synth, tmp_path)

    def drop(resources: dict[str, dict[str, object]]) -> None:
        rule = next(
            k
            for k in resources
            if k.startswith("ClaudeInvocationLoggingLoggingTamperRule") and resources[k]["Type"] == "AWS::Events::Rule"
        )
        del resources[rule]

    def silence(resources: dict[str, dict[str, dict[str, object]]]) -> None:
        for resource in resources.values():
            if resource["Type"] == "AWS::CloudWatch::Alarm":
                resource["Properties"].pop("AlarmActions", None)

    _edit(assembly, "ClaudeInvocationLogging-us-east-1", drop)
    _edit(assembly, "ClaudeInvoker-us-east-1", silence)
    changed = read_diagram(read_stacks(assembly))
    lost = arrows(default_diagram) - arrows(changed)
    assert lost == {
        ("LoggingTamperRule", "notifies", "LoggingAlarmTopic"),
        (_invoker_alarms(default_synth), "notifies", "InvokerAlarmTopic"),
    }
    assert "LoggingTamperRule" not in {n.label for n in changed.nodes.values()}
    assert render_mermaid(changed) != render_mermaid(default_diagram)
    assert "LoggingTamperRule" in dot_source(default_diagram, "us-east-1")
    assert "LoggingTamperRule" not in dot_source(changed, "us-east-1")


def test_the_mermaid_names_every_node_and_arrow(default_diagram: Diagram) -> None:
    text = render_mermaid(default_diagram)
    assert text.startswith("flowchart LR\n")
    assert 'subgraph g_ClaudeInvocationLogging_us_east_1["ClaudeInvocationLogging-us-east-1"]' in text
    assert (
        'ClaudeInvocationLogging_us_east_1__LoggingTamperRule -- "notifies" --> '
        "ClaudeInvocationLogging_us_east_1__LoggingAlarmTopic"
    ) in text
    assert text.count(" --> ") == len(default_diagram.edges)
    assert text.count("subgraph") == text.count("\n    end") + text.count("\n  end")
