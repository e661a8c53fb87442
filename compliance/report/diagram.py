"""The architecture diagram, read from the synthesized templates: stacks per Region, their key resources, the arrows.

Nodes are the resources a reader asks about (roles and policies callers use, functions, the log bucket, group and
key, the logging configuration, alarm topics, rules, queues, the usage resources, teams' profiles, guardrails,
StackSets); alarms and saved queries of a stack are one node each. A function's own role, policy and log group are
folded into the function. Arrows come from the properties that make them true: trust policies (assumes), policy
statements (invokes, writes, reads...), resource policies for services (Bedrock writes the log bucket), the logging
configuration (sends logs to), encryption keys, alarm actions and rule targets (notifies, runs), subscriptions.
Nothing is drawn by hand: remove a resource or a reference from a template and the picture changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from compliance.report.cloud_assembly import Names, Stack
from compliance.report.facts import CONFIGURATION_TYPE

KINDS = {
    "AWS::IAM::Role": "IAM role",
    "AWS::IAM::ManagedPolicy": "managed policy",
    "AWS::Lambda::Function": "Lambda function",
    "AWS::S3::Bucket": "S3 bucket",
    "AWS::Logs::LogGroup": "log group",
    "AWS::KMS::Key": "KMS key",
    CONFIGURATION_TYPE: "logging configuration",
    "AWS::SNS::Topic": "SNS topic",
    "AWS::Events::Rule": "EventBridge rule",
    "AWS::SQS::Queue": "SQS queue",
    "AWS::CloudWatch::Dashboard": "dashboard",
    "AWS::Glue::Table": "Glue table",
    "AWS::Athena::WorkGroup": "Athena workgroup",
    "AWS::Bedrock::ApplicationInferenceProfile": "application inference profile",
    "AWS::Bedrock::Guardrail": "guardrail",
    "AWS::CloudFormation::StackSet": "StackSet",
}
# Types shown as one node per stack.
GROUPED = {
    "AWS::CloudWatch::Alarm": "alarms",
    "AWS::Logs::QueryDefinition": "saved Logs Insights queries",
    "AWS::Athena::NamedQuery": "Athena named queries",
}
# Resources of a kind that one part of their logical ID names as many alike: one box per label and stack, as for
# GROUPED (the logging stack's deployment and guard rules: five rules notifying the same topics).
GROUPED_BY_ID = {
    ("AWS::Events::Rule", "GuardRule"): "guard rules",
    ("AWS::Events::Rule", "DeploymentRule"): "guard rules",
}
# (resource type, first property name) -> (arrow label, category): references that are arrows.
PROPERTY_ARROWS: dict[tuple[str, str], tuple[str, str]] = {
    ("AWS::IAM::Role", "ManagedPolicyArns"): ("has", "access"),
    ("AWS::S3::Bucket", "LoggingConfiguration"): ("access logs to", "logs"),
    ("AWS::S3::Bucket", "ReplicationConfiguration"): ("replicates to", "logs"),
    ("AWS::CloudWatch::Alarm", "AlarmActions"): ("notifies", "notify"),
    ("AWS::Events::Rule", "Targets"): ("notifies", "notify"),
    (CONFIGURATION_TYPE, "Configuration"): ("sends logs to", "logs"),
    ("AWS::Logs::QueryDefinition", "LogGroupNames"): ("queries", "usage"),
    ("AWS::Glue::Table", "TableInput"): ("reads", "usage"),
    ("AWS::Athena::WorkGroup", "WorkGroupConfiguration"): ("writes results to", "usage"),
    ("AWS::Athena::NamedQuery", "WorkGroup"): ("run in", "usage"),
    ("AWS::Lambda::Function", "DeadLetterConfig"): ("dead letters to", "invoke"),
    ("AWS::Lambda::EventInvokeConfig", "DestinationConfig"): ("sends answers to", "invoke"),
}
KEY_PROPERTY = re.compile(r"(?i)km?s.*key|kmsmasterkeyid")
VERBS = (
    ("sts:AssumeRole", "assumes"),
    ("iam:PassRole", "passes"),
    ("bedrock:Invoke", "invokes"),
    ("bedrock:ApplyGuardrail", "applies"),
    ("lambda:InvokeFunction", "invokes"),
    ("bedrock:PutModelInvocationLoggingConfiguration", "configures"),
    ("logs:PutLogEvents", "writes"),
    ("s3:PutObject", "writes"),
    ("sqs:SendMessage", "writes"),
    ("sns:Publish", "publishes"),
    ("kms:Decrypt", "decrypts with"),
    ("kms:GenerateDataKey", "encrypts with"),
    ("s3:GetObject", "reads"),
    ("s3:ListBucket", "lists"),
    ("logs:StartQuery", "queries"),
)


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    kind: str
    region: str
    stack: str = ""  # "" outside every stack (principals, services, external resources)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    category: str  # access, invoke, logs, notify, encrypt, data, usage


@dataclass
class Diagram:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def add_edge(self, source: str, target: str, label: str, category: str) -> None:
        if source == target or source not in self.nodes or target not in self.nodes:
            return
        for index, edge in enumerate(self.edges):
            if (edge.source, edge.target) == (source, target):
                if label not in edge.label.split(", "):
                    self.edges[index] = Edge(source, target, f"{edge.label}, {label}", edge.category)
                return
        self.edges.append(Edge(source, target, label, category))

    def regions(self) -> list[str]:
        return sorted({n.region for n in self.nodes.values()})


def overview(diagram: Diagram, labels_per_arrow: int = 3) -> Diagram:
    """The same picture one level up: a box per stack and per outside party, an arrow wherever a resource of one
    points to a resource of the other (arrows inside a stack dropped, the first labels kept)."""
    short = Diagram()
    for node in diagram.nodes.values():
        key = f"{node.region}/stack/{node.stack}" if node.stack else node.key
        label = node.stack.removesuffix(f"-{node.region}") if node.stack else node.label
        short.nodes.setdefault(key, Node(key, label, "stack" if node.stack else node.kind, node.region))
    box = {n.key: (f"{n.region}/stack/{n.stack}" if n.stack else n.key) for n in diagram.nodes.values()}
    for edge in diagram.edges:
        source, target = box[edge.source], box[edge.target]
        for label in edge.label.split(", "):
            current = next((e for e in short.edges if (e.source, e.target) == (source, target)), None)
            if current is None or len(current.label.split(", ")) < labels_per_arrow:
                short.add_edge(source, target, label, edge.category)
    return short


def references(value: Any, stack: Stack, names: Names) -> Iterator[tuple[str, str]]:
    """(stack name, logical ID) of every resource `value` refers to, through other stacks' outputs too."""
    if isinstance(value, list):
        for item in value:
            yield from references(item, stack, names)
    elif isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in stack.resources:
            yield stack.name, str(value["Ref"])
        elif set(value) == {"Fn::GetAtt"}:
            target = value["Fn::GetAtt"]
            logical_id = target.split(".")[0] if isinstance(target, str) else target[0]
            if logical_id in stack.resources:
                yield stack.name, str(logical_id)
        elif set(value) == {"Fn::GetStackOutput"}:
            other = names.stacks.get(str(value["Fn::GetStackOutput"].get("StackName")))
            output = names.output_value(other.name, value["Fn::GetStackOutput"]["OutputName"]) if other else None
            if other is not None and output is not None:
                yield from references(output, other, names)
        elif set(value) == {"Fn::ImportValue"} and isinstance(value["Fn::ImportValue"], str):
            found = names.exports.get(value["Fn::ImportValue"])
            if found:
                yield from references(found[1], found[0], names)
        elif set(value) == {"Fn::Sub"}:
            template = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
            for variable in re.findall(r"\$\{([^}.!]+)", template):
                if variable in stack.resources:
                    yield stack.name, variable
            if not isinstance(value["Fn::Sub"], str):
                yield from references(value["Fn::Sub"][1], stack, names)
        else:
            for item in value.values():
                yield from references(item, stack, names)


def verb_of(actions: list[str]) -> str:
    for prefix, verb in VERBS:
        if any(str(a).startswith(prefix) or a in ("*", prefix.split(":")[0] + ":*") for a in actions):
            return verb
    return "uses"


def category_of(verb: str) -> str:
    """The kind of arrow a policy grant draws: access, invoke, encrypt or data."""
    if verb in ("assumes", "passes"):
        return "access"
    if verb == "invokes":
        return "invoke"
    return "encrypt" if "crypt" in verb else "data"


__all__ = ["GROUPED", "KINDS", "PROPERTY_ARROWS", "Diagram", "Edge", "Node"]
