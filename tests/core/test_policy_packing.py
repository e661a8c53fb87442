"""Packing statements into managed policies: every part within the limit, nothing lost, nothing reordered."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core.invocation_access.policy_packing import MANAGED_POLICY_LIMIT, PolicyTooLarge, pack, policy_size


def statement(sid: str, resources: int, width: int = 90, **extra: Any) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": ["bedrock:InvokeModel"],
        "Resource": [
            f"arn:aws:bedrock:eu-west-1::foundation-model/{sid.lower()}-{n:03d}".ljust(width, "x")
            for n in range(resources)
        ],
        **extra,
    }


def test_statements_that_fit_stay_in_one_policy_unchanged() -> None:
    statements = [statement("A", 3), statement("B", 2)]
    assert pack(statements) == [statements]


def test_an_oversized_statement_is_split_by_resource_and_its_parts_numbered() -> None:
    big = statement("Routed", 150, Condition={"StringEquals": {"bedrock:InferenceProfileArn": ["p1", "p2"]}})
    assert policy_size([big]) > 2 * MANAGED_POLICY_LIMIT
    policies = pack(
        [statement("Profiles", 2), big, {"Sid": "Deny", "Effect": "Deny", "Action": "x:Y", "Resource": "*"}]
    )
    assert len(policies) == 3
    assert all(policy_size(p) <= MANAGED_POLICY_LIMIT for p in policies)
    flat = [s for p in policies for s in p]
    assert [s["Sid"] for s in flat] == ["Profiles", "RoutedPart1", "RoutedPart2", "RoutedPart3", "Deny"]
    # Every resource once, in order, and each part keeps the action and the condition.
    assert [r for s in flat if s["Sid"].startswith("Routed") for r in s["Resource"]] == big["Resource"]
    assert all(s["Condition"] == big["Condition"] for s in flat if s["Sid"].startswith("Routed"))
    # The first policy is filled before a second one is started.
    assert policy_size(policies[0]) > MANAGED_POLICY_LIMIT - 200


def test_the_first_policy_keeps_the_room_asked_for() -> None:
    statements = [statement("A", 40), statement("B", 40)]
    first, *rest = pack(statements, first_limit=2000)
    assert policy_size(first) <= 2000
    assert rest and all(policy_size(p) <= MANAGED_POLICY_LIMIT for p in rest)


def test_sizes_use_the_stand_ins_for_tokens() -> None:
    token = "${Token[ShortToken]}"
    statements = [{**statement("A", 1), "Resource": [f"arn:aws:bedrock:eu-west-1:{token}:x/{n}" for n in range(100)]}]
    assert len(pack(statements)) == 1
    # Each token stands for a 60-character value once deployed: the same statements no longer fit in one policy.
    split = pack(statements, stand_ins={token: "1" * 60})
    assert len(split) == 2
    assert all(policy_size(p, {token: "1" * 60}) <= MANAGED_POLICY_LIMIT for p in split)
    assert token in json.dumps(split)  # the policies themselves keep the token


def test_a_resource_that_cannot_fit_anywhere_is_refused_in_one_line() -> None:
    huge = statement("Huge", 1, width=7000)
    with pytest.raises(PolicyTooLarge) as error:
        pack([huge])
    assert str(error.value).startswith("statement Huge needs ")
    assert "\n" not in str(error.value)
