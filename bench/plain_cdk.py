"""The synthesis benchmark's baseline: a plain CDK app with the project's stacks and resources, nothing else.

It reads a cloud assembly the project synthesized (the folder in PLAIN_CDK_REFERENCE) and re-creates each stack
under the same name, Region, description and dependencies; each resource as an L1 `CfnResource` with the same
logical ID, type, properties, metadata, dependencies and policies; the outputs; and each Lambda code folder as a file
asset (staged and hashed, as the project's are). No construct library above L1, no rule packs, no validation of
its own (CDK's built-in template validation runs, as in any CDK app), no aspects: what any CDK app with these
templates costs to synthesize. bench/synth.py runs it with `cdk synth`, in a
folder whose cdk.json holds the project's feature flags.

What every stack's synthesizer adds itself (the BootstrapVersion parameter and its rule, the CDK metadata resource
and its condition) is left to the synthesizer; anything else this file does not re-create stops it with a message,
so the baseline never quietly holds less than the project.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_s3_assets as s3_assets

SYNTHESIZER_OWN = {
    "Parameters": {"BootstrapVersion"},
    "Rules": {"CheckBootstrapVersion"},
    "Conditions": {"CDKMetadataAvailable"},
    "Resources": {"CDKMetadata"},
}
RESOURCE_OVERRIDES = ("DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy")
OUTPUT_KEYS = {"Value", "Description", "Export"}
TEMPLATE_KEYS = {"AWSTemplateFormatVersion", "Description", *SYNTHESIZER_OWN, "Outputs"}


def environment(value: str) -> cdk.Environment:
    """aws://account/region of the manifest, `unknown-*` for an environment-agnostic part."""
    account, region = value.removeprefix("aws://").split("/")
    return cdk.Environment(
        account=None if account == "unknown-account" else account,
        region=None if region == "unknown-region" else region,
    )


def refuse(stack: str, what: str) -> None:
    sys.exit(f"plain_cdk: {stack}: {what} is not re-created; the baseline would hold less than the project")


def add_resources(stack: cdk.Stack, name: str, resources: dict[str, Any]) -> None:
    created: dict[str, cdk.CfnResource] = {}
    for logical_id, resource in resources.items():
        if logical_id in SYNTHESIZER_OWN["Resources"]:
            continue
        unknown = set(resource) - {"Type", "Properties", "Metadata", "DependsOn", "Condition", *RESOURCE_OVERRIDES}
        if unknown or "Condition" in resource:
            refuse(name, f"resource {logical_id} keys {sorted(unknown | ({'Condition'} & set(resource)))}")
        cfn = cdk.CfnResource(stack, logical_id, type=resource["Type"], properties=resource.get("Properties"))
        for key, value in resource.get("Metadata", {}).items():
            if key != "aws:cdk:path":  # the app writes its own
                cfn.add_metadata(key, value)
        for key in RESOURCE_OVERRIDES:
            if key in resource:
                cfn.add_override(key, resource[key])
        created[logical_id] = cfn
    for logical_id, resource in resources.items():
        depends = resource.get("DependsOn", [])
        for dependency in [depends] if isinstance(depends, str) else depends:
            created[logical_id].add_resource_dependency(created[dependency])


def add_outputs(stack: cdk.Stack, name: str, outputs: dict[str, Any]) -> None:
    for output_id, output in outputs.items():
        if set(output) - OUTPUT_KEYS:
            refuse(name, f"output {output_id} keys {sorted(set(output) - OUTPUT_KEYS)}")
        export = output.get("Export", {}).get("Name")
        cdk.CfnOutput(
            stack,
            output_id,
            value=cdk.Token.as_string(output["Value"]),
            description=output.get("Description"),
            export_name=None if export is None else cdk.Token.as_string(export),
        )


def add_assets(stack: cdk.Stack, reference: Path, artifact_id: str) -> None:
    """The stack's file assets other than its template: the Lambda code folders, staged from the reference copy."""
    manifest = json.loads((reference / f"{artifact_id}.assets.json").read_text())
    for asset_hash, asset in manifest.get("files", {}).items():
        source = asset["source"]["path"]
        if source != f"{artifact_id}.template.json":
            s3_assets.Asset(stack, f"Asset{asset_hash[:12]}", path=str(reference / source))


def main() -> None:
    reference = Path(os.environ["PLAIN_CDK_REFERENCE"])
    manifest = json.loads((reference / "manifest.json").read_text())
    app = cdk.App()
    stacks: dict[str, cdk.Stack] = {}
    for artifact_id, artifact in manifest["artifacts"].items():
        if artifact["type"] == "cdk:cloud-assembly":
            refuse(artifact_id, "a nested cloud assembly")
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        properties = artifact["properties"]
        template = json.loads((reference / properties["templateFile"]).read_text())
        if set(template) - TEMPLATE_KEYS:
            refuse(artifact_id, f"template sections {sorted(set(template) - TEMPLATE_KEYS)}")
        for section in ("Parameters", "Rules", "Conditions"):
            if set(template.get(section, {})) - SYNTHESIZER_OWN[section]:
                refuse(artifact_id, f"{section} {sorted(set(template[section]) - SYNTHESIZER_OWN[section])}")
        stack = cdk.Stack(
            app,
            artifact_id,
            stack_name=properties.get("stackName", artifact_id),
            env=environment(artifact["environment"]),
            description=template.get("Description"),
            tags=properties.get("tags"),
            termination_protection=properties.get("terminationProtection"),
        )
        add_resources(stack, artifact_id, template["Resources"])
        add_outputs(stack, artifact_id, template.get("Outputs", {}))
        add_assets(stack, reference, artifact_id)
        stacks[artifact_id] = stack
    for artifact_id, stack in stacks.items():
        for dependency in manifest["artifacts"][artifact_id].get("dependencies", []):
            if dependency in stacks:  # the others are the stacks' own asset manifests
                stack.add_stack_dependency(stacks[dependency])
    app.synth()


if __name__ == "__main__":
    main()
