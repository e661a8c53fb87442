"""Team roles and guardrails, evaluated by an IAM evaluator this project did not write (synthesized policies, tokens
resolved to sample values).

Per team: a call through its own application profile is allowed at every step Bedrock may authorize (the
application profile, the system profile it copies, the models in every destination Region with either profile as
`bedrock:InferenceProfileArn`); another team's profile, a model outside its list and a model called directly are
denied. With a guardrail: an invoke without it, or with another guardrail or version, is denied, even for a role
that also holds an administrator's policy; with it, allowed. The same for the invoker function's role.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import logical_ids as ids
from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.invoker import function_settings
from tests.support.synth import Synth

REGION = "eu-central-2"
INVOKE = "bedrock:InvokeModel"
STREAM = "bedrock:InvokeModelWithResponseStream"
OPUS = "anthropic.claude-opus-4-7"
SONNET = "anthropic.claude-sonnet-4-6"
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
# The eu table of the Opus 4.7, Sonnet 4.6 and Haiku 4.5 cards, from eu-central-2 (which routes to itself too).
DESTINATIONS = ("eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3")


@pytest.fixture(scope="module")
def values(teams_synth: Synth) -> CfnValues:
    return teams_synth.values("ClaudeTeams-")


def _role(teams_synth: Synth, values: CfnValues, role_id: str) -> Principal:
    template = teams_synth.templates[teams_synth.stack_name("ClaudeTeams-")]
    documents = [
        values.resolve(template["Resources"][ref["Ref"]]["Properties"]["PolicyDocument"])
        for ref in template["Resources"][role_id]["Properties"]["ManagedPolicyArns"]
    ]
    return Principal(values.arn(role_id), documents)


@pytest.fixture(scope="module")
def data(teams_synth: Synth, values: CfnValues) -> Principal:
    return _role(teams_synth, values, ids.DATA_SCIENCE_ROLE)


@pytest.fixture(scope="module")
def support(teams_synth: Synth, values: CfnValues) -> Principal:
    return _role(teams_synth, values, ids.SUPPORT_ROLE)


@pytest.fixture(scope="module")
def guardrail(teams_synth: Synth) -> str:
    """The value of bedrock:GuardrailIdentifier for the deployed version: `<guardrail ARN>:<version>`."""
    guardrails = teams_synth.values("ClaudeGuardrails-")
    return f"{guardrails.arn(ids.GUARDRAIL)}:1"


def _system(values: CfnValues, model_id: str) -> str:
    return f"arn:aws:bedrock:{REGION}:{values.account}:inference-profile/eu.{model_id}"


def _model(region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def _call_is_allowed(principal: Principal, application: str, system: str, model_id: str, extra: dict[str, str]) -> bool:
    """Every step Bedrock may authorize for a call through `application`, under every documented reading."""
    steps = [(application, {"aws:RequestedRegion": REGION})]
    steps.append((system, {"aws:RequestedRegion": REGION, "bedrock:InferenceProfileArn": application}))
    for destination in DESTINATIONS:
        for profile in (application, system):
            context = {"aws:RequestedRegion": destination, "bedrock:InferenceProfileArn": profile}
            steps.append((_model(destination, model_id), context))
    return all(
        allowed(principal, action, resource, {**context, **extra})
        for resource, context in steps
        for action in (INVOKE, STREAM)
    )


def test_each_team_reaches_its_models_through_its_own_profiles(
    data: Principal, support: Principal, values: CfnValues, guardrail: str
) -> None:
    with_guardrail = {"bedrock:GuardrailIdentifier": guardrail}
    for profile_id, model_id in ((ids.DATA_SCIENCE_OPUS_PROFILE, OPUS), (ids.DATA_SCIENCE_SONNET_PROFILE, SONNET)):
        assert _call_is_allowed(data, values.arn(profile_id), _system(values, model_id), model_id, with_guardrail)
    assert _call_is_allowed(support, values.arn(ids.SUPPORT_HAIKU_PROFILE), _system(values, HAIKU), HAIKU, {})


def test_a_team_cannot_use_another_teams_profile(
    data: Principal, support: Principal, values: CfnValues, guardrail: str
) -> None:
    context = {"aws:RequestedRegion": REGION}
    assert not allowed(support, INVOKE, values.arn(ids.DATA_SCIENCE_OPUS_PROFILE), context)
    assert not allowed(support, INVOKE, values.arn(ids.DATA_SCIENCE_SONNET_PROFILE), context)
    assert not allowed(
        data, INVOKE, values.arn(ids.SUPPORT_HAIKU_PROFILE), {**context, "bedrock:GuardrailIdentifier": guardrail}
    )
    # ...nor route a model with it.
    other = values.arn(ids.DATA_SCIENCE_OPUS_PROFILE)
    assert not allowed(support, INVOKE, _model(REGION, OPUS), {**context, "bedrock:InferenceProfileArn": other})


def test_a_team_cannot_reach_a_model_outside_its_list(
    support: Principal, data: Principal, values: CfnValues, guardrail: str
) -> None:
    for principal, model_id, extra in ((support, OPUS, {}), (data, HAIKU, {"bedrock:GuardrailIdentifier": guardrail})):
        system = _system(values, model_id)
        assert not allowed(principal, INVOKE, system, {"aws:RequestedRegion": REGION, **extra})
        context = {"aws:RequestedRegion": REGION, "bedrock:InferenceProfileArn": system, **extra}
        assert not allowed(principal, INVOKE, _model(REGION, model_id), context)


def test_a_team_cannot_call_its_models_directly_or_outside_the_geography(support: Principal, values: CfnValues) -> None:
    for destination in DESTINATIONS:
        assert not allowed(support, INVOKE, _model(destination, HAIKU), {"aws:RequestedRegion": destination})
    own = values.arn(ids.SUPPORT_HAIKU_PROFILE)
    context = {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": own}
    assert not allowed(support, INVOKE, _model("", HAIKU), context)
    global_profile = f"arn:aws:bedrock:{REGION}:{values.account}:inference-profile/global.{HAIKU}"
    assert not allowed(
        Principal(support.arn, [*support.policies, ADMIN]), INVOKE, global_profile, {"aws:RequestedRegion": REGION}
    )


def test_with_a_guardrail_an_invoke_without_it_is_denied(data: Principal, values: CfnValues, guardrail: str) -> None:
    application = values.arn(ids.DATA_SCIENCE_SONNET_PROFILE)
    system = _system(values, SONNET)
    assert _call_is_allowed(data, application, system, SONNET, {"bedrock:GuardrailIdentifier": guardrail})
    assert not _call_is_allowed(data, application, system, SONNET, {})
    assert not allowed(data, INVOKE, application, {"aws:RequestedRegion": REGION})
    for other in (guardrail[:-2] + ":2", guardrail.rsplit(":", 1)[0], guardrail.replace("guardrail/", "guardrail/x")):
        assert not allowed(
            data, INVOKE, application, {"aws:RequestedRegion": REGION, "bedrock:GuardrailIdentifier": other}
        )
    # The Deny beats any Allow: an administrator's policy on the same role does not lift it.
    admin = Principal(data.arn, [*data.policies, ADMIN])
    assert not allowed(admin, INVOKE, application, {"aws:RequestedRegion": REGION})
    assert allowed(
        admin, INVOKE, application, {"aws:RequestedRegion": REGION, "bedrock:GuardrailIdentifier": guardrail}
    )
    # Applying the guardrail itself is allowed, on this guardrail only.
    arn = guardrail.rsplit(":", 1)[0]
    assert allowed(data, "bedrock:ApplyGuardrail", arn)
    assert not allowed(data, "bedrock:ApplyGuardrail", arn.replace("guardrail/", "guardrail/x"))


def test_a_team_without_a_guardrail_needs_none(support: Principal, values: CfnValues) -> None:
    assert allowed(support, INVOKE, values.arn(ids.SUPPORT_HAIKU_PROFILE), {"aws:RequestedRegion": REGION})
    assert not allowed(support, "bedrock:ApplyGuardrail", f"arn:aws:bedrock:{REGION}:{values.account}:guardrail/x")


def test_the_invoker_function_must_apply_the_invoker_guardrail(teams_synth: Synth, guardrail: str) -> None:
    values = teams_synth.values("ClaudeInvoker-")
    template: dict[str, Any] = teams_synth.templates[teams_synth.stack_name("ClaudeInvoker-")]
    (role_id,) = [k for k, r in template["Resources"].items() if r["Type"] == "AWS::IAM::Role"]
    documents = [
        values.resolve(template["Resources"][ref["Ref"]]["Properties"]["PolicyDocument"])
        for ref in template["Resources"][role_id]["Properties"]["ManagedPolicyArns"]
    ]
    function = Principal(values.arn(role_id), documents)
    profile = f"arn:aws:bedrock:{REGION}:{values.account}:inference-profile/eu.{SONNET}"
    context = {"aws:RequestedRegion": REGION}
    assert allowed(function, INVOKE, profile, {**context, "bedrock:GuardrailIdentifier": guardrail})
    assert not allowed(function, INVOKE, profile, context)
    routed = {"aws:RequestedRegion": DESTINATIONS[0], "bedrock:InferenceProfileArn": profile}
    assert not allowed(function, INVOKE, _model(DESTINATIONS[0], SONNET), routed)
    assert allowed(
        function, INVOKE, _model(DESTINATIONS[0], SONNET), {**routed, "bedrock:GuardrailIdentifier": guardrail}
    )
    # The function is told which guardrail and version to send.
    (lambda_function,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    variables = values.resolve(lambda_function["Properties"]["Environment"]["Variables"])
    assert f"{variables['CLAUDE_GUARDRAIL_ARN']}:{variables['CLAUDE_GUARDRAIL_VERSION']}" == guardrail
    # ...and the function's own validation accepts what the construct writes.
    assert function_settings(variables).guardrail == tuple(guardrail.rsplit(":", 1))
