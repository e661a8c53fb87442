"""The report lists each team's profiles, who may assume its role, its tags and the guardrail it must apply."""

from __future__ import annotations

from compliance.report import build_report, render_markdown
from tests.support import logical_ids as ids
from tests.support.synth import Synth


def test_each_team_is_listed_with_its_profiles_principals_tags_and_guardrail(teams_synth: Synth) -> None:
    report = build_report(teams_synth.outdir)
    data, support = sorted(report.teams["eu-central-2"], key=lambda t: t.role)
    assert (data.role, support.role) == (ids.DATA_SCIENCE_ROLE, ids.SUPPORT_ROLE)
    assert sorted(p.name for p in data.profiles) == ["data-science-claude-opus-4-7", "data-science-claude-sonnet-4-6"]
    assert {p.copies for p in data.profiles} == {"eu.anthropic.claude-opus-4-7", "eu.anthropic.claude-sonnet-4-6"}
    assert sorted(data.assumers) == [
        "AWS: arn:aws:iam::444455556666:role/analysts",
        "AWS: arn:aws:iam::444455556666:root",
    ]
    assert data.profiles[0].tags["cost-center"] == "4711"
    # The guardrail the team must apply, named by construct path through the guardrails stack's output.
    assert data.guardrail == "{StrictGuardrail/Guardrail.GuardrailArn}:{StrictGuardrail/Version.Version}"
    assert support.guardrail is None
    assert support.assumers == ["AWS: arn:aws:iam::777788889999:role/support-bot"]
    assert (data.name, support.name) == ("DataScienceTeam/Role", "SupportTeam/Role")
    text = render_markdown(report)
    assert "### Teams" in text
    row = next(line for line in text.splitlines() if line.startswith("| `SupportTeam/Role`"))
    assert row == (
        "| `SupportTeam/Role` | AWS: arn:aws:iam::777788889999:role/support-bot | "
        "`support-claude-haiku-4-5` (`eu.anthropic.claude-haiku-4-5-20251001-v1:0`) | "
        "cost-center=0815; project=claude-on-bedrock | none |"
    )


def test_no_teams_no_section(default_synth: Synth) -> None:
    report = build_report(default_synth.outdir)
    assert report.teams == {"us-east-1": []}
    assert "### Teams" not in render_markdown(report)
