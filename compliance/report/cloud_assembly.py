"""A synthesized cloud assembly (`cdk.out`) as plain data: its stacks, their templates and the construct paths.

Every reader of the report (facts, threats, teams, the diagram, the docs generator) starts here. A resource is named
for people by its construct path (from the stack's metadata: `aws:cdk:logicalId` entries), never by its logical ID,
and CloudFormation intrinsics become text through `Names.text`: `{InvocationLogBucket}` stands for what
CloudFormation gives that resource at deployment (its name or ARN), `{account}` for the account deployed to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Construct-path segments that name no part a reader knows (CDK's wrappers of a resource).
_WRAPPERS = ("Resource", "Default")
_PSEUDO = {
    "AWS::AccountId": "{account}",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackId": "{stack ID}",
    "AWS::NoValue": "",
}


@dataclass
class Stack:
    name: str
    region: str
    template: dict[str, Any]
    paths: dict[str, str] = field(default_factory=dict)  # logical ID -> construct path (without the stack)

    @property
    def resources(self) -> dict[str, Any]:
        return dict(self.template.get("Resources", {}))

    def readable(self, logical_id: str) -> str:
        """The construct path without the stack, CDK's wrapper segments, or a leading construct named like the stack."""
        path = self.paths.get(logical_id)
        if path is None:
            return logical_id
        parts = [p for p in path.split("/") if p]
        while len(parts) > 1 and parts[-1] in _WRAPPERS:
            parts.pop()
        base = self.name.removesuffix(f"-{self.region}") if self.region else self.name
        if len(parts) > 1 and parts[0] == base:
            parts.pop(0)
        return "/".join(parts)


def _paths(assembly: Path, artifact: dict[str, Any], name: str) -> dict[str, str]:
    metadata = artifact.get("metadata", {})
    extra = artifact.get("additionalMetadataFile")
    if extra and (assembly / extra).exists():
        metadata = {**metadata, **json.loads((assembly / extra).read_text())}
    found: dict[str, str] = {}
    for path, entries in metadata.items():
        for entry in entries:
            if entry.get("type") == "aws:cdk:logicalId":
                found[str(entry["data"])] = path.removeprefix(f"/{name}").lstrip("/")
    return found


def read_stacks(assembly: Path) -> list[Stack]:
    """Every CloudFormation stack of the assembly, sorted by name."""
    manifest = json.loads((assembly / "manifest.json").read_text())
    stacks = []
    for name, artifact in sorted(manifest["artifacts"].items()):
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        template = json.loads((assembly / artifact["properties"]["templateFile"]).read_text())
        region = str(artifact.get("environment", "")).rsplit("/", 1)[-1]
        stacks.append(Stack(name, region, template, _paths(assembly, artifact, name)))
    return stacks


def templates_fingerprint(stacks: Iterable[Stack]) -> str:
    """SHA-256 (first 12 hex digits) of the stacks' templates as synthesized: equal reports cover equal templates."""
    digest = hashlib.sha256()
    for stack in sorted(stacks, key=lambda s: s.name):
        digest.update(stack.name.encode() + b"\0" + json.dumps(stack.template, sort_keys=True).encode() + b"\0")
    return digest.hexdigest()[:12]


class Names:
    """Readable names for the resources of a set of stacks (one Region's, or all), and intrinsics as text."""

    def __init__(self, stacks: Iterable[Stack]) -> None:
        self.stacks = {stack.name: stack for stack in stacks}
        self.owner: dict[str, Stack] = {}
        for stack in self.stacks.values():
            for logical_id in stack.resources:
                self.owner.setdefault(logical_id, stack)
        self.exports = {
            output["Export"]["Name"]: (stack, output["Value"])
            for stack in self.stacks.values()
            for output in stack.template.get("Outputs", {}).values()
            if isinstance(output.get("Export", {}).get("Name"), str)
        }

    def of(self, logical_id: str) -> str:
        """The readable name of a resource: its construct path in its stack."""
        stack = self.owner.get(logical_id)
        return stack.readable(logical_id) if stack else logical_id

    def where(self, logical_id: str) -> str:
        """`stack/name`, for text that spans stacks (acknowledgements)."""
        stack = self.owner.get(logical_id)
        return f"{stack.name}/{stack.readable(logical_id)}" if stack else logical_id

    def output_value(self, stack_name: str, output: str) -> Any:
        stack = self.stacks.get(stack_name)
        value = stack.template.get("Outputs", {}).get(output, {}).get("Value") if stack else None
        return value

    def text(self, value: Any, region: str = "") -> Any:
        """Intrinsics as text, recursively: {"Ref": "X"} -> "{X's name}", joins joined; data stays data."""
        if isinstance(value, list):
            return [self.text(item, region) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) != 1 or not next(iter(value)).startswith(("Fn::", "Ref")):
            return {key: self.text(item, region) for key, item in value.items()}
        ((function, argument),) = value.items()
        if function == "Ref":
            if argument == "AWS::Region":
                return region or "{region}"
            return _PSEUDO.get(argument, "{" + self.of(str(argument)) + "}")
        if function == "Fn::GetAtt":
            logical_id, attribute = (argument.split(".", 1) if isinstance(argument, str) else argument)[:2]
            suffix = "" if attribute in ("Arn", "Ref") else f".{attribute}"
            return "{" + self.of(str(logical_id)) + suffix + "}"
        if function == "Fn::Join":
            separator, parts = argument
            return str(separator).join(str(self.text(part, region)) for part in self.text(parts, region))
        if function == "Fn::GetStackOutput":
            found = self.output_value(str(argument.get("StackName")), str(argument.get("OutputName")))
            return self.text(found, region) if found is not None else "{output " + str(argument.get("OutputName")) + "}"
        if function == "Fn::ImportValue":
            name = self.text(argument, region)
            if name in self.exports:
                return self.text(self.exports[name][1], region)
            return "{import " + str(name) + "}"
        if function == "Fn::Sub":
            template, variables = (argument, {}) if isinstance(argument, str) else argument
            for key, item in variables.items():
                template = template.replace("${" + key + "}", str(self.text(item, region)))
            return _substitute(template, self, region)
        if function == "Fn::Select" and "AWS::StackId" in json.dumps(argument):
            return "{unique suffix}"
        if function == "Fn::If":
            _, when, otherwise = argument
            return f"{self.text(when, region)} or {self.text(otherwise, region)} (condition)"
        return "{computed at deployment}"


def _substitute(template: str, names: Names, region: str) -> str:
    out, rest = "", template
    while "${" in rest:
        before, _, after = rest.partition("${")
        variable, _, rest = after.partition("}")
        if "." in variable:
            logical_id, attribute = variable.split(".", 1)
            replacement = names.text({"Fn::GetAtt": [logical_id, attribute]}, region)
        else:
            replacement = names.text({"Ref": variable}, region)
        out += before + str(replacement)
    return out + rest
