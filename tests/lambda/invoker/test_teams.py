"""Teams through the invoker: a caller authenticated by the function URL is served through its team's application
inference profile, chosen from its principal and never from the request. Through the real handler, Bedrock answered
over HTTP by the stand-in."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import pytest
from claude_invoker.config import ConfigError, load_settings

from tests.support.bedrock_runtime import BedrockStandIn
from tests.support.invoker import (
    CALLER_ACCOUNT,
    CALLER_SESSION_ARN,
    MODELS,
    URL_ALIAS,
    URL_FUNCTION_ARN,
    FakeContext,
    function_url_event,
    valid_event,
)

GUARDRAIL = ["arn:aws:bedrock:us-east-1:123456789012:guardrail/abcdefghij12", "3"]
DATA_SONNET = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/data0sonnet01"
DATA_HAIKU = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/data0haiku001"
SUPPORT_HAIKU = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/support0haiku"
SUPPORT_ACCOUNT = "777788889999"
# data: the analysts role (with a path: its sessions' ARNs do not carry it); support: a whole account.
TEAMS = {
    "data": {
        "principals": [f"arn:aws:iam::{CALLER_ACCOUNT}:role/research/analysts"],
        "profiles": {"claude-sonnet-4-5": DATA_SONNET, "claude-haiku-4-5": DATA_HAIKU},
        "guardrail": GUARDRAIL,
    },
    "support": {"principals": [SUPPORT_ACCOUNT], "profiles": {"claude-haiku-4-5": SUPPORT_HAIKU}, "guardrail": None},
}
SUPPORT_SESSION = f"arn:aws:sts::{SUPPORT_ACCOUNT}:assumed-role/support-bot/i-0abc"


@pytest.fixture
def handler(load_handler: Callable[..., ModuleType], bedrock: BedrockStandIn) -> ModuleType:
    return load_handler(INVOKER_URL_ALIAS=URL_ALIAS, INVOKER_TEAMS=json.dumps(TEAMS))


def _through_url(handler: ModuleType, body: dict[str, Any], caller_arn: str, account: str) -> dict[str, Any]:
    context = FakeContext()
    context.invoked_function_arn = URL_FUNCTION_ARN
    response: dict[str, Any] = handler.handler(
        function_url_event(body, caller_arn=caller_arn, account=account), context
    )
    return {"status": response["statusCode"], **json.loads(response["body"])}


def _metadata(bedrock: BedrockStandIn) -> dict[str, str]:
    metadata: dict[str, str] = json.loads(bedrock.requests[-1].headers["x-amzn-bedrock-request-metadata"])
    return metadata


def test_a_teams_caller_is_served_through_its_application_profile_with_its_guardrail(
    handler: ModuleType, bedrock: BedrockStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = _through_url(handler, valid_event(model="claude-sonnet-4-5"), CALLER_SESSION_ARN, CALLER_ACCOUNT)
    assert answer["status"] == 200
    [sent] = bedrock.requests
    assert sent.model_id == DATA_SONNET  # the team's profile: Bedrock meters the call under the team's tags
    assert [sent.headers["x-amzn-bedrock-guardrailidentifier"], sent.headers["x-amzn-bedrock-guardrailversion"]] == (
        GUARDRAIL
    )
    assert _metadata(bedrock)["team"] == "data"
    (log,) = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and "Claude invocation succeeded" in line
    ]
    assert (log["team"], log["profile_id"]) == ("data", DATA_SONNET)


def test_an_account_principal_makes_every_principal_of_the_account_a_member(
    handler: ModuleType, bedrock: BedrockStandIn
) -> None:
    answer = _through_url(handler, valid_event(model="claude-haiku-4-5"), SUPPORT_SESSION, SUPPORT_ACCOUNT)
    assert answer["status"] == 200
    assert bedrock.requests[0].model_id == SUPPORT_HAIKU
    assert not [name for name in bedrock.requests[0].headers if "guardrail" in name]  # support has none
    assert _metadata(bedrock)["team"] == "support"


def test_a_model_not_served_to_the_team_is_a_permission_error(handler: ModuleType, bedrock: BedrockStandIn) -> None:
    answer = _through_url(handler, valid_event(model="claude-sonnet-4-5"), SUPPORT_SESSION, SUPPORT_ACCOUNT)
    assert answer["status"] == 403
    assert answer["error"]["type"] == "permission_error"
    assert "not served to team support" in answer["error"]["message"]
    assert bedrock.requests == []


def test_a_caller_cannot_pick_another_teams_profile(handler: ModuleType, bedrock: BedrockStandIn) -> None:
    """The profile comes from the principal: naming another team's application profile is refused..."""
    answer = _through_url(handler, valid_event(model=SUPPORT_HAIKU), CALLER_SESSION_ARN, CALLER_ACCOUNT)
    assert (answer["status"], answer["error"]["type"]) == (403, "permission_error")
    assert answer["error"]["message"].startswith(f"model: '{SUPPORT_HAIKU}' is not an application inference profile")
    # ...as is any application profile for a caller outside every team.
    stranger = "arn:aws:sts::999999999999:assumed-role/x/y"
    assert _through_url(handler, valid_event(model=SUPPORT_HAIKU), stranger, "999999999999")["status"] == 403
    assert bedrock.requests == []
    # Naming its own team's profile is naming the model.
    assert _through_url(handler, valid_event(model=DATA_HAIKU), CALLER_SESSION_ARN, CALLER_ACCOUNT)["status"] == 200
    assert bedrock.requests[0].model_id == DATA_HAIKU


