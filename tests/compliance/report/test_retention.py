"""The report's "Is Claude traffic retained, where, and by whom?": read from the templates of the shared syntheses
(mode none by default, aws_review in the every-option one, unmanaged with customer-managed storage in the logging
options), and from copies of them changed the way a weaker template would be."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compliance.report import build_report, render_markdown
from compliance.report.assembly import Report
from compliance.report.outside import outside_lines
from compliance.report.retention import MODE_TYPE, SOURCE, STORAGE_TYPE
from compliance.report.verdicts import FAIL, PASS, WARN, Verdict
from stacks.data_retention import settings
from tests.support.synth import Synth

QUESTION = "Retention of Claude traffic set"
SECTION = "### Is Claude traffic retained, where, and by whom?"


def verdict(report: Report, region: str) -> Verdict:
    return next(v for v in report.verdicts[region] if v.question == QUESTION)


def section(markdown: str) -> str:
    return markdown.split(SECTION, 1)[1].split("\n### ", 1)[0]


def not_covered(report: Report) -> list[str]:
    retention = {region: facts.retention for region, facts in report.regions.items()}
    return [
        line
        for line in outside_lines(report.policies, retention, {})
        if any(word in line.split(":")[0] for word in ("retain", "retention"))
    ]


def test_the_report_reads_the_custom_resources_the_stacks_write() -> None:
    assert (MODE_TYPE, STORAGE_TYPE) == (settings.MODE_TYPE, settings.STORAGE_TYPE)


def test_zero_retention_set_by_the_templates_passes(default_synth: Synth) -> None:
    report = build_report(default_synth.outdir)
    retention = report.regions["us-east-1"].retention
    assert (retention.mode, retention.storage, retention.kept_on_stack_deletion) == ("none", None, True)
    assert retention.mode_resource == "ClaudeInvocationLogging-us-east-1/DataRetentionMode"
    # The default models (cdk.json) are allowed, and neither requires retention.
    assert [m.name for m in retention.models] == sorted(m.alias for m in default_synth.config.models.allowed)
    got = verdict(report, "us-east-1")
    assert got.status == PASS
    assert got.detail.startswith(f"mode none set by these templates; 0 of {len(retention.models)} models allowed")
    markdown = render_markdown(report)
    # After invocation logging, before the threats.
    assert markdown.index("### Invocation logging") < markdown.index(SECTION) < markdown.index("### What could alter")
    text = section(markdown)
    assert text.lstrip().startswith("No: zero data retention.")
    assert "| Data retention mode | `none` (set by `ClaudeInvocationLogging-us-east-1/DataRetentionMode`) |" in text
    assert "| Retention storage (Anthropic's models) | not managed by these templates" in text
    assert "| `claude-haiku-5-5` | any mode | yes |" in text and SOURCE in text
    # Every Region of the report is managed: what stays outside is the other enabled Regions.
    (line,) = not_covered(report)
    assert line.startswith("**The data retention mode of the enabled Regions outside this report**")
    assert "set it in us-east-1 only" in line


def test_a_mode_retaining_more_than_the_models_need_warns(every_option_synth: Synth) -> None:
    got = verdict(build_report(every_option_synth.outdir), "eu-west-1")
    assert got.status == WARN
    assert got.detail.endswith("it retains prompts and outputs although no allowed model requires it")
    assert got.detail.startswith("mode aws_review set by these templates")


def test_an_unmanaged_mode_warns_with_the_read_that_confirms_it(logging_options_synth: Synth) -> None:
    report = build_report(logging_options_synth.outdir)
    got = verdict(report, "us-east-1")
    assert got.status == WARN
    assert "not set by these templates (data_retention_mode=unmanaged)" in got.detail
    assert "`aws bedrock get-account-data-retention --region us-east-1`" in got.detail
    text = section(render_markdown(report))
    assert text.lstrip().startswith("Not managed by this project")
    assert "| Confirm with | `aws bedrock get-account-data-retention --region us-east-1` |" in text
    # Customer-managed storage: the bucket and the key the stack provisions, named by their construct paths.
    storage = next(line for line in text.splitlines() if line.startswith("| Retention storage"))
    assert "customer_managed: bucket `{DataRetentionBucket}`, key `{DataRetentionKey}`" in storage
    assert "| `claude-sonnet-4-6` | any mode | WARN |" in text  # no mode to admit it: cannot tell
    (line,) = not_covered(report)
    assert line.startswith("**Whether Amazon Bedrock or the model provider retains Claude traffic in us-east-1**")
    assert "leave it unmanaged there" in line


def _with_grant(synth: Synth, tmp_path: Path, model_id: str, mode: str | None = None) -> Path:
    """A copy of the default assembly whose access stack also allows invoking `model_id`, and whose logging stack
    sets `mode` (when given) instead of the configured one."""
    assembly = tmp_path / "cdk.out"
    shutil.copytree(synth.outdir, assembly, ignore=shutil.ignore_patterns("asset.*", ".staging*"))
    access = next(assembly.glob("ClaudeInvocationAccess-*.template.json"))
    template = json.loads(access.read_text())
    template["Resources"]["ExtraInvokePolicy"] = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "bedrock:InvokeModel",
                        "Resource": f"arn:aws:bedrock:*::foundation-model/{model_id}",
                    }
                ],
            }
        },
    }
    access.write_text(json.dumps(template))
    if mode is not None:
        logging = next(assembly.glob("ClaudeInvocationLogging-*.template.json"))
        template = json.loads(logging.read_text())
        for declared in template["Resources"].values():
            if declared["Type"] == MODE_TYPE:
                declared["Properties"]["Mode"] = mode
        logging.write_text(json.dumps(template))
    return assembly


def test_a_mode_that_blocks_an_allowed_model_fails(default_synth: Synth, tmp_path: Path) -> None:
    """Claude Fable 5 runs only under aws_review or provider_data_share (its card): under none it is blocked."""
    report = build_report(_with_grant(default_synth, tmp_path, "anthropic.claude-fable-5"))
    got = verdict(report, "us-east-1")
    assert got.status == FAIL
    assert got.detail.startswith("mode none blocks claude-fable-5 (runs only under aws_review or provider_data_share)")
    assert "| `claude-fable-5` | aws_review or provider_data_share | NO |" in section(render_markdown(report))


def test_a_mode_that_admits_the_model_requiring_it_passes(default_synth: Synth, tmp_path: Path) -> None:
    report = build_report(_with_grant(default_synth, tmp_path, "anthropic.claude-fable-5", mode="aws_review"))
    got = verdict(report, "us-east-1")
    assert got.status == PASS
    assert "1 of 3 models allowed require retention" in got.detail
    assert "| `claude-fable-5` | aws_review or provider_data_share | yes |" in section(render_markdown(report))


@pytest.mark.parametrize(
    ("model_id", "mode", "words"),
    [
        ("anthropic.claude-unknown-9", None, "not in the catalog, so their requirement is unknown"),
        # inherit leaves the effective mode to a model's default or a higher scope (with a model requiring retention
        # it fails, as synthesis refuses it: core.retention_fit).
        ("anthropic.claude-opus-4-8", "inherit", "inherit sets no mode: confirm the effective one with"),
    ],
)
def test_what_the_templates_cannot_tell_warns(
    default_synth: Synth, tmp_path: Path, model_id: str, mode: str | None, words: str
) -> None:
    got = verdict(build_report(_with_grant(default_synth, tmp_path, model_id, mode)), "us-east-1")
    assert (got.status, words in got.detail) == (WARN, True), got
