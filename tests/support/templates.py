"""Reading synthesized templates: one resource, one policy statement, acknowledgements, Fn::Join text."""

from __future__ import annotations

import json
import weakref
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_cdk.assertions import Template

if TYPE_CHECKING:  # cfn-lint loads when a test lints (about 0.8 s), not in every worker that collects this module
    from cfnlint.rules import Rules

# cfn-lint warnings we accept, each with its reason. Errors are never accepted.
ACCEPTED_CFN_LINT_WARNINGS: dict[str, str] = {
    "W3005": "aws-cdk-lib adds an explicit DependsOn from a Lambda function to its role; it repeats the dependency "
    "the role's GetAtt already gives and changes nothing in deployment order.",
}

# How an env-agnostic template refers to its account.
ACCOUNT = {"Ref": "AWS::AccountId"}


def bedrock_source_conditions(region: str) -> dict[str, Any]:
    """Confused-deputy conditions: Bedrock acting for this account and `region` only (env-agnostic template)."""
    return {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", [f"arn:aws:bedrock:{region}:", ACCOUNT, ":*"]]}},
    }


# Each Template's resources as JSON text, read from jsii once: `to_json` hands the whole template over from Node.js
# (~14 ms for a large one) and the helpers below ask for it again and again. Text, so each caller gets its own copy.
_RESOURCES_JSON: weakref.WeakKeyDictionary[Template, str] = weakref.WeakKeyDictionary()


def resources(template: Template) -> dict[str, Any]:
    if template not in _RESOURCES_JSON:
        _RESOURCES_JSON[template] = json.dumps(template.to_json()["Resources"])
    found: dict[str, Any] = json.loads(_RESOURCES_JSON[template])
    return found


def resource(template: Template, logical_id: str) -> dict[str, Any]:
    return dict(resources(template)[logical_id])


def only(template: Template, resource_type: str) -> dict[str, Any]:
    """The one resource of `resource_type` (fails when there are none or several)."""
    (found,) = template.find_resources(resource_type).values()
    return dict(found)


def statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    """The one statement of a policy document with this Sid."""
    (found,) = [s for s in document["Statement"] if s.get("Sid") == sid]
    return dict(found)


def managed_policy_id(template: Template, logical_id_part: str) -> str:
    """The logical ID of the one managed policy whose logical ID contains `logical_id_part`."""
    (found,) = [name for name in template.find_resources("AWS::IAM::ManagedPolicy") if logical_id_part in name]
    return found


def managed_policy_statements(template: Template, logical_id_part: str) -> list[dict[str, Any]]:
    policy = resource(template, managed_policy_id(template, logical_id_part))
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def role_policy_statements(template: Template, role_id: str) -> list[dict[str, Any]]:
    """Statements of the one managed policy a role holds (the role itself has no inline policy)."""
    role = resource(template, role_id)["Properties"]
    assert "Policies" not in role
    (policy_ref,) = role["ManagedPolicyArns"]
    statements: list[dict[str, Any]] = resource(template, policy_ref["Ref"])["Properties"]["PolicyDocument"][
        "Statement"
    ]
    return statements


def policies_naming_role(template: Template, resource_type: str, role_id: str) -> dict[str, Any]:
    """Policies of `resource_type` attached to the role through their own `Roles` property."""
    return {
        logical_id: policy
        for logical_id, policy in template.find_resources(resource_type).items()
        if {"Ref": role_id} in policy["Properties"].get("Roles", [])
    }


def bucket_policy(template: Template, bucket_id: str) -> dict[str, Any]:
    """The policy document of the bucket policy of `bucket_id`."""
    (policy,) = [
        p
        for p in template.find_resources("AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    document: dict[str, Any] = policy["Properties"]["PolicyDocument"]
    return document


def acknowledgements(template: Template, logical_id: str) -> list[dict[str, str]]:
    """The cdk-nag acknowledgements (`rules_to_suppress`: id and reason) written on one resource."""
    metadata = resource(template, logical_id).get("Metadata", {})
    rules: list[dict[str, str]] = metadata.get("cdk_nag", {}).get("rules_to_suppress", [])
    return rules


def acknowledged_rules(template: Template, logical_id: str) -> list[str]:
    return [rule["id"] for rule in acknowledgements(template, logical_id)]


def merged(parts: list[Any]) -> list[Any]:
    """Fn::Join parts with adjacent literal strings joined, as aws-cdk-lib writes them."""
    joined: list[Any] = []
    for part in parts:
        if isinstance(part, str) and joined and isinstance(joined[-1], str):
            joined[-1] += part
        else:
            joined.append(part)
    return joined


def rendered(value: Any) -> str:
    """A Fn::Join of literal text and tokens, with each token written as <Ref:Id> or <Id.Attr>."""
    parts = []
    for part in value["Fn::Join"][1]:
        if isinstance(part, str):
            parts.append(part)
        elif "Ref" in part:
            parts.append(f"<Ref:{part['Ref']}>")
        else:
            parts.append(f"<{'.'.join(part['Fn::GetAtt'])}>")
    return "".join(parts)


@cache
def _cfn_lint_rules() -> Rules:
    """cfn-lint's rules, loaded once per process as its command line loads them once for all its templates: loading
    them is about half the time of linting one template."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    rules: Rules = Runner(ConfigMixIn()).rules
    return rules


def cfn_lint_findings(template: dict[str, Any], region: str) -> list[str]:
    """cfn-lint's findings for one template in one Region, the accepted warnings left out (`cfnlint.api.lint`'s
    own path when it is given the rules)."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.decode.decode import decode_str
    from cfnlint.runner import run_template_by_data

    decoded, errors = decode_str(json.dumps(template))
    matches = errors or list(run_template_by_data(decoded, ConfigMixIn(regions=[region]), _cfn_lint_rules()))
    return [
        f"{m.rule.id} {m.message} ({'/'.join(map(str, m.path))})"
        for m in matches
        if m.rule.id not in ACCEPTED_CFN_LINT_WARNINGS
    ]
