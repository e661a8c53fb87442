"""Configuration section `organization_*`: the rollout to every account of an AWS Organization.

With `organization_targets` set, synthesis adds a stack for the StackSets administrator (the management account or
a delegated administrator) holding a service-managed StackSet that deploys the member baseline (invocation logging
and, optionally, the invocation policy) to every account under the targets, in every Region of `regions`, and to
new accounts as they join. `organization_archive_*` names a central bucket every member replicates its logs to;
`organization_audit_*` is how `python app.py audit --organization` reaches each account; `organization_scps` and
`organization_rcps` say whether the same stack attaches the organization's policies to the targets.
docs/platform/organization.md describes the rollout; the StackSet's properties follow the AWS::CloudFormation::StackSet
resource schema.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.config.invocation_logging import LogReplica, parse_replica
from core.config.values import (
    ACCOUNT,
    ROLE_OR_USER_ARN,
    as_bool,
    as_choice,
    as_int,
    as_list,
    as_optional_text,
    fail,
)

DEFAULTS: dict[str, Any] = {
    "organization_targets": [],
    "organization_id": None,
    "organization_call_as": "SELF",
    "organization_region_concurrency": "PARALLEL",
    "organization_max_concurrent": "25%",
    "organization_failure_tolerance": "0",
    "organization_concurrency_mode": "SOFT_FAILURE_TOLERANCE",
    "organization_retain_stacks_on_removal": True,
    "organization_member_access": False,
    "organization_archive_bucket_arn": None,
    "organization_archive_kms_key_arn": None,
    "organization_archive_account": None,
    "organization_audit_role_name": "ClaudeLoggingAudit",
    "organization_audit_principal": None,
    "organization_audit_workers": 16,
    "organization_scps": True,
    "organization_rcps": False,
}

ARCHIVE_KEYS = ("organization_archive_bucket_arn", "organization_archive_kms_key_arn", "organization_archive_account")
CALL_AS = ("SELF", "DELEGATED_ADMIN")
REGION_CONCURRENCY = ("PARALLEL", "SEQUENTIAL")
CONCURRENCY_MODES = ("SOFT_FAILURE_TOLERANCE", "STRICT_FAILURE_TOLERANCE")

# DeploymentTargets.OrganizationalUnitIds of the StackSet resource schema: OUs, or the root.
_TARGET = re.compile(r"^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$")
# Organizations: "o-" and 10 to 32 lowercase letters or digits.
_ORGANIZATION_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
# IAM role names: 1 to 64 of letters, digits and +=,.@_-.
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
_AMOUNT = re.compile(r"^(\d{1,4})(%?)$")


@dataclass(frozen=True)
class Amount:
    """A number of accounts, or a percentage of them (StackSets' `...Count` or `...Percentage`)."""

    value: int
    percentage: bool

    def __str__(self) -> str:
        return f"{self.value}%" if self.percentage else str(self.value)


@dataclass(frozen=True)
class OrganizationConfig:
    """Where the member baseline goes, how StackSets rolls it out, where logs are archived, how the audit reaches in."""

    targets: tuple[str, ...]
    organization_id: str | None
    call_as: str
    region_concurrency: str
    max_concurrent: Amount
    failure_tolerance: Amount
    concurrency_mode: str
    retain_stacks_on_removal: bool
    # Members also get the invocation policy (`InvokePolicy`) of each Region.
    member_access: bool
    # The central archive every member replicates both log prefixes to (None: members keep their logs only).
    archive: LogReplica | None
    audit_role_name: str
    # Who may assume the audit role the member baseline creates (None: the baseline creates no audit role).
    audit_principal: str | None
    audit_workers: int
    # The organization stack deploys the service control policies (`python app.py scp`) attached to the targets;
    # false when the organization manages its SCPs elsewhere.
    service_control_policies: bool
    # ... and the resource control policies (`python app.py scp --rcp`), for organizations that enabled the type.
    resource_control_policies: bool

    @property
    def enabled(self) -> bool:
        return bool(self.targets)

    @property
    def deploys_service_control_policies(self) -> bool:
        """Whether this project attaches its SCPs (otherwise they are printed for an administrator to attach)."""
        return self.enabled and self.service_control_policies

    @property
    def deploys_resource_control_policies(self) -> bool:
        return self.enabled and self.resource_control_policies


def parse_organization(
    raw: Mapping[str, Any], *, residency: tuple[str, ...] | None, regions: tuple[str, ...]
) -> OrganizationConfig:
    return OrganizationConfig(
        targets=_targets(raw["organization_targets"]),
        organization_id=as_optional_text(
            "organization_id",
            raw["organization_id"],
            _ORGANIZATION_ID,
            "an organization ID such as o-a1b2c3d4e5 (aws organizations describe-organization), or unset",
        ),
        call_as=as_choice("organization_call_as", raw["organization_call_as"], CALL_AS),
        region_concurrency=as_choice(
            "organization_region_concurrency", raw["organization_region_concurrency"], REGION_CONCURRENCY
        ),
        max_concurrent=_amount("organization_max_concurrent", raw["organization_max_concurrent"], minimum=1),
        failure_tolerance=_amount("organization_failure_tolerance", raw["organization_failure_tolerance"], minimum=0),
        concurrency_mode=as_choice(
            "organization_concurrency_mode", raw["organization_concurrency_mode"], CONCURRENCY_MODES
        ),
        retain_stacks_on_removal=as_bool(
            "organization_retain_stacks_on_removal", raw["organization_retain_stacks_on_removal"]
        ),
        member_access=as_bool("organization_member_access", raw["organization_member_access"]),
        # The archive's owner is not `account` (the StackSets administrator) in general: no check against it.
        archive=parse_replica(raw, ARCHIVE_KEYS, account=None, residency=residency, regions=regions),
        audit_role_name=_role_name(raw["organization_audit_role_name"]),
        audit_principal=_audit_principal(raw["organization_audit_principal"]),
        audit_workers=as_int("organization_audit_workers", raw["organization_audit_workers"], 1, 64),
        service_control_policies=as_bool("organization_scps", raw["organization_scps"]),
        resource_control_policies=as_bool("organization_rcps", raw["organization_rcps"]),
    )


def _targets(value: Any) -> tuple[str, ...]:
    targets = as_list("organization_targets", value)
    for target in targets:
        if not isinstance(target, str) or not _TARGET.match(target):
            raise fail(
                "organization_targets",
                target,
                "organizational unit IDs (ou-ab12-cd34ef56) or the root ID (r-ab12), as the Organizations console "
                "and `aws organizations list-roots` show them",
            )
    if len(set(targets)) != len(targets):
        raise fail("organization_targets", targets, "each organizational unit once")
    return tuple(targets)


def _amount(key: str, value: Any, *, minimum: int) -> Amount:
    match = _AMOUNT.match(str(value).strip()) if isinstance(value, str | int) and not isinstance(value, bool) else None
    allowed = (
        f'a number of accounts (at least {minimum}) or a percentage of them from {minimum}% to 100%, e.g. 5 or "25%"'
    )
    if match is None:
        raise fail(key, value, allowed)
    number, percentage = int(match.group(1)), bool(match.group(2))
    if number < minimum or (percentage and number > 100):
        raise fail(key, value, allowed)
    return Amount(number, percentage)


def _role_name(value: Any) -> str:
    if not isinstance(value, str) or not _ROLE_NAME.match(value):
        raise fail("organization_audit_role_name", value, "an IAM role name: 1-64 letters, digits and +=,.@_-")
    return value


def _audit_principal(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not (ACCOUNT.match(value) or ROLE_OR_USER_ARN.match(value)):
        raise fail(
            "organization_audit_principal",
            value,
            "the 12-digit account ID or the IAM role ARN that runs the organization audit, or unset",
        )
    return value
