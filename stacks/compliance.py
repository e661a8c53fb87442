"""Compliance rule packs (cdk-nag) and the one way this project acknowledges a finding."""

from __future__ import annotations

from aws_cdk import Acknowledgment, App, Validations
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks
from constructs import IConstruct

RULE_PACKS = (AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks)
PACK_NAMES = ("AwsSolutions", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")


def add_rule_packs(app: App) -> None:
    """Run every pack on every synthesis; acknowledgements are written into template metadata."""
    for pack in RULE_PACKS:
        Validations.of(app).add_plugins(pack(app, write_suppressions_to_cloud_formation=True))


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge one finding on the construct it concerns, with the reason a reviewer reads."""
    if len(reason) < 40:
        raise ValueError(f"acknowledgement of {rule} needs a reason a reviewer can accept, got {reason!r}")
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))


def acknowledge_all_packs(construct: IConstruct, rule_suffix: str, reason: str) -> None:
    """Acknowledge the same check in the HIPAA, NIST and PCI packs (e.g. `S3BucketReplicationEnabled`)."""
    for pack in PACK_NAMES[1:]:
        acknowledge(construct, f"{pack}-{rule_suffix}", reason)
