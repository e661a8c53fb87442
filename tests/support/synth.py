"""Synthesize the app in-process, the way app.py does, and expose the templates and rule-pack results."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk.assertions import Template

from core.config import AppConfig
from core.deployment import DeploymentPlan, plan_deployment
from core.guardrails.guardrail import AppliedGuardrail
from core.invocation_access.plan import RegionPlan
from core.organization.rollout import MEMBER_STACK_NAME, ORGANIZATION_STACK_NAME
from core.usage.budgets import BUDGETS_REGION
from stacks.deployment import build_organization, build_stacks, invoker_props
from stacks.shared.nag import add_rule_packs
from tests.support.cfn_values import SAMPLE_ACCOUNT, CfnValues
from tests.support.project import FEATURE_FLAGS, config_for

_REGION_STACKS = ("InvocationAccess", "InvocationLogging", "Invoker", "Usage")

# Every template the shared syntheses (tests/conftest.py) write, as (session fixture, stack name). The scanners
# (cfn-lint in tests/stacks/test_app.py, checkov in tests/compliance/test_checkov.py) take one test per template;
# tests/stacks/test_app.py proves this is every template, no more and no fewer.
SYNTHESIZED_TEMPLATES: tuple[tuple[str, str], ...] = (
    *(("default_synth", f"Claude{kind}-us-east-1") for kind in _REGION_STACKS),
    *(("every_option_synth", f"Claude{kind}-eu-west-1") for kind in (*_REGION_STACKS, "Teams")),
    ("every_option_synth", "ClaudeBudgets"),
    ("every_option_synth", "ClaudeCostExport"),
    *(("teams_synth", f"Claude{kind}-eu-central-2") for kind in (*_REGION_STACKS, "Guardrails", "Teams")),
    ("teams_synth", "ClaudeBudgets"),
    ("organization_synth", ORGANIZATION_STACK_NAME),
    ("organization_synth", MEMBER_STACK_NAME),
)


def template_id(synthesis: str, stack_name: str) -> str:
    """A test ID for one template: `default/ClaudeInvoker-us-east-1`."""
    return f"{synthesis.removesuffix('_synth')}/{stack_name}"


@dataclass
class Synth:
    config: AppConfig
    outdir: Path
    templates: dict[str, dict[str, Any]]
    violations: list[dict[str, Any]]
    _assertions: dict[str, Template] = field(default_factory=dict)

    def template(self, stack_prefix: str) -> Template:
        """The `aws_cdk.assertions.Template` of the one stack whose name starts with `stack_prefix`."""
        name = self.stack_name(stack_prefix)
        if name not in self._assertions:
            self._assertions[name] = Template.from_json(self.templates[name])
        return self._assertions[name]

    def values(self, stack_prefix: str, account: str = SAMPLE_ACCOUNT) -> CfnValues:
        """Sample values for the intrinsics of one stack's template, other stacks' outputs included."""
        name = self.stack_name(stack_prefix)
        region = stack_region(name)
        return CfnValues(self.templates[name], region=region, account=account, stack_name=name, others=self.templates)

    def template_file(self, stack_name: str) -> Path:
        """Where the synthesis wrote the template of `stack_name` (the member baseline in `member-baseline/`)."""
        (path,) = self.outdir.rglob(f"{stack_name}.template.json")
        return path

    def stack_name(self, stack_prefix: str) -> str:
        names = [n for n in self.templates if n.startswith(stack_prefix)]
        assert len(names) == 1, f"expected one stack named {stack_prefix}*, found {names}"
        return names[0]


def stack_region(name: str) -> str:
    """The Region of a stack of this app, from its name: `Claude<Kind>-<region>`, or us-east-1 for the stacks made
    once (budgets, the cost export)."""
    return name.split("-", 1)[1] if "-" in name else BUDGETS_REGION


def deployment_plan(config: AppConfig) -> DeploymentPlan:
    """The plan `app.py` hands `build_stacks`: the configured account, or the token of an environment-agnostic
    synthesis; the member baseline's always the token."""
    return plan_deployment(config, config.account or cdk.Aws.ACCOUNT_ID, member_account=cdk.Aws.ACCOUNT_ID)


def region_plan(config: AppConfig, region: str, account: str) -> RegionPlan:
    """The plan `stacks.deployment.build_stacks` hands the stacks of `region` (one of `config.regions`), for a test
    that builds one stack."""
    return plan_deployment(config, account).region(region)


