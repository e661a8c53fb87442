"""The `teams` and `guardrails` sections: typed values, and one line naming key, value and fix for each mistake."""

from __future__ import annotations

from typing import Any

import pytest

from core.config import ConfigError
from tests.support.project import config_for

ROLE = "arn:aws:iam::444455556666:role/data-platform"
STRICT = {
    "name": "strict",
    "content_filters": {"HATE": "HIGH", "PROMPT_ATTACK": "MEDIUM"},
    "denied_topics": [{"name": "Investment advice", "definition": "Recommendations to buy or sell securities."}],
    "pii": {"EMAIL": "ANONYMIZE", "US_SOCIAL_SECURITY_NUMBER": "BLOCK"},
}


def team(**overrides: Any) -> dict[str, Any]:
    return {"name": "data", "principals": [ROLE], "models": ["claude-haiku-4-5"], **overrides}


def refused(**context: Any) -> str:
    with pytest.raises(ConfigError) as error:
        config_for(**context)
    message = str(error.value)
    assert "\n" not in message, message
    return message


def test_teams_and_guardrails_are_read_into_typed_values() -> None:
    config = config_for(
        guardrails=[STRICT],
        invoker_guardrail="strict",
        teams=[
            team(
                models=["claude-opus-4-7", "global.anthropic.claude-haiku-4-5-20251001-v1:0"],
                tags={"cost-center": "4711"},
            ),
            team(name="support", principals=["444455556666"], guardrail="strict"),
        ],
    )
    data, support = config.teams
    assert [m.alias for m in data.models] == ["claude-opus-4-7", "claude-haiku-4-5"]
    assert data.tags == (("cost-center", "4711"),)
    assert (data.guardrail, support.guardrail) == (None, config.guardrails.invoker)
    assert support.principals == ("444455556666",)
    assert data.profile_name(data.models[0]) == "data-claude-opus-4-7"
    strict = config.guardrails.invoker
    assert strict is not None and strict.name == "strict"
    assert strict.content_filters == (("HATE", "HIGH"), ("PROMPT_ATTACK", "MEDIUM"))
    assert strict.pii == (("EMAIL", "ANONYMIZE"), ("US_SOCIAL_SECURITY_NUMBER", "BLOCK"))
    assert strict.denied_topics[0].name == "Investment advice"
    assert strict.blocked_input_message and strict.blocked_output_message


def test_no_teams_and_no_guardrails_by_default() -> None:
    config = config_for()
    assert config.teams == ()
    assert (config.guardrails.definitions, config.guardrails.invoker) == ((), None)


@pytest.mark.parametrize(
    ("teams", "start"),
    [
        ([team(models=["claude-nothing"])], "teams[data].models: unknown model 'claude-nothing'; allowed: claude-"),
        ([team(models=["claude-opus-4-1"])], "teams[data].models: 'global' is not offered for Claude Opus 4.1"),
        ([team(models=[])], "teams[data].models: [] is not valid; allowed: one or more of"),
        ([team(), team()], "teams.name: 'data' is not valid; allowed: a name used by one team only"),
        ([team(name="Data Team")], "teams.name: 'Data Team' is not valid; allowed: 1-32 lower-case letters"),
        ([team(principals=["*"])], "teams[data].principals: '*' is not valid; allowed: 12-digit account IDs"),
        ([team(principals=["arn:aws:iam::1:role/x"])], "teams[data].principals: 'arn:aws:iam::1:role/x' is not"),
        ([team(principals=[])], "teams[data].principals: [] is not valid; allowed: one or more"),
        ([team(tags={"cost center!": "1"})], "teams[data].tags: 'cost center!' is not valid; allowed: tag keys of"),
        ([team(tags={"aws:team": "1"})], "teams[data].tags: 'aws:team' is not valid; allowed: a tag key not starting"),
        ([team(tags={"project": "x"})], "teams[data].tags: 'project' is not valid; allowed: a tag key not starting"),
        ([team(tags={"k" * 129: "v"})], "teams[data].tags: 'kkkk"),
        ([team(tags={"owner": "x" * 257})], "teams[data].tags.owner: 'xxx"),
        ([team(tags={"owner": "a;b"})], "teams[data].tags.owner: 'a;b' is not valid; allowed: tag values of"),
        ([team(tags=["owner"])], "teams[data].tags: ['owner'] is not valid; allowed: an object of tag keys"),
        (
            [team(tags={f"k{n}": "v" for n in range(51)})],
            "teams[data].tags: '51 tags' is not valid; allowed: at most 50",
        ),
        ([team(guardrail="strict")], "teams[data].guardrail: 'strict' is not valid; allowed: the name of a guardrail"),
        # The object and the field, not the whole object echoed back.
        (
            [team(principal=["111122223333"])],
            "teams[data]: unknown field 'principal'; did you mean 'principals'? fields: name, principals, models, "
            "tags?, guardrail?",
        ),
        ([{"name": "data"}], "teams[data]: missing field 'principals'; fields: name, principals, models"),
        ([team(), {"principals": ["111122223333"]}], "teams[1]: missing field 'name'; fields: "),
        (["data"], 'teams[0]: \'data\' is not an object; write one like {"name": ..., "principals": [...]'),
    ],
)
def test_a_team_mistake_is_refused_in_one_line(teams: list[dict[str, Any]], start: str) -> None:
    assert refused(teams=teams).startswith(start)


