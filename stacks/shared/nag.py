"""cdk-nag wiring: the rule packs every synthesis runs, and the one way this project acknowledges a finding."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Acknowledgment, App, Stack, Validations
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks
from constructs import IConstruct

from core.rule_packs import REGULATORY_PACKS

# In the order of core.rule_packs.PACK_NAMES.
RULE_PACKS = (AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks)


def add_rule_packs(app: App) -> None:
    """Run every pack on every synthesis; acknowledgements are written into template metadata."""
    for pack in RULE_PACKS:
        Validations.of(app).add_plugins(pack(app, write_suppressions_to_cloud_formation=True))


def is_rule_pack_failure(error: BaseException) -> bool:
    """Whether `error` is synthesis refusing unacknowledged findings (CDK's policy validation, as jsii raises it),
    rather than any other failure."""
    return isinstance(error, RuntimeError) and str(error).startswith("ValidationFailed")


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge one finding on the construct it concerns, with the reason a reviewer reads."""
    if len(reason) < 40:
        raise ValueError(f"acknowledgement of {rule} needs a reason a reviewer can accept, got {reason!r}")
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))


def acknowledge_in_regulatory_packs(construct: IConstruct, rule_suffix: str, reason: str) -> None:
    """Acknowledge a check that the HIPAA, NIST and PCI packs share (e.g. `S3BucketReplicationEnabled`).

    AwsSolutions names its rules differently (`AwsSolutions-S1`): acknowledge those with `acknowledge`.
    """
    for pack in REGULATORY_PACKS:
        acknowledge(construct, f"{pack}-{rule_suffix}", reason)


def finding_resource(scope: IConstruct, value: str) -> str:
    """`value` (text with CDK tokens) as cdk-nag writes it in a finding's id: a `Ref` as `<Name>` (`<AWS::Region>`
    for a pseudo parameter), a `Fn::GetAtt` as `<LogicalId.Attribute>`, `Fn::Join` parts concatenated, any other
    intrinsic (such as the `Fn::GetStackOutput` of a reference to another stack) as compact JSON. The
    acknowledged-finding tests fail if this drifts."""

    def flat(part: Any) -> str:
        if isinstance(part, str):
            return part
        if "Ref" in part:
            return f"<{part['Ref']}>"
        if "Fn::GetAtt" in part:
            return f"<{'.'.join(part['Fn::GetAtt'])}>"
        if "Fn::Join" in part:
            separator, parts = part["Fn::Join"]
            return str(separator).join(flat(p) for p in parts)
        return json.dumps(part, separators=(",", ":"))

    return flat(Stack.of(scope).resolve(value))
