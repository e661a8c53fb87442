"""Teams through the invoker, planned in core: what the plan refuses, the guardrail a team's calls must apply (by
evaluation), and the principal matching the function does (the same rule in core and in the Lambda code)."""

from __future__ import annotations

import sys

import pytest

from core.config import ConfigError
from core.invoker.teams import ServedTeam, principal_key, sample_profile_arns, served_models, team_statements
from tests.support.iam_evaluator import Principal, allowed
from tests.support.invoker import CODE_ROOT
from tests.support.project import STRICT_GUARDRAIL, plan_for

REGION = "eu-west-1"
ROLE = "arn:aws:iam::444455556666:role/data-platform"
LENIENT = {**STRICT_GUARDRAIL, "name": "lenient", "content_filters": {"HATE": "LOW"}}
SERVED = {
    "endpoint_scope": "eu",
    "regions": [REGION],
    "models": ["claude-sonnet-4-6"],
    "invoker_default_model": "claude-sonnet-4-6",
    "invoker_function_url": True,
    "guardrails": [STRICT_GUARDRAIL, LENIENT],
    "teams": [
        {"name": "data", "principals": [ROLE], "models": ["claude-sonnet-4-6"], "guardrail": "strict"},
        {"name": "support", "principals": ["777788889999"], "models": ["claude-sonnet-4-6", "claude-haiku-4-5"]},
    ],
}
GUARDRAIL = ("arn:aws:bedrock:eu-west-1:111122223333:guardrail/abcdefghij12", "4")


def test_a_principal_in_two_served_teams_is_refused_in_one_line() -> None:
    teams = [SERVED["teams"][0], {**SERVED["teams"][1], "principals": [ROLE.replace("role/", "role/other-path/")]}]
    with pytest.raises(ConfigError) as error:
        plan_for(**{**SERVED, "teams": teams})
    assert str(error.value).startswith(
        "teams[support].principals: 'arn:aws:iam::444455556666:role/other-path/data-platform' is also a principal of "
        "team data"
    )
    plan_for(**{**SERVED, "teams": teams, "invoker_function_url": False})  # a principal may assume both roles


def test_a_team_guardrail_other_than_the_invokers_is_refused_with_the_function_url() -> None:
    with pytest.raises(ConfigError) as error:
        plan_for(**{**SERVED, "invoker_guardrail": "lenient"})
    assert str(error.value).startswith("teams[data].guardrail: 'strict' is not invoker_guardrail 'lenient'")
    plan_for(**{**SERVED, "invoker_guardrail": "strict"})
    plan_for(**{**SERVED, "invoker_guardrail": "lenient", "invoker_function_url": False})


def test_the_invoker_serves_a_teams_models_among_its_own_only() -> None:
    plan = plan_for(**SERVED)
    (support,) = [t for t in plan.teams if t.team.name == "support"]
    assert [m.alias for m in served_models(support, [p.model for p in plan.regions[0].profiles])] == [
        "claude-sonnet-4-6"
    ]


def _served(guardrail: tuple[str, str] | None) -> list[ServedTeam]:
    plan = plan_for(**SERVED)
    (data,) = [t for t in plan.teams if t.team.name == "data"]
    return [ServedTeam(data, data.team.models, sample_profile_arns(REGION, 0, 1), guardrail)]


def test_a_teams_guardrail_is_required_of_the_invoker_on_the_teams_profiles() -> None:
    """The invoker without a guardrail of its own serves a team that has one: IAM denies it any call through the
    team's profile without that guardrail version, and nothing else changes."""
    served = _served(GUARDRAIL)
    function = Principal(
        "arn:aws:iam::111122223333:role/invoker",
        [{"Version": "2012-10-17", "Statement": team_statements(served, invoker_guardrail=False)}],
    )
    profile = served[0].profile_arns[0]
    context = {"aws:RequestedRegion": REGION}
    identifier = f"{GUARDRAIL[0]}:{GUARDRAIL[1]}"
    assert allowed(function, "bedrock:InvokeModel", profile, {**context, "bedrock:GuardrailIdentifier": identifier})
    assert not allowed(function, "bedrock:InvokeModel", profile, context)
    assert not allowed(
        function, "bedrock:InvokeModel", profile, {**context, "bedrock:GuardrailIdentifier": f"{GUARDRAIL[0]}:5"}
    )
    assert allowed(function, "bedrock:ApplyGuardrail", GUARDRAIL[0])
    # With the invoker's own guardrail (the same one: the plan refuses another), its Deny of every call covers it.
    assert not any(s["Effect"] == "Deny" for s in team_statements(served, invoker_guardrail=True))
    # Without a team guardrail, no Deny.
    assert not any(s["Effect"] == "Deny" for s in team_statements(_served(None), invoker_guardrail=False))


PRINCIPALS = [
    "444455556666",
    "arn:aws:iam::444455556666:root",
    "arn:aws:iam::444455556666:role/analysts",
    "arn:aws:iam::444455556666:role/a/b/analysts",
    "arn:aws:iam::444455556666:user/ops/alice",
    "lambda.amazonaws.com",
]


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_core_and_the_function_match_principals_alike(principal: str) -> None:
    sys.path.insert(0, str(CODE_ROOT))
    try:
        from claude_invoker.callers import principal_key as function_key
    finally:
        sys.path.remove(str(CODE_ROOT))
    assert principal_key(principal) == function_key(principal)


def test_the_keys_are_what_iam_principals_mean() -> None:
    assert [principal_key(p) for p in PRINCIPALS] == [
        ("account", "444455556666"),
        ("account", "444455556666"),
        ("role", "444455556666", "analysts"),
        ("role", "444455556666", "analysts"),
        ("user", "arn:aws:iam::444455556666:user/ops/alice"),
        None,
    ]
