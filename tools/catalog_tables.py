"""The catalog's tables in docs/platform/models.md: models, where each profile is called from and routes to, and
where each fact was read. Rendered from `core.catalog.claude_models`, so the docs cannot drift from what synthesizes."""

from __future__ import annotations

from core.catalog.claude_models import BUILTIN_MODELS
from core.catalog.models import ClaudeModel, Profile
from core.catalog.scopes import GLOBAL, SCOPES


def _context(model: ClaudeModel) -> str:
    return f"{model.context_window // 1000}K" if model.context_window < 1_000_000 else "1M"


def _lifecycle(model: ClaudeModel) -> str:
    """Dates, not a status: the table must not go stale by itself when a date passes."""
    life = model.lifecycle
    if life.unconfirmed:
        return "unconfirmed (on no AWS lifecycle page): refused"
    parts = [f"launched {life.launched_on.isoformat()}"] if life.launched_on else []
    if life.end_of_life_not_before:
        period = f", legacy period {life.legacy_period}" if life.legacy_period else ""
        parts.append(f"end of life not before {life.end_of_life_not_before.isoformat()}{period}")
    if life.legacy_on:
        parts.append(f"legacy from {life.legacy_on.isoformat()}")
    elif life.legacy_undated:
        parts.append("legacy")
    if life.end_of_life_on:
        parts.append(f"end of life {life.end_of_life_on.isoformat()}")
    return "; ".join(parts) or "active"


def _thinking(model: ClaudeModel) -> str:
    if model.thinking_modes is None:
        return "unknown"
    return ", ".join(sorted(model.thinking_modes)) or "none"


SAMPLING_WORDS = {
    "any": "",
    "temperature_or_top_p": "temperature or top_p",
    "fixed": "no temperature/top_p/top_k",
    "near_default": "temperature 1, top_p 0.99 to 1, no top_k",
    "near_default_one_of": "temperature 1 or top_p 0.99, no top_k",
}


def _requests(model: ClaudeModel) -> str:
    """What the invoker checks for the model before calling Bedrock."""
    output = f"{model.max_output_tokens // 1000}K" if model.max_output_tokens else "unknown"
    facts = [f"output {output}", f"thinking {_thinking(model)}"]
    if model.thinking_off is False:
        facts.append("thinking always on")
    if model.effort_default:
        facts.append(f"effort {model.effort_default} by default")
    if SAMPLING_WORDS[model.sampling]:
        facts.append(SAMPLING_WORDS[model.sampling])
    if model.count_tokens:
        facts.append("CountTokens")
    if len(model.api_versions) > 1:
        facts.append(f"API {', '.join(model.api_versions[1:])} too")
    return "; ".join(facts)


def _account(model: ClaudeModel) -> str:
    """What the account needs besides IAM: an invitation, a data retention mode; and what a geographic scope costs."""
    facts = ["invitation only"] if model.gated else []
    if model.retention_modes:
        facts.append(f"data retention {' or '.join(sorted(model.retention_modes))}")
    if model.regional_premium_percent:
        facts.append(f"geographic +{model.regional_premium_percent}%")
    return "; ".join(facts) or "-"


def models_table() -> str:
    """Every catalog model: alias, Anthropic API name, Bedrock model ID, scopes, context window, what the invoker
    checks, endpoint, what the account needs, lifecycle."""
    rows = [
        "| Alias | Anthropic API name | Bedrock model ID | Scopes | Context | Requests | Endpoint | Account "
        "| Lifecycle on Bedrock |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for model in BUILTIN_MODELS:
        scopes = " ".join(endpoint_scope for endpoint_scope in SCOPES if model.offered_in(endpoint_scope)) or "none"
        api = f"`{model.api_names[0]}`" if model.api_names else "-"
        endpoints = ", ".join(sorted(model.endpoints))
        rows.append(
            f"| `{model.alias}` | {api} | `{model.model_id}` | {scopes} | {_context(model)} | {_requests(model)} "
            f"| {endpoints} | {_account(model)} | {_lifecycle(model)} |"
        )
    return "\n".join(rows)


def _global_list() -> tuple[str, ...]:
    """Every Region some global profile of the catalog is called from, in the cards' order."""
    found: dict[str, None] = {}
    for model in BUILTIN_MODELS:
        found.update(dict.fromkeys(model.sources(GLOBAL)))
    return tuple(found)


def _routes(scope_profile: Profile, global_list: tuple[str, ...]) -> tuple[str, str]:
    """(called from, routed to) in words: the Regions every source routes to, then the sources that differ."""
    sources = scope_profile.sources
    if scope_profile.endpoint_scope == GLOBAL:
        missing = [r for r in global_list if r not in sources]
        if len(missing) < len(sources):
            called_from = "the global list" + (f" except {', '.join(missing)}" if missing else "")
        else:
            called_from = ", ".join(sources)
        return called_from, "any commercial Region"
    shared = set.intersection(*(set(scope_profile.destinations_from(s)) for s in sources))
    common = [r for r in scope_profile.destinations_from(sources[0]) if r in shared]
    extras = [
        f"{s}: + {', '.join(r for r in scope_profile.destinations_from(s) if r not in shared)}"
        for s in sources
        if set(scope_profile.destinations_from(s)) - shared
    ]
    return ", ".join(sources), ", ".join(common) + (f" ({'; '.join(extras)})" if extras else "")


def routing_table() -> str:
    """Per model and scope: the source Regions its profile is called from, and where Bedrock routes the calls."""
    global_list = _global_list()
    rows = ["| Model | Scope | Called from | Routed to |", "| --- | --- | --- | --- |"]
    for model in BUILTIN_MODELS:
        for scope_profile in sorted(model.profiles, key=lambda p: SCOPES.index(p.endpoint_scope)):
            called_from, routed_to = _routes(scope_profile, global_list)
            rows.append(f"| `{model.alias}` | {scope_profile.endpoint_scope} | {called_from} | {routed_to} |")
    return "\n".join(rows) + f"\n\nThe global list ({len(global_list)} Regions): {', '.join(global_list)}."


def sources_table() -> str:
    """Where each model's facts were read, and when."""
    rows = ["| Model | Sources | Checked |", "| --- | --- | --- |"]
    for model in BUILTIN_MODELS:
        citation = model.citation
        pages = "; ".join(citation.pages) if citation else "-"
        checked = citation.checked_on.isoformat() if citation else "-"
        rows.append(f"| `{model.alias}` | {pages} | {checked} |")
    return "\n".join(rows)
