"""IAM decisions by an evaluator this project did not write: principalmapper's local policy simulator.

principalmapper (NCC Group, AGPL-3.0: a test-only dependency, never shipped) evaluates identity policies,
resource policies and Service Control Policies offline, with explicit Deny, conditions and wildcards. Its last
release (2022) imports `collections.Mapping`, which Python 3.10 removed: the aliases below restore them first.

One known difference from IAM: it treats `StringNotLike`/`ArnNotLike` on a context key that is absent as not
matching, where IAM treats a negated operator on a missing key as matching. Policies evaluated here avoid relying
on that case, or the test passes the key explicitly. Another: it reads numeric condition values only as text
(`ast.literal_eval` of a string), so a template's `1.2` is passed as `"1.2"`, as IAM receives every value.
"""

from __future__ import annotations

import collections
import collections.abc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

for _name in ("Mapping", "MutableMapping", "Iterable", "Sequence"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

from principalmapper.common import Node, Policy  # noqa: E402
from principalmapper.querying.local_policy_simulation import resource_policy_authorization  # noqa: E402
from principalmapper.querying.query_interface import local_check_authorization_full  # noqa: E402

Document = dict[str, Any]


def _as_text(value: Any) -> Any:
    """Condition values as IAM receives them: numbers and booleans as strings."""
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, int | float) else value


def _with_text_conditions(document: Document | None) -> Document | None:
    if document is None:
        return None
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    return {
        **document,
        "Statement": [{**s, "Condition": _as_text(s["Condition"])} if "Condition" in s else s for s in statements],
    }


def _policy(name: str, document: Document) -> Policy:
    return Policy(f"arn:aws:iam::aws:policy/{name}", name, document)


@dataclass
class Principal:
    """An IAM role or user with its identity policies (no boundary, no groups)."""

    arn: str
    policies: list[Document]
    tags: dict[str, str] = field(default_factory=dict)

    def node(self) -> Node:
        attached = [_policy(f"p{index}", document) for index, document in enumerate(self.policies)]
        return Node(
            self.arn,
            "AROAEXAMPLEEXAMPLE",
            attached,
            [],
            {"Version": "2012-10-17", "Statement": []},
            None,
            0,
            False,
            False,
            None,
            False,
            self.tags,
        )


def allowed(
    principal: Principal,
    action: str,
    resource: str,
    context: Mapping[str, Any] | None = None,
    *,
    resource_policy: Document | None = None,
    resource_owner: str | None = None,
    scps: Iterable[Document] | None = None,
) -> bool:
    """IAM's decision for one request: identity policies, the resource's policy and the SCPs of one level.

    `scps` are the policies attached at one level of the organization; an AWS-managed FullAWSAccess is added, as
    every organization has it, so only Deny statements decide.
    """
    groups = None
    if scps is not None:
        full_access = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        groups = [[_policy("FullAWSAccess", full_access), *(_policy(f"scp{i}", d) for i, d in enumerate(scps))]]
    return bool(
        local_check_authorization_full(
            principal.node(),
            action,
            resource,
            dict(context or {}),
            resource_policy=_with_text_conditions(resource_policy),
            resource_owner=resource_owner if resource_policy is not None else None,
            service_control_policy_groups=groups,
        )
    )


def service_allowed(
    service: str, action: str, resource: str, resource_policy: Document, owner: str, context: Mapping[str, Any]
) -> bool:
    """Whether a resource policy lets an AWS service principal (acting as itself) perform `action`."""
    document = _with_text_conditions(resource_policy)
    result = resource_policy_authorization(service, owner, document, action, resource, dict(context))
    return result.name == "SERVICE_MATCH"


def rcps_as_scps(rcps: Iterable[Document]) -> list[Document]:
    """Resource control policies evaluated as the same Deny statements without `Principal` ("*" in every RCP): the
    evaluator has no RCP level, and an RCP's Deny binds every principal acting on the resource as an SCP's binds the
    principals of its accounts."""
    return [
        {**policy, "Statement": [{k: v for k, v in s.items() if k != "Principal"} for s in policy["Statement"]]}
        for policy in rcps
    ]
