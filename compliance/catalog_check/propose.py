"""`catalog-check --propose`: the catalog entries an account shows are missing or stale, as Python source to review.

From each configured Region (its source Region) the account tells, per Anthropic model: which system-defined
profiles it offers there (ListInferenceProfiles: `<scope>.anthropic.claude…`), where each geographic one routes
from there (GetInferenceProfile: the Regions of `models[].modelArn`), and its lifecycle (ListFoundationModels:
`modelLifecycle.status`, `endOfLifeTime`). For every Claude model the account offers that the catalog lacks, or
describes differently in those facts, it prints one `ClaudeModel(...)` in the form of core/catalog/claude_models.py:

- a model the catalog has keeps every fact the account cannot tell, with its profiles and lifecycle corrected from
  what the Regions read show (a source Region the account does not offer the profile from is dropped);
- a model the catalog lacks gets the profiles of the Regions read only, and `TODO` for what only its AWS card says
  (name, context window, output, thinking, sampling, Marketplace product, data retention, access, launch and
  "EOL no sooner than" dates, the other source Regions).

Nothing is written: the block is for a person to check against the card and paste (docs/platform/models.md, "Adding
a model on the day AWS launches it").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from datetime import date

from botocore.exceptions import BotoCoreError, ClientError

from compliance.aws import Client, Session, client, error_text
from compliance.catalog_check.account import (
    end_of_life_dates,
    foundation_models,
    lifecycle_statuses,
    routed_regions,
    system_defined_profiles,
)
from compliance.catalog_check.compare import LIST_PROFILES, Unreadable
from core.catalog.lookup import Catalog
from core.catalog.models import Citation, ClaudeModel, Lifecycle, Profile, geographic_profile, global_profile
from core.catalog.scopes import GLOBAL, SCOPES

CLAUDE = "anthropic.claude"
_VERSION_SUFFIX = re.compile(r"(-\d{8})?(-v\d+(:\d+)?)?$")


@dataclass(frozen=True)
class RegionOffer:
    """What one source Region's Bedrock showed of the Claude models: model ID -> scope -> destinations (empty for
    the global profile; None when GetInferenceProfile could not say), and lifecycles."""

    region: str
    profiles: Mapping[str, Mapping[str, frozenset[str] | None]]
    statuses: Mapping[str, str | None] = field(default_factory=dict)
    end_of_life: Mapping[str, date] = field(default_factory=dict)
    failures: tuple[Unreadable, ...] = ()


@dataclass(frozen=True)
class Proposal:
    model: ClaudeModel
    known: bool  # the catalog has the model: only the facts an account shows changed
    why: tuple[str, ...]


def base_id(model_id: str) -> str:
    """A provisioned-throughput variant (`…-v1:0:200k`) is its model."""
    return ":".join(model_id.split(":")[:2])


def _claude_profile(profile_id: str) -> tuple[str, str] | None:
    endpoint_scope, _, model_id = profile_id.partition(".")
    if endpoint_scope in SCOPES and model_id.startswith(CLAUDE):
        return endpoint_scope, model_id
    return None


def read_offer(bedrock: Client, region: str) -> RegionOffer:
    """Every Claude profile of the Region, the routing of its geographic ones, and the lifecycles."""
    failures: list[Unreadable] = []
    profiles: dict[str, dict[str, frozenset[str] | None]] = {}
    try:
        listed = system_defined_profiles(bedrock)
    except (ClientError, BotoCoreError) as error:
        return RegionOffer(region, {}, failures=(Unreadable(LIST_PROFILES, error_text(error)),))
    for profile_id in sorted(listed):
        found = _claude_profile(profile_id)
        if found is None:
            continue
        endpoint_scope, model_id = found
        routes: frozenset[str] | None = frozenset()
        if endpoint_scope != GLOBAL:
            routed = routed_regions(bedrock, profile_id)
            if isinstance(routed, Unreadable):
                failures.append(routed)
            routes = routed if isinstance(routed, frozenset) else None
        profiles.setdefault(model_id, {})[endpoint_scope] = routes
    summaries = foundation_models(bedrock)
    if isinstance(summaries, Unreadable):
        return RegionOffer(region, profiles, failures=(*failures, summaries))
    claude = [s for s in summaries if str(s.get("modelId", "")).startswith(CLAUDE)]
    statuses = {base_id(k): v for k, v in lifecycle_statuses(claude).items()}
    ends = {base_id(k): v for k, v in end_of_life_dates(claude).items()}
    return RegionOffer(region, profiles, statuses, ends, tuple(failures))


def _routes(known: ClaudeModel | None, offers: Iterable[RegionOffer], model_id: str) -> tuple[Profile, ...]:
    """The catalog's profiles (none for a new model) with each Region read put as the account shows it."""
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for scope_profile in known.profiles if known else ():
        table[scope_profile.endpoint_scope] = dict(scope_profile.routes)
    for offer in offers:
        offered = offer.profiles.get(model_id, {})
        for endpoint_scope in SCOPES:
            routes = table.setdefault(endpoint_scope, {})
            destinations = offered.get(endpoint_scope)
            if endpoint_scope not in offered:
                routes.pop(offer.region, None)
            elif destinations is not None and set(destinations) != set(routes.get(offer.region, ("-",))):
                routes[offer.region] = tuple(sorted(destinations))
    profiles = []
    for endpoint_scope in SCOPES:
        routes = table.get(endpoint_scope) or {}
        if routes:
            profiles.append(
                global_profile(tuple(routes))
                if endpoint_scope == GLOBAL
                else geographic_profile(endpoint_scope, routes)
            )
    return tuple(profiles)


