"""Reading the diagram (`compliance.report.diagram`) out of the stacks of a cloud assembly."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from compliance.report.cloud_assembly import Names, Stack
from compliance.report.diagram import (
    GROUPED,
    GROUPED_BY_ID,
    KEY_PROPERTY,
    KINDS,
    PROPERTY_ARROWS,
    Diagram,
    Node,
    category_of,
    references,
    verb_of,
)
from compliance.report.facts import CONFIGURATION_TYPE
from compliance.report.templates import as_list

BEDROCK = "bedrock.amazonaws.com"
_RESOURCE_POLICIES = {
    "AWS::S3::BucketPolicy": "Bucket",
    "AWS::SNS::TopicPolicy": "Topics",
    "AWS::SQS::QueuePolicy": "Queues",
}
_LITERAL_KEYS = ("Arn", "Bucket", "AlarmActions", "OKActions")


def _principal_label(text: str) -> str:
    if text.endswith(":root"):
        account = text.split(":")[4]
        return "IAM principals of this account" if account == "{account}" else f"account {account}"
    parts = text.split(":", 5)
    return f"{parts[5]} ({parts[4]})" if len(parts) == 6 and text.startswith("arn:") else text


class _Region:
    """The nodes and arrows of one Region's stacks."""

    def __init__(
        self, region: str, stacks: list[Stack], names: Names, diagram: Diagram, owner: dict[tuple[str, str], str]
    ) -> None:
        self.region, self.stacks, self.names, self.diagram = region, stacks, names, diagram
        self.owner = owner  # (stack, logical ID) -> the node that shows it, shared by every Region

    # Nodes -----------------------------------------------------------------------------------------------------
    def external(self, label: str, kind: str) -> str:
        key = f"{self.region}/{kind}/{label}"
        self.diagram.nodes.setdefault(key, Node(key, label, kind, self.region))
        return key

    def bedrock(self) -> str:
        return self.external("Amazon Bedrock", "AWS service")

    def add_nodes(self) -> None:
        for stack in self.stacks:
            grouped_by_id = {
                logical_id: label
                for logical_id, template_resource in stack.resources.items()
                for (kind, part), label in GROUPED_BY_ID.items()
                if template_resource.get("Type") == kind and part in logical_id
            }
            for logical_id, template_resource in stack.resources.items():
                kind = template_resource.get("Type", "")
                if kind in KINDS and logical_id not in grouped_by_id:
                    key = f"{stack.name}/{logical_id}"
                    self.diagram.nodes[key] = Node(
                        key, stack.readable(logical_id), KINDS[kind], self.region, stack.name
                    )
                    self.owner[(stack.name, logical_id)] = key
            for kind, label in GROUPED.items():
                members = [k for k, r in stack.resources.items() if r.get("Type") == kind]
                if members:
                    key = f"{stack.name}/#{kind}"
                    self.diagram.nodes[key] = Node(key, f"{len(members)} {label}", label, self.region, stack.name)
                    self.owner.update({(stack.name, m): key for m in members})
            for label in dict.fromkeys(grouped_by_id.values()):
                members = [m for m, group in grouped_by_id.items() if group == label]
                key = f"{stack.name}/#{label}"
                self.diagram.nodes[key] = Node(key, f"{len(members)} {label}", label, self.region, stack.name)
                self.owner.update({(stack.name, m): key for m in members})
            self.fold(stack)

    def fold(self, stack: Stack) -> None:
        """A function's role, policies and log group are the function's; a resource policy is its resource's."""
        resources = stack.resources

        def fold(logical_id: str, into: str | None) -> None:
            node = f"{stack.name}/{logical_id}"
            if into is not None and logical_id in resources and node != into:
                self.diagram.nodes.pop(node, None)
                self.owner[(stack.name, logical_id)] = into

        for logical_id, template_resource in resources.items():
            props, kind = template_resource.get("Properties", {}), template_resource.get("Type")
            function = self.owner.get((stack.name, logical_id))
            if kind == "AWS::Lambda::Function":
                for name in (_ref(props.get("Role")), _ref(props.get("LoggingConfig", {}).get("LogGroup"))):
                    fold(name, function)
            elif kind in _RESOURCE_POLICIES or kind in (
                "AWS::Lambda::EventInvokeConfig",
                "AWS::Bedrock::GuardrailVersion",
            ):
                target = props.get(_RESOURCE_POLICIES.get(str(kind), ""))
                target = target or props.get("FunctionName") or props.get("GuardrailIdentifier")
                found = _ref(as_list(target)[0]) if target else ""
                if (stack.name, found) in self.owner:
                    self.owner[(stack.name, logical_id)] = self.owner[(stack.name, found)]
        for logical_id, template_resource in resources.items():  # policies attached only to folded roles
            if template_resource.get("Type") not in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
                continue
            roles = [_ref(r) for r in template_resource.get("Properties", {}).get("Roles", [])]
            roles += [
                k
                for k, r in resources.items()
                if {"Ref": logical_id} in r.get("Properties", {}).get("ManagedPolicyArns", [])
            ]
            owners = {self.owner.get((stack.name, r)) for r in roles}
            if len(owners) != 1 or None in owners:
                continue
            (only,) = owners
            # An inline policy, a policy of a folded role, or the one policy of one role: shown as the role's.
            if template_resource["Type"] == "AWS::IAM::Policy" or only != f"{stack.name}/{roles[0]}" or len(roles) == 1:
                fold(logical_id, only)
                if only in self.diagram.nodes and self.diagram.nodes[only].kind == "IAM role":
                    node = self.diagram.nodes[only]
                    policy = stack.readable(logical_id).rsplit("/", 1)[-1]
                    self.diagram.nodes[only] = Node(
                        node.key, node.label, f"IAM role, {policy}", node.region, node.stack
                    )

    def node_of(self, stack: str, logical_id: str) -> str | None:
        return self.owner.get((stack, logical_id))

    # Arrows ----------------------------------------------------------------------------------------------------
    def arrow(self, source: str | None, target: str | None, label: str, category: str) -> None:
        if source and target:
            self.diagram.add_edge(source, target, label, category)

    def add_edges(self) -> None:
        for stack in self.stacks:
            for logical_id, template_resource in stack.resources.items():
                source = self.node_of(stack.name, logical_id)
                props, kind = template_resource.get("Properties", {}) or {}, str(template_resource.get("Type"))
                if kind == "AWS::IAM::Role" and source == f"{stack.name}/{logical_id}":
                    self.trust(props, source)
                own = source == f"{stack.name}/{logical_id}"
                for name, value in props.items():
                    self.property_arrows(stack, kind, name, value, source, props, own)
                if kind == "AWS::IAM::ManagedPolicy":
                    for role in props.get("Roles", []):
                        self.arrow(self.node_of(stack.name, _ref(role)), source, "has", "access")
                if kind in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
                    for statement in as_list(props.get("PolicyDocument", {}).get("Statement", [])):
                        self.statement(stack, statement, source)
                elif kind in _RESOURCE_POLICIES:
                    for statement in as_list(props.get("PolicyDocument", {}).get("Statement", [])):
                        services = (
                            as_list((statement.get("Principal") or {}).get("Service", []))
                            if isinstance(statement.get("Principal"), dict)
                            else []
                        )
                        if statement.get("Effect") == "Allow" and BEDROCK in services:
                            self.arrow(self.bedrock(), source, verb_of(as_list(statement.get("Action"))), "logs")
                self.special(stack, kind, props, source)

    def trust(self, props: dict[str, Any], role: str) -> None:
        for statement in as_list(props.get("AssumeRolePolicyDocument", {}).get("Statement", [])):
            principal = statement.get("Principal") or {}
            if statement.get("Effect") != "Allow" or not isinstance(principal, dict):
                continue
            for value in as_list(principal.get("AWS", [])):
                text = str(self.names.text(value, self.region))
                self.arrow(self.external(_principal_label(text), "principal"), role, "assumes", "access")
            if BEDROCK in as_list(principal.get("Service", [])):
                self.arrow(self.bedrock(), role, "assumes", "access")

    def statement(self, stack: Stack, statement: dict[str, Any], source: str | None) -> None:
        for values in (statement.get("Condition") or {}).values():  # Deny ... unless this guardrail is applied
            for ref in references(values.get("bedrock:GuardrailIdentifier"), stack, self.names):
                self.arrow(source, self.node_of(*ref), "must apply", "access")
        if statement.get("Effect") != "Allow":
            return
        actions = [str(a) for a in as_list(statement.get("Action", []))]
        verb = verb_of(actions)
        for statement_resource in as_list(statement.get("Resource", [])):
            targets = [self.node_of(s, r) for s, r in references(statement_resource, stack, self.names)]
            for target in targets:
                self.arrow(source, target, verb, category_of(verb))
            text = str(self.names.text(statement_resource, self.region))
            if not targets and text.startswith("arn:aws:bedrock:") and verb == "invokes":
                self.arrow(source, self.bedrock(), "invokes Claude", "invoke")

    def relabel(self, label: str, target: str | None, props: dict[str, Any]) -> str:
        """A rule runs the function it targets (on its schedule); the configuration delivers as the role it names."""
        kind = self.diagram.nodes[target].kind if target in self.diagram.nodes else ""
        if label == "notifies" and kind == "Lambda function":
            return f"runs {props['ScheduleExpression']}" if "ScheduleExpression" in props else "runs"
        if kind.startswith("IAM role"):
            return {"sends logs to": "delivers as", "replicates to": "replicates as"}.get(label, label)
        return label

    def property_arrows(
        self, stack: Stack, kind: str, name: str, value: Any, source: str | None, props: dict[str, Any], own: bool
    ) -> None:
        rule = PROPERTY_ARROWS.get((kind, name))
        if rule:
            label, category = rule
            for ref in references(value, stack, self.names):
                target = self.node_of(*ref)
                self.arrow(source, target, self.relabel(label, target, props), category)
            for literal in _literal_arns(name, value):
                self.arrow(source, self.external(literal, "outside resource"), label, category)
        for key_name, key_value in _walk(name, value) if own else ():  # a folded resource's key is its own
            if KEY_PROPERTY.search(key_name):
                for ref in references(key_value, stack, self.names):
                    target = self.node_of(*ref)
                    if target and self.diagram.nodes[target].kind == "KMS key":
                        self.arrow(source, target, "encrypted by", "encrypt")

    def special(self, stack: Stack, kind: str, props: dict[str, Any], source: str | None) -> None:
        if kind == CONFIGURATION_TYPE:
            for ref in references(props.get("ServiceToken"), stack, self.names):
                self.arrow(self.node_of(*ref), source, "applies", "logs")
            self.arrow(self.bedrock(), source, "logs every call as configured by", "logs")
        elif kind == "AWS::Bedrock::ApplicationInferenceProfile":
            copied = str(self.names.text(props.get("ModelSource", {}).get("CopyFrom"), self.region)).rsplit("/", 1)[-1]
            self.arrow(source, self.bedrock(), f"routes via {copied}", "invoke")
        elif kind == "AWS::Lambda::Permission":
            principal = str(self.names.text(props.get("Principal"), self.region))
            if not principal.endswith(".amazonaws.com"):
                label = _principal_label(f"arn:aws:iam::{principal}:root" if principal.isdigit() else principal)
                for ref in references(props.get("FunctionName"), stack, self.names):
                    self.arrow(self.external(label, "principal"), self.node_of(*ref), "invokes", "invoke")
        elif kind == "AWS::SNS::Subscription":
            endpoint = f"{props.get('Protocol', 'endpoint')}: {self.names.text(props.get('Endpoint'), self.region)}"
            for ref in references(props.get("TopicArn"), stack, self.names):
                self.arrow(self.node_of(*ref), self.external(endpoint, "subscriber"), "notifies", "notify")
        elif kind == "AWS::CloudFormation::StackSet":
            for group in as_list(props.get("StackInstancesGroup", [])):
                targets = group.get("DeploymentTargets", {})
                for where in as_list(targets.get("OrganizationalUnitIds", [])) + as_list(targets.get("Accounts", [])):
                    label = f"{where} ({', '.join(map(str, as_list(group.get('Regions', []))))})"
                    self.arrow(source, self.external(label, "accounts"), "deploys to", "access")


def _ref(value: Any) -> str:
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            return str(target.split(".")[0] if isinstance(target, str) else target[0])
    return ""


def _walk(name: str, value: Any) -> Iterator[tuple[str, Any]]:
    yield name, value
    if isinstance(value, dict) and not any(k.startswith(("Fn::", "Ref")) for k in value):
        for key, item in value.items():
            yield from _walk(key, item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(name, item)


def _literal_arns(name: str, value: Any) -> list[str]:
    """ARNs written literally where a reference could stand: a topic outside the stacks, a replica bucket."""
    return [v for key, v in _walk(name, value) if isinstance(v, str) and v.startswith("arn:") and key in _LITERAL_KEYS]


def read_diagram(stacks: list[Stack]) -> Diagram:
    """The diagram of every Region of the assembly: every node first, then the arrows (they cross stacks)."""
    names, diagram = Names(stacks), Diagram()
    owner: dict[tuple[str, str], str] = {}
    regions = sorted({s.region for s in stacks})
    readers = [_Region(r, [s for s in stacks if s.region == r], names, diagram, owner) for r in regions]
    for reader in readers:
        reader.add_nodes()
    for reader in readers:
        reader.add_edges()
    return diagram
