"""Synthesize the app in-process, the way app.py does, and expose the templates and rule-pack results."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk.assertions import Template

from stacks.compliance import add_rule_packs
from stacks.config import AppConfig, load_config
from stacks.deployment import build_stacks

ROOT = Path(__file__).resolve().parent.parent
CDK_JSON = json.loads((ROOT / "cdk.json").read_text())
FEATURE_FLAGS = {k: v for k, v in CDK_JSON["context"].items() if k.startswith("@")}
PROJECT_CONTEXT = {k: v for k, v in CDK_JSON["context"].items() if not k.startswith("@")}
# Tests run on a fixed day so lifecycle checks do not change results over time.
TEST_DAY = date(2026, 11, 25)
SAMPLE_ACCOUNT = "111122223333"


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

    def stack_name(self, stack_prefix: str) -> str:
        names = [n for n in self.templates if n.startswith(stack_prefix)]
        assert len(names) == 1, f"expected one stack named {stack_prefix}*, found {names}"
        return names[0]


def config_for(**overrides: Any) -> AppConfig:
    return load_config({**PROJECT_CONTEXT, **overrides}, today=TEST_DAY)


def synth(context: Mapping[str, Any] | None = None) -> Synth:
    """One full synthesis: every stack, every rule pack, as `cdk synth` runs it."""
    config = config_for(**(context or {}))
    outdir = Path(tempfile.mkdtemp(prefix="cdk-test-"))
    app = cdk.App(outdir=str(outdir), context=FEATURE_FLAGS)
    build_stacks(app, config)
    add_rule_packs(app)
    try:
        app.synth()
    except RuntimeError as error:
        if "ValidationFailed" not in str(error):
            raise
    violations = read_violations(outdir)
    manifest = json.loads((outdir / "manifest.json").read_text())
    templates = {
        name: json.loads((outdir / artifact["properties"]["templateFile"]).read_text())
        for name, artifact in manifest["artifacts"].items()
        if artifact["type"] == "aws:cloudformation:stack"
    }
    return Synth(config, outdir, templates, violations)


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
