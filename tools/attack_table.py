"""The attack catalog's table in docs/compliance/threats.md: each attacker step, its outcome and what stops it,
rendered from `tests/attacks/catalog.py`, whose test proves each claim (tests/attacks/test_catalog.py)."""

from __future__ import annotations

from tests.attacks.catalog import STEPS
from tests.attacks.model import ADMINISTRATOR, Step


def _code(items: tuple[str, ...]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def _step(step: Step) -> str:
    if step.attacker == ADMINISTRATOR:
        return step.name
    return f"{step.name} (as `{step.attacker.removeprefix('arn:aws:iam::{account}:')}`)"


def _by_what(step: Step) -> str:
    parts = [f"denied by {_code(step.denied_by)}"] if step.denied_by else []
    parts += [f"heard by {_code(step.heard_by)}"] if step.heard_by else []
    text = "; ".join(parts) or "-"
    return f"{text} ({step.note})" if step.note else text


def attacks_table() -> str:
    rows = [
        "| Class | Step | Calls | Outcome | By what | Residual: why, and what mitigates it |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    rows += [
        f"| {step.kind} | {_step(step)} | {_code(tuple(dict.fromkeys(c.action for c in step.calls)))} | "
        f"{step.outcome} | {_by_what(step)} | {step.residual or '-'} |"
        for step in STEPS
    ]
    return "\n".join(rows)
