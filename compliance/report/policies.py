"""The organization policies the assembly deploys (`AWS::Organizations::Policy`), and what they deny.

A verdict that rests on a Service Control Policy ("Unlogged paths closed", "Tamper-resistant") passes only when the
policy is part of what this report covers: deployed by the assembly's organization stack and attached to targets
(`TargetIds`: "If you don't specify this parameter, the policy is created but not attached", AWS CloudFormation,
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-organizations-policy.html). Otherwise the
verdict is a WARN naming the command that confirms it. The as-deployed report does not turn it to PASS: it audits with
the workload account's credentials, and only the management account (or a delegated administrator) may list the
policies attached to an account and the OUs above it (CONFIRM_ATTACHED), so a member account's audit cannot see them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from compliance.report.cloud_assembly import Names, Stack
from compliance.report.templates import as_list

POLICY_TYPE = "AWS::Organizations::Policy"
# Lists the policies attached directly to a root, OU or account; only from the management account or a delegated
# administrator (AWS CLI reference, https://docs.aws.amazon.com/cli/v1/reference/organizations/list-policies-for-target.html).
CONFIRM_ATTACHED = "`aws organizations list-policies-for-target --filter SERVICE_CONTROL_POLICY --target-id <account>`"
CONFIRM_WHERE = "in the management account, for the account and for each OU above it (it lists direct attachments)"


@dataclass(frozen=True)
class OrganizationPolicy:
    name: str  # stack/construct path
    kind: str  # SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY...
    targets: tuple[str, ...]
    denied: tuple[str, ...]  # the actions of its Deny statements, as written (wildcards kept)

    def denies(self, action: str) -> bool:
        return bool(self.targets) and any(fnmatchcase(action.lower(), d.lower()) for d in self.denied)


@dataclass(frozen=True)
class Prevention:
    """What denies actions organization-wide, as far as this report can tell: the assembly's attached policies."""

    policies: tuple[OrganizationPolicy, ...] = ()

    def denying(self, actions: Iterable[str]) -> list[str]:
        """How each of `actions` is denied, one phrase per policy or audit row; [] when one of them is not."""
        actions = list(actions)
        found = [p for p in self.policies if any(p.denies(a) for a in actions)]
        if not actions or not all(any(p.denies(a) for p in found) for a in actions):
            return []
        return [f"{p.kind.replace('_', ' ').lower()} `{p.name}` attached to {', '.join(p.targets)}" for p in found]


def _document(content: Any, names: Names, region: str) -> dict[str, Any]:
    text = names.text(content, region)
    if isinstance(text, str):
        try:
            text = json.loads(text)
        except json.JSONDecodeError:
            return {}
    return text if isinstance(text, dict) else {}


def read_policies(stacks: Iterable[Stack], names: Names) -> list[OrganizationPolicy]:
    found = []
    for stack in stacks:
        for logical_id, declared in stack.resources.items():
            if declared.get("Type") != POLICY_TYPE:
                continue
            properties = declared.get("Properties", {})
            document = _document(properties.get("Content", {}), names, stack.region)
            denied = [
                str(action)
                for statement in as_list(document.get("Statement", []))
                if isinstance(statement, dict) and statement.get("Effect") == "Deny"
                for action in as_list(statement.get("Action", []))
            ]
            targets = tuple(str(names.text(t, stack.region)) for t in as_list(properties.get("TargetIds", [])) if t)
            kind = str(properties.get("Type", "SERVICE_CONTROL_POLICY"))
            found.append(OrganizationPolicy(f"{stack.name}/{stack.readable(logical_id)}", kind, targets, tuple(denied)))
    return found
