"""Configured principals (account IDs, IAM role or user ARNs, service principals) as CDK principals."""

from __future__ import annotations

from aws_cdk import aws_iam as iam


def principal(value: str, external_id: str | None = None) -> iam.IPrincipal:
    """A trusted principal; account and ARN principals must send `external_id` when one is given."""
    if value.endswith(".amazonaws.com"):
        return iam.ServicePrincipal(value)
    trusted: iam.PrincipalBase = iam.AccountPrincipal(value) if value.isdigit() else iam.ArnPrincipal(value)
    if external_id:
        return trusted.with_conditions({"StringEquals": {"sts:ExternalId": external_id}})
    return trusted
