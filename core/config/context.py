"""Context as the pinned CDK CLI assembles it, and the one place it is layered for every command.

The CDK CLI (node_modules/aws-cdk/lib/index.js, version pinned in package.json):
- `-c KEY=VALUE` / `--context KEY=VALUE` (`parseStringContextListToObject`): split at the first `=`; the value stays
  text, JSON-looking or not (`-c regions=["eu-west-1"]` is the string `["eu-west-1"]`); a later `-c` of the same key
  wins; an argument without `=` is only warned about there (refused here); user keys may not start with `aws:`.
- the layers (`Configuration.loadConfigFiles`, `Context.all`): `~/.cdk.json`'s context, then `cdk.context.json`,
  then `cdk.json`'s context, then the command line, each merged over the one before by `deepMerge` (an object is
  merged key by key, anything else replaces).
- the app receives the result as JSON in `CDK_CONTEXT_JSON` (`writeContextToEnv`), the files and `-c` merged.

This project adds one layer, an environment file, between `cdk.json` and the command line: `-c env=NAME` (in any
layer) reads `config/NAME.json`, an object of configuration keys. Under the CDK CLI the app only sees the merged
context, so what came from the command line is recovered as what differs from the files (`command_line_layer`).
"""

from __future__ import annotations

import copy as deep_copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.config.values import ConfigError

# The key naming the environment file; `-c env=prod` reads config/prod.json.
ENVIRONMENT_KEY = "env"
ENVIRONMENT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
CONTEXT_FLAGS = ("-c", "--context")
# Keys the CDK CLI itself sets for the app (`contextFromSettings`: path and asset metadata, version reporting,
# bundling, and whether synthesis fails on validation errors): not configuration. User keys may not use the prefix.
CLI_PREFIX = "aws:"
CLI_KEYS = ("@aws-cdk/core:failSynthOnValidationErrors",)
COMMAND_LINE = "-c"


@dataclass(frozen=True)
class Layer:
    """One source of context: its name as the help and the report show it, and the values it gives."""

    source: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class EffectiveContext:
    """The context every command reads, and the names of the layers that gave values, lowest first."""

    values: Mapping[str, Any]
    sources: tuple[str, ...]


def split_context_arguments(args: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """(`-c`/`--context` assignments as the CDK CLI reads them, the other arguments); ValueError with the one line
    to print for an assignment it would not use."""
    context: dict[str, str] = {}
    rest: list[str] = []
    remaining = list(args)
    while remaining:
        arg = remaining.pop(0)
        flag, joined, inline = arg.partition("=")
        if arg in CONTEXT_FLAGS:
            if not remaining:
                raise ValueError(f"{arg} takes KEY=VALUE, e.g. {arg} log_retention_days=90")
            assignment = remaining.pop(0)
        elif joined and flag == "--context":
            assignment = inline
        else:
            rest.append(arg)
            continue
        key, equals, value = assignment.partition("=")
        if not equals or not key:
            raise ValueError(f"-c {assignment!r} is not KEY=VALUE, e.g. -c log_retention_days=90")
        if key.startswith(CLI_PREFIX):
            raise ValueError(f"-c {key}: keys starting with '{CLI_PREFIX}' are the CDK's own; use another key")
        context[key] = value
    return context, rest


def deep_merge(layers: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The CDK CLI's `deepMerge`: later layers over earlier ones, objects merged key by key, other values replaced
    (a list too); None skipped, as the CLI skips `undefined`."""
    merged: dict[str, Any] = {}
    for layer in layers:
        _merge_into(merged, layer)
    return merged


def _merge_into(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    for key, value in source.items():
        if isinstance(value, Mapping):
            if not isinstance(target.get(key), dict):
                target[key] = {}
            _merge_into(target[key], value)
        elif value is not None:
            target[key] = deep_copy.deepcopy(value)


def command_line_layer(given: Mapping[str, Any], files: Mapping[str, Any]) -> dict[str, Any]:
    """What the CDK CLI added over the files in the context it handed the app: each key whose value differs from
    the files' (the CLI's own keys left out).

    A `-c` value equal to the files' own cannot be told apart from none; it changes nothing unless an environment
    file sets the same key, and then the environment file's value applies (docs/platform/configuration.md)."""
    return {
        key: value for key, value in given.items() if not is_cli_key(key) and (key not in files or files[key] != value)
    }


def is_cli_key(key: str) -> bool:
    return key.startswith(CLI_PREFIX) or key in CLI_KEYS


def environment_name(files: Mapping[str, Any], command_line: Mapping[str, Any]) -> str | None:
    """The environment named by `env` (the command line's over the files'), or None; ConfigError for a bad name."""
    name = command_line.get(ENVIRONMENT_KEY, files.get(ENVIRONMENT_KEY))
    if name in (None, ""):
        return None
    if not isinstance(name, str) or not ENVIRONMENT_NAME.match(name):
        raise ConfigError(
            f"{ENVIRONMENT_KEY}: {name!r} is not valid; allowed: the name of a file config/NAME.json "
            "(lower-case letters, digits, - and _)"
        )
    return name


def merge_layers(
    files: Sequence[Layer], environment: Layer | None, command_line: Mapping[str, Any]
) -> EffectiveContext:
    """The files (lowest first), then the environment file, then the command line, merged as the CDK CLI merges;
    the sources named are those that gave at least one value."""
    layers = [*files, *([environment] if environment else []), Layer(COMMAND_LINE, command_line)]
    values = deep_merge(layer.values for layer in layers)
    return EffectiveContext(values, tuple(layer.source for layer in layers if layer.values))


def without_cli_keys(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context without the keys the CDK CLI sets for itself: the configuration to record."""
    return {key: value for key, value in context.items() if not is_cli_key(key)}
