"""The price of the scope: geographic and in-Region endpoints cost more than the global one, for recent models.

Anthropic's "Claude on Amazon Bedrock" page (https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-
bedrock, "Global vs regional endpoints"): "Starting with Claude Sonnet 4.5 and all future models, Amazon Bedrock
offers two endpoint types [...] Regional endpoints include a 10% pricing premium over global endpoints. This applies
to Claude Sonnet 4.5 and future models only. Older models (Claude Sonnet 4, Opus 4, and earlier) maintain their
existing pricing structures." Its "regional endpoints" are the geographic (CRIS) profiles ("Available for US, EU,
Japan, and Australia"); "Claude in Amazon Bedrock" (https://platform.claude.com/docs/en/build-with-claude/claude-in-
amazon-bedrock) says the same of in-Region endpoints: "Regional endpoints carry a 10% pricing premium over global
endpoints." AWS's pricing page states no premium that could be read here: the percentage is Anthropic's, per model in
the catalog (`ClaudeModel.regional_premium_percent`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.catalog.models import ClaudeModel
from core.catalog.scopes import GLOBAL

PREMIUM_SOURCE = "Anthropic, Claude on Amazon Bedrock"


def premium_models(models: Iterable[ClaudeModel], endpoint_scope: str) -> tuple[ClaudeModel, ...]:
    """The models that cost more under `endpoint_scope` than under global (none under global itself)."""
    if endpoint_scope == GLOBAL:
        return ()
    return tuple(m for m in models if m.regional_premium_percent)


def scope_premium(models: Iterable[ClaudeModel], endpoint_scope: str) -> str | None:
    """One sentence stating the premium `endpoint_scope` costs for `models`, or None when it costs none."""
    paying = premium_models(models, endpoint_scope)
    if not paying:
        return None
    by_percent: dict[int, list[str]] = {}
    for model in paying:
        by_percent.setdefault(model.regional_premium_percent, []).append(model.alias)
    parts = [f"{percent}% for {', '.join(aliases)}" for percent, aliases in sorted(by_percent.items())]
    return f"'{endpoint_scope}' costs more than 'global': {'; '.join(parts)} ({PREMIUM_SOURCE})"


def scope_premium_of(
    names: Iterable[str], endpoint_scope: str, find: Callable[[str], ClaudeModel | None]
) -> str | None:
    """`scope_premium` for models named by alias, model ID or profile ID, found with `find`; a name it does not
    know is skipped (an `extra_models` entry has no premium the catalog knows)."""
    models = [model for name in names if (model := find(name)) is not None]
    return scope_premium(dict.fromkeys(models), endpoint_scope)


def premium_note(model: ClaudeModel, scopes: Iterable[str]) -> str:
    """ " (geographic +10% over global)" when `scopes` offers the model both globally and geographically at a
    premium; "" otherwise. For the configuration's lines that list where a model is offered."""
    listed = set(scopes)
    if not model.regional_premium_percent or GLOBAL not in listed or listed == {GLOBAL}:
        return ""
    return f" (geographic +{model.regional_premium_percent}% over global)"
