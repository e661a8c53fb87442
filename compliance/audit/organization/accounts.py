"""Which accounts the organization audit covers, and a session in each of them.

Accounts: every account directly under each target (an OU or the root) and under its child OUs, recursively
(Organizations ListAccountsForParent and ListOrganizationalUnitsForParent, paginated), each once. Only active accounts
are audited; the others are listed as skipped (StackSets deploys to active accounts only).

Sessions: `sts:AssumeRole` of `arn:<partition>:iam::<account>:role/<organization_audit_role_name>` with the caller's
credentials. A role that cannot be assumed (missing, not trusting the caller, an SCP, an unreachable endpoint) is an
error value carrying the AWS error code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from compliance.aws import AwsError, Client, Session, error_text

ACTIVE = "ACTIVE"


@dataclass(frozen=True)
class Account:
    id: str
    name: str


@dataclass
class TargetAccounts:
    """The active accounts under the targets, those skipped (with their state), and what could not be listed."""

    accounts: list[Account] = field(default_factory=list)
    skipped: list[tuple[Account, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (target or OU, error text)


def target_accounts(organizations: Client, targets: Iterable[str]) -> TargetAccounts:
    """Every account under `targets` (OUs or the root), recursively, each once, sorted by ID."""
    found: dict[str, Account] = {}
    skipped: dict[str, tuple[Account, str]] = {}
    errors: list[tuple[str, str]] = []
    pending = list(dict.fromkeys(targets))
    visited: set[str] = set()
    while pending:
        parent = pending.pop()
        if parent in visited:
            continue
        visited.add(parent)
        try:
            for page in organizations.get_paginator("list_accounts_for_parent").paginate(ParentId=parent):
                for entry in page["Accounts"]:
                    account = Account(str(entry["Id"]), str(entry.get("Name", "")))
                    state = str(entry.get("State") or entry.get("Status") or ACTIVE)
                    if state == ACTIVE:
                        found[account.id] = account
                    else:
                        skipped[account.id] = (account, state)
            for page in organizations.get_paginator("list_organizational_units_for_parent").paginate(ParentId=parent):
                pending.extend(str(unit["Id"]) for unit in page["OrganizationalUnits"])
        except AwsError as error:
            errors.append((parent, error_text(error)))
    return TargetAccounts(
        accounts=sorted(found.values(), key=lambda a: a.id),
        skipped=sorted(skipped.values(), key=lambda s: s[0].id),
        errors=errors,
    )


def role_arn(partition: str, account: str, role_name: str) -> str:
    return f"arn:{partition}:iam::{account}:role/{role_name}"


# Makes a boto3 session of the temporary credentials AssumeRole returned.
SessionFactory = Callable[[dict[str, Any]], Session]


def assume(sts: Client, arn: str, session_name: str) -> dict[str, Any] | str:
    """The temporary credentials of the role, or the error text (`Code: message`) why not."""
    try:
        return dict(sts.assume_role(RoleArn=arn, RoleSessionName=session_name, DurationSeconds=3600)["Credentials"])
    except AwsError as error:
        return error_text(error)