def test_a_team_name_that_makes_a_profile_name_too_long_is_refused() -> None:
    extra = [
        {
            "alias": "claude-with-an-alias-of-forty-characters",
            "model_id": "anthropic.claude-x-v1:0",
            "profiles": {"global": ["us-east-1"]},
        }
    ]
    message = refused(extra_models=extra, teams=[team(name="a" * 30, models=[extra[0]["alias"]])])
    assert message.startswith(f"teams[{'a' * 30}].name: '{'a' * 30}' is not valid; allowed: a shorter team name")


@pytest.mark.parametrize(
    ("guardrails", "start"),
    [
        ([{**STRICT, "content_filters": {"GOSSIP": "HIGH"}}], "guardrails[strict].content_filters: 'GOSSIP' is not"),
        ([{**STRICT, "content_filters": {"HATE": "EXTREME"}}], "guardrails[strict].content_filters.HATE: 'EXTREME'"),
        (
            [{**STRICT, "pii": {"SHOE_SIZE": "BLOCK"}}],
            "guardrails[strict].pii: 'SHOE_SIZE' is not valid; allowed: ADDRESS",
        ),
        ([{**STRICT, "pii": {"EMAIL": "HIDE"}}], "guardrails[strict].pii.EMAIL: 'HIDE' is not valid; allowed: BLOCK"),
        ([{**STRICT, "denied_topics": [{"name": "a/b", "definition": "x"}]}], "guardrails[strict].denied_topics.name"),
        ([{**STRICT, "denied_topics": [{"name": "a", "definition": ""}]}], "guardrails[strict].denied_topics[a].def"),
        (
            [{**STRICT, "denied_topics": [{"name": "a", "definition": "d", "examples": ["e"] * 6}]}],
            "guardrails[strict].denied_topics[a].examples:",
        ),
        ([{"name": "empty"}], "guardrails[empty]: {'name': 'empty'} is not valid; allowed: at least one of"),
        ([STRICT, STRICT], "guardrails.name: 'strict' is not valid; allowed: a name used by one guardrail only"),
        ([{**STRICT, "name": "Strict!"}], "guardrails.name: 'Strict!' is not valid"),
        ([{**STRICT, "blocked_input_message": ""}], "guardrails[strict].blocked_input_message: '' is not valid"),
        (
            [{**STRICT, "words": ["x"]}],
            "guardrails[strict]: unknown field 'words'; fields: name, content_filters?, denied_topics?, pii?, ",
        ),
        (
            [{**STRICT, "denied_topics": [{"name": "a", "definiton": "x"}]}],
            "guardrails[strict].denied_topics[a]: unknown field 'definiton'; did you mean 'definition'? ",
        ),
    ],
)
def test_a_guardrail_mistake_is_refused_in_one_line(guardrails: list[dict[str, Any]], start: str) -> None:
    assert refused(guardrails=guardrails).startswith(start)


def test_the_invoker_guardrail_must_name_a_defined_guardrail() -> None:
    assert refused(guardrails=[STRICT], invoker_guardrail="lenient").startswith(
        "invoker_guardrail: 'lenient' is not valid; allowed: the name of a guardrail in 'guardrails' (strict), or unset"
    )
