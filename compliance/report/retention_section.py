"""The report's answer to "Is Claude traffic retained, where, and by whom?" for one Region, from the facts
compliance/report/retention.py reads in the templates."""

from __future__ import annotations

from compliance.report.assembly import Report
from compliance.report.document import Block, Section, Table, yes_no
from compliance.report.facts import RegionFacts
from compliance.report.retention import SOURCE as RETENTION_SOURCE
from compliance.report.retention import ModelRetention, confirm_command
from compliance.report.verdicts import RETENTION_TABLE
from core.data_retention.describe import describe_retention


def _admitted(model: ModelRetention, mode: str | None) -> str:
    admitted = model.admitted(mode)
    if admitted is not None:
        return yes_no(admitted)
    return "unknown (not in the catalog)" if model.model is None else "WARN"


def retention_section(report: Report, facts: RegionFacts) -> list[Section]:
    """Whether Amazon Bedrock or the model provider retains the Region's Claude traffic, where, and which allowed
    models need it, as the templates set it (core.data_retention.describe words it as the docs do)."""
    retention = facts.retention
    rows = [("Data retention mode", f"`{retention.mode}` (set by `{retention.mode_resource}`)")]
    if retention.mode is None:
        rows = [
            ("Data retention mode", "not managed by these templates (data_retention_mode=unmanaged)"),
            ("Confirm with", confirm_command(facts.region)),
        ]
    else:
        rows.append(("Kept when the stack is deleted", yes_no(retention.kept_on_stack_deletion)))
    storage = {
        "customer_managed": f"customer_managed: bucket `{retention.storage_bucket}`, key `{retention.storage_key}`",
        "amazon_managed": "amazon_managed (Amazon-managed storage)",
    }.get(retention.storage_text, "not managed by these templates (data_retention_storage=unmanaged)")
    rows.append(("Retention storage (Anthropic's models)", storage))
    models = [[f"`{m.name}`", m.requires or "any mode", _admitted(m, retention.mode)] for m in retention.models]
    blocks: list[Block] = [
        describe_retention(retention.mode_text, retention.storage_text, [facts.region]),
        Table(["Property", "Value"], [list(r) for r in rows], (32, 68), "facts", marks=True),
        "The models the Region's policies allow invoking, the data retention modes their cards let them run under, "
        f"and whether the mode above admits them (source: {RETENTION_SOURCE}):",
        Table(["Model", "Runs under", "Admitted by the mode"], models, (40, 36, 24), marks=True),
    ]
    return [Section(RETENTION_TABLE, 3, blocks)]