def _lifecycle(known: ClaudeModel | None, offers: list[RegionOffer], model_id: str, today: date) -> Lifecycle:
    life = known.lifecycle if known else Lifecycle()
    statuses = {o.statuses[model_id] for o in offers if o.statuses.get(model_id)}
    ends = sorted({o.end_of_life[model_id] for o in offers if model_id in o.end_of_life})
    if ends:
        life = replace(life, end_of_life_on=ends[0])
    if "LEGACY" in statuses and life.status_on(today) == "active":
        life = replace(life, legacy_undated=True)  # the date is on the card or "Model lifecycle"
    elif statuses == {"ACTIVE"} and life.status_on(today) == "legacy":
        life = replace(life, legacy_on=None, legacy_undated=False)
    return life


def _routing(model: ClaudeModel, endpoint_scope: str) -> dict[str, frozenset[str]]:
    scope_profile = model.profile(endpoint_scope)
    return {s: frozenset(d) for s, d in scope_profile.routes} if scope_profile else {}


def _differences(known: ClaudeModel, proposed: ClaudeModel) -> tuple[str, ...]:
    why = []
    for endpoint_scope in SCOPES:
        if _routing(known, endpoint_scope) != _routing(proposed, endpoint_scope):
            why.append(f"its '{endpoint_scope}' profile differs in the Regions read")
    if known.lifecycle != proposed.lifecycle:
        why.append("its lifecycle differs from ListFoundationModels")
    return tuple(why)


def proposals(catalog: Catalog, offers: list[RegionOffer], today: date) -> list[Proposal]:
    """A proposal per Claude model the Regions read offer that the catalog lacks or describes differently."""
    # Offered: through a profile, or ACTIVE; a LEGACY model the catalog lacks is one it dropped (as the check says).
    offered = {base_id(m) for o in offers for m in o.profiles}
    offered |= {m for o in offers for m, status in o.statuses.items() if status == "ACTIVE"}
    offered |= {m for o in offers for m, status in o.statuses.items() if status == "LEGACY" and catalog.find(m)}
    found = []
    for model_id in sorted(offered):
        known = catalog.find(model_id)
        profiles = _routes(known, offers, model_id)
        lifecycle = _lifecycle(known, offers, model_id, today)
        if known is None:
            alias = _VERSION_SUFFIX.sub("", model_id.removeprefix("anthropic."))
            model = ClaudeModel(alias, _name(alias), model_id, profiles, lifecycle)
            found.append(Proposal(model, False, ("the catalog lacks it",)))
            continue
        proposed = replace(known, profiles=profiles, lifecycle=lifecycle)
        if why := _differences(known, proposed):
            found.append(Proposal(proposed, True, why))
    return found


def _name(alias: str) -> str:
    """`claude-fable-5-2` -> `Claude Fable 5.2` (the card's name is the reference: a TODO says so)."""
    words = alias.split("-")
    family = [w.title() for w in words if not w.isdigit()]
    version = ".".join(w for w in words if w.isdigit())
    return " ".join([*family, version]).strip()


