"""The Messages API on bedrock-runtime (`POST /anthropic/v1/messages`) is authorized as the action core.catalog.apis
names for it, so every policy that allows or denies InvokeModel allows or denies it alike: evaluated by an IAM
evaluator this project did not write, for the callers' policy, the function's, a team's, and the scope SCPs.

That the route is authorized as InvokeModel (streaming: InvokeModelWithResponseStream) is inferred, not stated by AWS
(core/catalog/apis.py); tests/live/test_messages_api_route.py settles it against an account.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.catalog.apis import MESSAGES_API_PATH, ROUTES, Route, route_action
from core.invocation_access.plan import RegionPlan, plan_region
from core.organization.scp import scp_statements
from core.teams.plan import plan_team
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import SAMPLE_ACCOUNT, config_for

REGION = "eu-west-1"
MODEL = "anthropic.claude-opus-4-7"
HOLDER = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/holder"
EVERYTHING = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]
MESSAGES = [route for route in ROUTES if route.path == MESSAGES_API_PATH]


def _profile(endpoint_scope: str, model_id: str = MODEL) -> str:
    return f"arn:aws:bedrock:{REGION}:{SAMPLE_ACCOUNT}:inference-profile/{endpoint_scope}.{model_id}"


def _model(region: str, model_id: str = MODEL) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def _plan(streaming: bool = True) -> RegionPlan:
    config = config_for(
        endpoint_scope="eu",
        regions=[REGION],
        models=["claude-opus-4-7", "claude-sonnet-4-6"],
        invoker_default_model="claude-opus-4-7",
        access_allow_streaming=streaming,
    )
    return plan_region(
        models=config.models.allowed,
        endpoint_scope="eu",
        region=REGION,
        account=SAMPLE_ACCOUNT,
        allow_streaming=streaming,
        allow_marketplace_subscription=False,
    )


def _holding(policies: list[list[dict[str, Any]]]) -> Principal:
    return Principal(HOLDER, [{"Version": "2012-10-17", "Statement": part} for part in policies])


def _calls(route: Route, principal: Principal, profile: str) -> bool:
    """A call of the route through `profile`: the profile, then each eu destination of Opus 4.7 from eu-west-1."""
    through = [(profile, {"aws:RequestedRegion": REGION})]
    destinations = ("eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3")
    through += [(_model(d), {"aws:RequestedRegion": d, "bedrock:InferenceProfileArn": profile}) for d in destinations]
    return all(allowed(principal, route.action, resource, context) for resource, context in through)


def test_the_messages_api_is_authorized_as_invoke_model_which_no_aws_page_states() -> None:
    assert [(r.streaming, r.action, r.confirmed) for r in MESSAGES] == [
        (False, "bedrock:InvokeModel", False),
        (True, "bedrock:InvokeModelWithResponseStream", False),
    ]
    assert route_action("/model/eu.anthropic.claude-opus-4-7/invoke", False).confirmed
    with pytest.raises(KeyError):
        route_action("/anthropic/v1/complete", False)


@pytest.mark.parametrize("route", MESSAGES, ids=lambda r: "stream" if r.streaming else "create")
def test_the_callers_policy_allows_the_route_exactly_where_it_allows_invoke_model(route: Route) -> None:
    caller = _holding(_plan().access_policies())
    assert _calls(route, caller, _profile("eu"))
    # Never another scope's profile, never the model without its profile, never a Region the card does not list.
    assert not allowed(caller, route.action, _profile("global"), {"aws:RequestedRegion": REGION})
    assert not allowed(caller, route.action, _model(REGION), {"aws:RequestedRegion": REGION})
    other = {"aws:RequestedRegion": "eu-west-2", "bedrock:InferenceProfileArn": _profile("eu")}
    assert not allowed(caller, route.action, _model("eu-west-2"), other)
    # Without access_allow_streaming, the streaming route is denied like InvokeModelWithResponseStream.
    assert _calls(route, _holding(_plan(streaming=False).access_policies()), _profile("eu")) == (not route.streaming)


@pytest.mark.parametrize("route", MESSAGES, ids=lambda r: "stream" if r.streaming else "create")
def test_the_function_and_a_team_hold_the_route_as_they_hold_invoke_model(route: Route) -> None:
    # The function invokes and never streams.
    assert _calls(route, _holding(_plan().function_policies()), _profile("eu")) == (not route.streaming)
    # A team calls through its application inference profiles, with InvokeModel and streaming.
    config = config_for(
        endpoint_scope="eu",
        regions=[REGION],
        models=["claude-opus-4-7"],
        invoker_default_model="claude-opus-4-7",
        teams=[{"name": "research", "principals": [SAMPLE_ACCOUNT], "models": ["claude-opus-4-7"]}],
    )
    team = plan_team(config.teams[0], endpoint_scope="eu", region=REGION, account=SAMPLE_ACCOUNT)
    (application,) = team.sample_profile_arns
    holder = _holding(team.policies())
    assert allowed(holder, route.action, application, {"aws:RequestedRegion": REGION})
    routed = {"aws:RequestedRegion": "eu-west-3", "bedrock:InferenceProfileArn": application}
    assert allowed(holder, route.action, _model("eu-west-3"), routed)
    assert not allowed(holder, route.action, _profile("global"), {"aws:RequestedRegion": REGION})


@pytest.mark.parametrize("route", MESSAGES, ids=lambda r: "stream" if r.streaming else "create")
def test_the_scope_scps_deny_the_route_outside_the_scope(route: Route) -> None:
    admin = Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/Administrator", EVERYTHING)
    scps = [{"Version": "2012-10-17", "Statement": scp_statements("eu", [REGION])}]
    inside = {"aws:RequestedRegion": REGION}
    assert allowed(admin, route.action, _profile("eu"), inside, scps=scps)
    for outside in ("global", "us", "jp"):
        assert not allowed(admin, route.action, _profile(outside), inside, scps=scps), outside
    routed = {"aws:RequestedRegion": "unspecified", "bedrock:InferenceProfileArn": _profile("global")}
    assert not allowed(admin, route.action, "arn:aws:bedrock:::foundation-model/" + MODEL, routed, scps=scps)