def synth(context: Mapping[str, Any] | None = None, outdir: Path | None = None) -> Synth:
    """One full synthesis: every stack, every rule pack, as `cdk synth` runs it (into `outdir`, or a new folder)."""
    config = config_for(**(context or {}))
    return _synthesize(config, lambda app: build_stacks(app, config, deployment_plan(config)), outdir)


def synth_organization(context: Mapping[str, Any], outdir: Path | None = None) -> Synth:
    """The organization stack alone (`build_organization`: the member baseline first, in `member-baseline/` of the
    output directory), with every rule pack; `templates` holds both, the member baseline under its stack name."""
    config = config_for(**context)
    written = _synthesize(config, lambda app: build_organization(app, config, deployment_plan(config)), outdir)
    return read_organization_synth(config, written.outdir)


def read_synth(config: AppConfig, outdir: Path) -> Synth:
    """The synthesis of `config` that `synth` wrote to `outdir`, read back: its templates and rule-pack findings."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    templates = {
        name: json.loads((outdir / artifact["properties"]["templateFile"]).read_text())
        for name, artifact in manifest["artifacts"].items()
        if artifact["type"] == "aws:cloudformation:stack"
    }
    return Synth(config, outdir, templates, read_violations(outdir))


def read_organization_synth(config: AppConfig, outdir: Path) -> Synth:
    """What `synth_organization` wrote to `outdir`, read back, the member baseline's template and findings too."""
    result = read_synth(config, outdir)
    member = outdir / "member-baseline"
    result.templates[MEMBER_STACK_NAME] = json.loads((member / f"{MEMBER_STACK_NAME}.template.json").read_text())
    result.violations += read_violations(member)
    return result


def synth_one_stack(config: AppConfig, build: Callable[[cdk.App], object]) -> Synth:
    """One stack, built by `build(app)` directly, with every rule pack: for options the shared syntheses do not set
    (a concrete account, callers, Marketplace subscription...). Use it once per module, not once per test."""
    return _synthesize(config, build)


def synth_invoker(
    config: AppConfig, region: str, *, account: str | None = None, guardrail: AppliedGuardrail | None = None
) -> Synth:
    """The invoker stack alone, stack ID `Invoker`, in `region` (and `account`, or environment-agnostic)."""
    from stacks.invoker.stack import InvokerStack

    return synth_one_stack(
        config,
        lambda app: InvokerStack(
            app,
            "Invoker",
            props=invoker_props(config, region_plan(config, region, account or cdk.Aws.ACCOUNT_ID), guardrail),
            env=cdk.Environment(account=account, region=region),
        ),
    )


# The folders of the syntheses a test asks for, in one folder the process removes when it ends.
_OUTDIRS = tempfile.TemporaryDirectory(prefix="cdk-tests-")


def _synthesize(config: AppConfig, build: Callable[[cdk.App], object], outdir: Path | None = None) -> Synth:
    outdir = outdir or Path(tempfile.mkdtemp(prefix="synth-", dir=_OUTDIRS.name))
    app = cdk.App(outdir=str(outdir), context=FEATURE_FLAGS)
    build(app)
    add_rule_packs(app)
    try:
        app.synth()
    except RuntimeError as error:
        if "ValidationFailed" not in str(error):
            raise
    return read_synth(config, outdir)


def read_violations(outdir: Path) -> list[dict[str, Any]]:
    """Unacknowledged rule-pack findings, one per (pack, rule, construct)."""
    report_path = outdir / "validation-report.json"
    violations: list[dict[str, Any]] = []
    if report_path.exists():
        for plugin in json.loads(report_path.read_text()).get("pluginReports", []):
            for violation in plugin.get("violations", []):
                for construct in violation.get("violatingConstructs", []):
                    violations.append(
                        {
                            "pack": plugin["pluginName"],
                            "rule": violation["ruleName"],
                            "path": construct["constructPath"],
                        }
                    )
    return violations


_HASH = re.compile(r"[0-9a-f]{64}")


def normalised(template: dict[str, Any]) -> dict[str, Any]:
    """The template with asset hashes replaced, so a snapshot changes only when the infrastructure does."""
    return json.loads(_HASH.sub("<asset-hash>", json.dumps(template)))
