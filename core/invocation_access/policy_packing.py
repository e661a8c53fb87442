"""Fitting IAM statements into managed policies: IAM's size limits, and packing statements into as few as hold them.

IAM limits (IAM User Guide, "IAM and AWS STS quotas"): a customer-managed policy holds at most 6,144 characters,
white space not counted; a role has at most 10 managed policies attached by default (adjustable to 20 through
Service Quotas). Splitting a statement's `Resource` list across policies changes nothing IAM decides: every part
is an Allow (or Deny) of the same actions under the same condition, and the parts are attached to the same role.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

Plan = TypeVar("Plan")

Statement = dict[str, Any]

# IAM's size limit for a customer-managed policy document, in characters without whitespace.
MANAGED_POLICY_LIMIT = 6144
# IAM's default quota of managed policies attached to one role (20 after a quota increase).
MAX_MANAGED_POLICIES_PER_ROLE = 10


class PolicyTooLarge(ValueError):
    """Statements that no split across managed policies can hold; str() is the one line a user sees."""


def policy_size(statements: Sequence[Statement], stand_ins: Mapping[str, str] | None = None) -> int:
    """Characters IAM counts against a managed policy's limit (whitespace excluded).

    `stand_ins` replace text that synthesis writes as a CDK token (an account, an ARN) with a value of the length
    the deployed policy will have, so the size is the deployed one.
    """
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, separators=(",", ":"))
    for written, deployed in (stand_ins or {}).items():
        text = text.replace(written, deployed)
    return len(text)


_EMPTY_POLICY = policy_size([])


@dataclass(frozen=True)
class _Part:
    index: int  # of the statement
    start: int  # slice of its Resource list (whole statement: 0, None)
    end: int | None


def pack(
    statements: Sequence[Statement],
    *,
    stand_ins: Mapping[str, str] | None = None,
    limit: int = MANAGED_POLICY_LIMIT,
    first_limit: int | None = None,
) -> list[list[Statement]]:
    """The statements in order, in as few policy documents as hold them, each within `limit` characters.

    The first document may have less room (`first_limit`): it shares a policy with statements of its own. A
    statement that does not fit is split by its `Resource` list, each part keeping its action and condition; the
    parts' Sids end in `Part1`, `Part2`... Raises PolicyTooLarge when one resource alone does not fit.
    """
    groups: list[list[_Part]] = [[]]
    used = [_EMPTY_POLICY]  # characters of the current document so far

    def room() -> int:
        return first_limit if first_limit is not None and len(groups) == 1 else limit

    def cost(part: _Part) -> int:
        """Characters `part` adds to the current document (its statement and, after another one, a comma)."""
        (rendered,) = _render(statements, [part])
        return policy_size([rendered], stand_ins) - _EMPTY_POLICY + (1 if groups[-1] else 0)

    def add(part: _Part) -> None:
        used[0] += cost(part)
        groups[-1].append(part)

    def new_document() -> None:
        groups.append([])
        used[0] = _EMPTY_POLICY

    for index, statement in enumerate(statements):
        resources = statement.get("Resource")
        whole = _Part(index, 0, None)
        if used[0] + cost(whole) <= room():
            add(whole)
            continue
        if not isinstance(resources, list) or len(resources) < 2:
            if groups[-1]:
                new_document()
            if used[0] + cost(whole) > room():
                raise PolicyTooLarge(_too_large(statement, stand_ins, room()))
            add(whole)
            continue
        start = 0
        while start < len(resources):
            # The most resources from `start` on that still fit (the cost grows with the count): binary search.
            low, high = start, len(resources)
            while low < high:
                middle = (low + high + 1) // 2
                if used[0] + cost(_Part(index, start, middle)) <= room():
                    low = middle
                else:
                    high = middle - 1
            if low == start:
                if not groups[-1]:
                    raise PolicyTooLarge(_too_large({**statement, "Resource": [resources[start]]}, stand_ins, room()))
                new_document()
                continue
            add(_Part(index, start, low))
            start = low
            if start < len(resources):
                new_document()
    part_numbers: dict[int, int] = {}
    return [_render(statements, group, part_numbers) for group in groups if group]


def _render(
    statements: Sequence[Statement], parts: list[_Part], part_numbers: dict[int, int] | None = None
) -> list[Statement]:
    """The statements of `parts`; a part of a split statement gets a numbered Sid (while sizing: the longest)."""
    out = []
    for part in parts:
        statement = dict(statements[part.index])
        if part.end is not None:
            statement["Resource"] = list(statement["Resource"][part.start : part.end])
            if "Sid" in statement:
                number = 99
                if part_numbers is not None:
                    number = part_numbers[part.index] = part_numbers.get(part.index, 0) + 1
                statement["Sid"] = f"{statement['Sid']}Part{number}"
        out.append(statement)
    return out


def _too_large(statement: Statement, stand_ins: Mapping[str, str] | None, room: int) -> str:
    size = policy_size([statement], stand_ins)
    return (
        f"statement {statement.get('Sid', '(no Sid)')} needs {size} characters on its own; allowed: at most {room} "
        "characters per managed policy"
    )


def fewest_policies(
    models: int, build: Callable[[int], Plan], policies: Callable[[Plan], Sequence[list[list[Statement]]]]
) -> Plan:
    """The plan, among those granting models in groups of `models`, half as many, ... one, that needs the fewest
    managed policies per role (the largest groups on a tie).

    All models in one set of statements is smallest until the list of their profiles, repeated in every part of a
    split statement, costs more than it saves; groups of models each name only their own models' profiles.
    """
    best: tuple[int, Plan] | None = None
    last_error: PolicyTooLarge | None = None
    group_size = max(models, 1)
    while True:
        plan = build(group_size)
        try:
            count = max(len(documents) for documents in policies(plan))
        except PolicyTooLarge as error:
            last_error = error
        else:
            if best is None or count < best[0]:
                best = (count, plan)
        if group_size == 1 or (best is not None and best[0] == 1):
            break
        group_size = (group_size + 1) // 2
    if best is None:
        assert last_error is not None
        raise last_error
    return best[1]
