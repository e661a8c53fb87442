"""The auditor's read-only policy, `compliance/audit_policy.json`, as the project's own audit roles hold it.

The file is what an operator holds to run `python app.py audit` and `python app.py catalog-check`. The roles that
only audit invocation logging (the continuous audit function, the organization audit role) hold its statements
except the catalog check's (Sids starting with `CatalogCheck`): they never read inference profiles or models.

Its wildcards are acknowledged next to the policy that holds them (`acknowledge_wildcards`), each with its
statement's Sid; the actions that take only Resource '*' are named from the file, so the reason cannot go stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from constructs import IConstruct

from stacks.shared.nag import acknowledge, finding_resource

AUDIT_POLICY = Path(__file__).resolve().parents[2] / "compliance" / "audit_policy.json"
CATALOG_CHECK_SID_PREFIX = "CatalogCheck"


def logging_audit_statements(partition: str) -> list[dict[str, Any]]:
    """The audit's statements, with ARNs in `partition`, without the catalog check's."""
    auditor = json.loads(AUDIT_POLICY.read_text().replace("arn:aws:", f"arn:{partition}:"))
    return [s for s in auditor["Statement"] if not s["Sid"].startswith(CATALOG_CHECK_SID_PREFIX)]


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def actions_on_any_resource(statements: list[dict[str, Any]]) -> list[str]:
    """The actions of the statements granted on Resource '*' (in the file's order)."""
    return [a for s in statements if "*" in _listed(s["Resource"]) for a in _listed(s["Action"])]


def acknowledge_wildcards(policy: IConstruct, statements: list[dict[str, Any]]) -> None:
    """AwsSolutions-IAM5 for each ARN pattern of the statements (not '*': its caller says why, with its own
    actions), next to the policy that holds them."""
    for statement in statements:
        for arn in _listed(statement["Resource"]):
            if "*" in arn and arn != "*":
                acknowledge(
                    policy,
                    f"AwsSolutions-IAM5[Resource::{finding_resource(policy, arn)}]",
                    f"Read-only audit ({statement['Sid']}): the audit follows the logging configuration to "
                    "whatever it names (log group, bucket, key, role) and finds rules, alarms, topics, trails and "
                    "users' API keys by what they do, so it cannot name them in advance; "
                    "compliance/audit_policy.json is the auditor's whole policy.",
                )


def no_resource_type_reason(statements: list[dict[str, Any]], *extra: str) -> str:
    """Why the audit's actions (and `extra` ones) are granted on '*': the Service Authorization Reference
    (https://docs.aws.amazon.com/service-authorization/latest/reference/) lists no resource type for them."""
    actions = [*actions_on_any_resource(statements), *extra]
    return f"{', '.join(actions)} have no resource type, so AWS documents them with Resource '*'."
