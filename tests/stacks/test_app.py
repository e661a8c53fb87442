"""Whole-app checks on the shared syntheses: every stack per Region, rule packs, cfn-lint, snapshots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from core.organization.rollout import MEMBER_STACK_NAME, ORGANIZATION_STACK_NAME
from core.rule_packs import PACK_NAMES
from stacks.deployment import build_stacks
from stacks.shared.nag import acknowledge, add_rule_packs
from tests.support.project import FEATURE_FLAGS, PROJECT_CONTEXT, config_for
from tests.support.synth import (
    SYNTHESIZED_TEMPLATES,
    Synth,
    deployment_plan,
    normalised,
    read_violations,
    stack_region,
    template_id,
)
from tests.support.templates import cfn_lint_findings


@pytest.fixture
def json_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


EVERY_REGION = ("InvocationAccess", "InvocationLogging", "Invoker", "Usage")


def test_every_region_gets_every_stack(default_synth: Synth, teams_synth: Synth) -> None:
    assert sorted(default_synth.templates) == sorted(
        f"Claude{kind}-{region}" for region in default_synth.config.regions for kind in EVERY_REGION
    )
    # Guardrails and teams only when configured; budgets once, in us-east-1, only with a budget.
    assert sorted(teams_synth.templates) == sorted(
        [*(f"Claude{kind}-eu-central-2" for kind in (*EVERY_REGION, "Guardrails", "Teams")), "ClaudeBudgets"]
    )
    # Two Regions: every stack in each, in that Region (built, not synthesized).
    app = cdk.App(context=FEATURE_FLAGS)
    config = config_for(regions=["us-east-1", "eu-west-1"])
    stacks = build_stacks(app, config, deployment_plan(config))
    assert sorted((stack.stack_name, stack.region) for stack in stacks) == sorted(
        (f"Claude{kind}-{region}", region) for region in ("us-east-1", "eu-west-1") for kind in EVERY_REGION
    )


def test_no_unacknowledged_rule_pack_finding(
    default_synth: Synth, every_option_synth: Synth, teams_synth: Synth, organization_synth: Synth
) -> None:
    assert default_synth.violations == []
    assert every_option_synth.violations == []
    assert teams_synth.violations == []
    assert organization_synth.violations == []  # the organization stack and the member baseline


def test_the_packs_catch_an_unacknowledged_finding(tmp_path: Path) -> None:
    """The harness can fail: a bare bucket trips every pack, and an acknowledgement silences exactly one finding."""
    app = cdk.App(outdir=str(tmp_path), context=FEATURE_FLAGS)
    stack = cdk.Stack(app, "Probe", env=cdk.Environment(region="us-east-1"))
    bucket = s3.Bucket(stack, "Bare")
    acknowledge(bucket, "AwsSolutions-S1", "probe: proves an acknowledgement removes exactly this one finding")
    add_rule_packs(app)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    violations = read_violations(tmp_path)
    assert {v["pack"] for v in violations} == set(PACK_NAMES)
    assert "AwsSolutions-S10" in {v["rule"] for v in violations}
    assert "AwsSolutions-S1" not in {v["rule"] for v in violations}


def test_the_scanners_read_every_synthesized_template(
    default_synth: Synth, every_option_synth: Synth, teams_synth: Synth, organization_synth: Synth
) -> None:
    """The scanners take one test per template of SYNTHESIZED_TEMPLATES: a stack added to a synthesis is scanned."""
    syntheses = {
        "default_synth": default_synth,
        "every_option_synth": every_option_synth,
        "teams_synth": teams_synth,
        "organization_synth": organization_synth,  # the organization stack and the member baseline
    }
    synthesized = {(fixture, name) for fixture, synthesis in syntheses.items() for name in synthesis.templates}
    assert sorted(synthesized) == sorted(SYNTHESIZED_TEMPLATES)


# The member baseline is linted in every Region it deploys to (tests/stacks/organization/test_member_template.py).
CFN_LINTED = [(synthesis, name) for synthesis, name in SYNTHESIZED_TEMPLATES if name != MEMBER_STACK_NAME]


@pytest.mark.parametrize("synthesized_template", CFN_LINTED, ids=[template_id(*t) for t in CFN_LINTED], indirect=True)
def test_cfn_lint_finds_nothing_in_any_template(synthesized_template: tuple[Synth, str]) -> None:
    synthesis, name = synthesized_template
    # The organization stack in the first Region; every other stack in the Region its name ends with.
    region = "us-east-1" if name == ORGANIZATION_STACK_NAME else stack_region(name)
    findings = cfn_lint_findings(synthesis.templates[name], region)
    assert findings == [], f"{name}: {findings}"


def test_each_stack_matches_its_snapshot(
    default_synth: Synth, teams_synth: Synth, organization_synth: Synth, json_snapshot: SnapshotAssertion
) -> None:
    for name in sorted(default_synth.templates):
        assert normalised(default_synth.templates[name]) == json_snapshot(name=name)
    # The stacks only teams, guardrails and budgets bring.
    for name in ("ClaudeGuardrails-eu-central-2", "ClaudeTeams-eu-central-2", "ClaudeBudgets"):
        assert normalised(teams_synth.templates[name]) == json_snapshot(name=name)
    # The organization rollout: the member baseline, and the StackSet (its TemplateBody is the member baseline,
    # tests/stacks/organization/test_stack_set.py proves it: written here as a marker, not twice).
    assert normalised(organization_synth.templates["ClaudeMemberBaseline"]) == json_snapshot(
        name="ClaudeMemberBaseline"
    )
    organization = json.loads(json.dumps(organization_synth.templates["ClaudeOrganization"]))
    for resource in organization["Resources"].values():
        if "TemplateBody" in resource["Properties"]:
            resource["Properties"]["TemplateBody"] = "<ClaudeMemberBaseline, compact, without Metadata>"
    assert normalised(organization) == json_snapshot(name="ClaudeOrganization")


def test_every_option_stacks_match_their_snapshots(every_option_synth: Synth, json_snapshot: SnapshotAssertion) -> None:
    """The every-option variant (EVERY_OPTION_CONTEXT) is a net too: its templates change only when intended."""
    every = (*EVERY_REGION, "Teams")
    assert sorted(every_option_synth.templates) == sorted(
        [*(f"Claude{kind}-eu-west-1" for kind in every), "ClaudeBudgets", "ClaudeCostExport"]
    )
    for name in sorted(every_option_synth.templates):
        assert normalised(every_option_synth.templates[name]) == json_snapshot(name=f"every-option-{name}")


def _synthesize(tmp_path: Path, **context: Any) -> int:
    """app.py's synthesis of cdk.json's configuration with `context` over it, in-process."""
    from app import synthesize

    return synthesize(cdk.App(outdir=str(tmp_path), context={**FEATURE_FLAGS, **PROJECT_CONTEXT, **context}))


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_synthesis_refuses_policies_that_do_not_fit_in_one_configuration_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The plan's refusal, after the configuration loaded: the same line and exit code as any bad value."""
    extra = [
        {
            "alias": f"extra-{n}",
            "model_id": f"anthropic.claude-extra-{n:02d}-with-a-long-name-v1:0",
            "profiles": {"eu": {"eu-central-2": ["eu-central-1", "eu-central-2", "eu-west-1"]}},
        }
        for n in range(150)
    ]
    models = [e["alias"] for e in extra]
    context = {"endpoint_scope": "eu", "regions": ["eu-central-2"], "extra_models": extra, "models": models}
    assert _synthesize(tmp_path, **context, invoker_default_model="extra-0") == 2
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("Configuration error: models: 150 models under 'eu' from eu-central-2 need ")
    assert not list(tmp_path.glob("*.template.json"))  # nothing was synthesized