def _tuple(values: Iterable[str]) -> str:
    items = [f'"{v}"' for v in values]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _profile_source(scope_profile: Profile) -> str:
    if scope_profile.endpoint_scope == GLOBAL:
        return f"global_profile({_tuple(scope_profile.sources)})"
    rows = ", ".join(f'"{s}": {_tuple(d)}' for s, d in scope_profile.routes)
    return f'geographic_profile("{scope_profile.endpoint_scope}", {{{rows}}})'


def _literal(value: object) -> str:
    """Python source of a catalog value, as claude_models.py writes it."""
    if isinstance(value, date):
        return f"date({value.year}, {value.month}, {value.day})"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, frozenset):
        return f"frozenset({{{', '.join(_literal(v) for v in sorted(value))}}})" if value else "frozenset()"
    if isinstance(value, tuple):
        items = [_literal(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, Lifecycle | Citation):
        parts = [f"{f.name}={_literal(getattr(value, f.name))}" for f in fields(value) if _changed(value, f)]
        return f"{type(value).__name__}({', '.join(parts)})"
    return repr(value)


def _changed(instance: object, spec: Field[object]) -> bool:
    """Whether a field differs from its default (fields without one are always written)."""
    value = getattr(instance, spec.name)
    if spec.default is not MISSING:
        return bool(value != spec.default)
    if spec.default_factory is not MISSING:
        return bool(value != spec.default_factory())
    return True


# What only the card (or Anthropic's pages) says of a model the catalog lacks: each field, and where to read it.
TODO_FIELDS = (
    ("context_window", "its card"),
    ("endpoints", "its card: bedrock-runtime, bedrock-mantle"),
    ("marketplace_product_id", "its card"),
    ("max_output_tokens", "its card"),
    ("thinking_modes", "its card, Bedrock: Adaptive thinking"),
    ("sampling", "its card, or Anthropic's migration guide"),
    ("count_tokens", "its card: Features supported using bedrock-runtime"),
    ("thinking_off", "its card, Bedrock: Adaptive thinking"),
    ("effort_default", "its card"),
    ("api_versions", "Anthropic: Versions"),
    ("retention_modes", "its card, Bedrock: Data retention"),
    ("gated", "its card: access"),
    ("regional_premium_percent", "Anthropic: Claude on Amazon Bedrock"),
)


def render(proposal: Proposal, regions: Iterable[str]) -> str:
    """The proposal as the catalog writes an entry, with what to check and what only the card says (`...`)."""
    model = proposal.model
    lines = [f"    # {model.model_id}: {'; '.join(proposal.why)} (source Regions read: {', '.join(regions)})"]
    lines += [
        "    ClaudeModel(",
        f'        "{model.alias}",',
        f'        "{model.name}",',
        f'        "{model.model_id}",',
    ]
    lines += ["        (", *(f"            {_profile_source(p)}," for p in model.profiles)]
    if proposal.known:
        lines.append("        ),")
        skipped = {"alias", "name", "model_id", "profiles"}
        for spec in fields(model):
            if spec.name not in skipped and _changed(model, spec):
                lines.append(f"        {spec.name}={_literal(getattr(model, spec.name))},")
        return "\n".join([*lines, "    ),"])
    lines += [
        "        ),  # TODO the other source Regions and the routing tables of its card",
        f"        lifecycle={_literal(model.lifecycle)},  # TODO launched_on, end_of_life_not_before, legacy_period",
        f'        api_names=("{model.alias}",),  # TODO Anthropic: Models overview',
        *(f"        {name}=...,  # TODO {where}" for name, where in TODO_FIELDS),
        f'        citation=card("{model.alias}", checked=...),  # TODO the day you read its card',
        "    ),",
    ]
    return "\n".join(lines)


def run_propose(catalog: Catalog, regions: tuple[str, ...], session: Session, today: date) -> tuple[str, list[str]]:
    """The proposals as Python source (or a line saying there are none), and one line per read that failed."""
    offers = [read_offer(client(session, "bedrock", region), region) for region in regions]
    failures = [f"Cannot read {f.action} in {o.region}: {f.error}" for o in offers for f in o.failures]
    found = proposals(catalog, offers, today)
    if not found:
        return (
            f"# The catalog describes every Claude model offered from {', '.join(regions)} as the account does.\n",
            failures,
        )
    blocks = [render(p, regions) for p in found]
    header = (
        f"# {len(found)} entr{'y' if len(found) == 1 else 'ies'} for core/catalog/claude_models.py, from "
        f"{', '.join(regions)}: check each against the model's AWS card before pasting it.\n"
    )
    return header + "\n".join(blocks) + "\n", failures