def test_a_caller_outside_every_team_and_a_plain_invocation_use_the_configured_profile(
    handler: ModuleType, bedrock: BedrockStandIn
) -> None:
    stranger = "arn:aws:sts::999999999999:assumed-role/x/y"
    assert _through_url(handler, valid_event(), stranger, "999999999999")["status"] == 200
    assert handler.handler(valid_event(), FakeContext())["type"] == "message"
    assert [r.model_id for r in bedrock.requests] == [MODELS["claude-sonnet-4-5"]["profile_id"]] * 2
    assert all("team" not in json.loads(r.headers["x-amzn-bedrock-request-metadata"]) for r in bedrock.requests)


def test_a_forged_principal_in_a_plain_invocation_never_reaches_a_teams_profile(
    handler: ModuleType, bedrock: BedrockStandIn
) -> None:
    forged = function_url_event(
        valid_event(model="claude-haiku-4-5"), caller_arn=SUPPORT_SESSION, account=SUPPORT_ACCOUNT
    )
    assert handler.handler(forged, FakeContext())["type"] == "error"
    assert bedrock.requests == []


def test_a_path_of_the_role_is_not_in_its_sessions_and_does_not_matter(
    handler: ModuleType, bedrock: BedrockStandIn
) -> None:
    # TEAMS names role/research/analysts; the session ARN names assumed-role/analysts/<session>.
    _through_url(handler, valid_event(), CALLER_SESSION_ARN, CALLER_ACCOUNT)
    assert unquote(bedrock.requests[0].raw_path).endswith(f"{DATA_SONNET}/invoke")


def test_a_role_named_by_one_team_wins_over_its_account_named_by_another() -> None:
    from claude_invoker.callers import Caller, team_of

    teams = {**TEAMS, "everyone": {"principals": [CALLER_ACCOUNT], "profiles": {}, "guardrail": None}}
    settings = load_settings({**os.environ, "INVOKER_TEAMS": json.dumps(teams)})
    assert team_of(Caller(CALLER_SESSION_ARN, CALLER_ACCOUNT), settings.teams).name == "data"  # type: ignore[union-attr]
    other = Caller(f"arn:aws:sts::{CALLER_ACCOUNT}:assumed-role/other/s", CALLER_ACCOUNT)
    assert team_of(other, settings.teams).name == "everyone"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("teams", "named"),
    [
        ({**TEAMS, "again": {**TEAMS["support"], "profiles": {}}}, "INVOKER_TEAMS: principal"),
        ({"data": {**TEAMS["data"], "profiles": {"claude-9": DATA_SONNET}}}, "INVOKER_TEAMS.data.profiles"),
        ({"data": {**TEAMS["data"], "profiles": {"claude-sonnet-4-5": "global.anthropic.x"}}}, "INVOKER_TEAMS.data"),
        ({"data": {**TEAMS["data"], "guardrail": ["x", "1"]}}, "INVOKER_TEAMS.data.guardrail"),
        ({"data": {**TEAMS["data"], "principals": "444455556666"}}, "INVOKER_TEAMS.data.principals"),
    ],
    ids=["principal-in-two-teams", "unknown-alias", "not-an-application-profile", "guardrail", "principals"],
)
def test_a_wrong_teams_variable_fails_init_naming_it(teams: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({**os.environ, "INVOKER_TEAMS": json.dumps(teams)})
    assert str(raised.value).startswith(named), raised.value