def test_only_rule_pack_findings_are_reported_as_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import stacks.deployment

    def bare_bucket(app: cdk.App, *_: object) -> list[cdk.Stack]:
        stack = cdk.Stack(app, "Probe", env=cdk.Environment(region="us-east-1"))
        s3.Bucket(stack, "Bare")  # every pack finds something
        return [stack]

    monkeypatch.setattr(stacks.deployment, "build_stacks", bare_bucket)
    assert _synthesize(tmp_path) == 1
    assert _one_line(capsys.readouterr().err).startswith(
        "Synthesis failed on unacknowledged rule-pack findings: ValidationFailed: "
    )

    def refused_member(*_: object) -> list[cdk.Stack]:
        raise stacks.deployment.MemberBaselineRefused("ValidationFailed: the member baseline has findings (out)")

    monkeypatch.setattr(stacks.deployment, "build_stacks", refused_member)
    assert _synthesize(tmp_path) == 1
    assert _one_line(capsys.readouterr().err) == (
        "Synthesis failed on unacknowledged rule-pack findings: ValidationFailed: the member baseline has findings "
        "(out)"
    )

    def broken(*_: object) -> list[cdk.Stack]:
        # What CDK raises, through jsii, for a construct it refuses (here: without cdk.json's feature flags).
        raise RuntimeError('Error: objectOwnership must be set to "ObjectWriter" when accessControl is ...')

    monkeypatch.setattr(stacks.deployment, "build_stacks", broken)
    with pytest.raises(RuntimeError, match="objectOwnership must be set"):
        _synthesize(tmp_path)
    assert "rule-pack" not in capsys.readouterr().err
