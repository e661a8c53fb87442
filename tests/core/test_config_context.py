"""Context as the pinned CDK CLI assembles it (core/config/context.py), checked against the CLI's own code and
against what every key's reader accepts from the command line."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from core.config import DEFAULTS, ConfigError, load_config
from core.config.context import (
    Layer,
    command_line_layer,
    deep_merge,
    environment_name,
    is_cli_key,
    merge_layers,
    split_context_arguments,
)
from tests.support.project import PROJECT_CONTEXT, ROOT, TEST_DAY

CLI = (ROOT / "node_modules" / "aws-cdk" / "lib" / "index.js").read_text()


def test_the_pinned_cli_still_reads_context_the_way_this_module_says() -> None:
    """The CLI's code this module mirrors: -c split at the first '=' and kept as text, the later assignment winning;
    bags from the command line down to ~/.cdk.json, merged lowest first with deepMerge."""
    parse = CLI[CLI.index("async function parseStringContextListToObject") :][:900]
    assert "const parts = assignment.split(/=(.*)/, 2);" in parse
    assert "context[parts[0]] = parts[1];" in parse
    assert "User-provided context cannot use keys prefixed with 'aws:'" in parse
    load = CLI[CLI.index("async loadConfigFiles(readUserContext)") :]
    bags = load[load.index("const contextSources = [") :][:700]
    order = re.findall(r"bag: (this\.commandLineContext|this\.projectConfig\.subSettings|this\.projectContext)", bags)
    assert order == ["this.commandLineContext", "this.projectConfig.subSettings", "this.projectContext"]
    assert "USER_DEFAULTS" in bags  # ~/.cdk.json last: the lowest
    merged = CLI[CLI.index("      get all() {\n        let ret = new Settings();") :][:200]
    assert "for (const bag of [...this.bags].reverse())" in merged and "ret = ret.merge(bag);" in merged


def test_every_key_the_cli_adds_for_the_app_is_known_as_the_clis() -> None:
    """The CLI hands the app keys of its own beside the user's (`contextFromSettings`); none is configuration, so
    none may pass for a -c given by the user."""
    body = CLI[CLI.index("function contextFromSettings(settings) {") :]
    body = body[: body.index("\n}\n")]
    constants = re.findall(r"context\[cxapi\d*\.(\w+)\]", body)
    literal = re.findall(r'context\["([^"]+)"\]', body)
    added = [re.search(rf'exports2\.{name} = "([^"]+)"', CLI).group(1) for name in constants] + literal  # type: ignore[union-attr]
    assert "@aws-cdk/core:failSynthOnValidationErrors" in added and len(added) >= 6
    assert [key for key in added if not is_cli_key(key)] == []


def test_context_arguments_are_split_as_the_cli_splits_them() -> None:
    context, rest = split_context_arguments(
        ["--json", "-c", "regions=eu-west-1,eu-central-1", "--context", "teams=[]", "--context=a_b=x=y", "-c", "a_b=z"]
    )
    assert rest == ["--json"]
    # Text, whatever it looks like; split at the first '='; the later assignment wins.
    assert context == {"regions": "eu-west-1,eu-central-1", "teams": "[]", "a_b": "z"}
    assert split_context_arguments(["-c", "account="]) == ({"account": ""}, [])


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["-c", "log_retention_days"], "-c 'log_retention_days' is not KEY=VALUE, e.g. -c log_retention_days=90"),
        (["-c"], "-c takes KEY=VALUE, e.g. -c log_retention_days=90"),
        (["-c", "=90"], "-c '=90' is not KEY=VALUE, e.g. -c log_retention_days=90"),
        (["-c", "aws:cdk:x=1"], "-c aws:cdk:x: keys starting with 'aws:' are the CDK's own; use another key"),
    ],
)
def test_an_assignment_the_cli_would_not_use_is_refused(args: list[str], line: str) -> None:
    """The CLI only warns about an argument without '=' and drops it; here it is refused, not dropped."""
    with pytest.raises(ValueError) as error:
        split_context_arguments(args)
    assert str(error.value) == line


def test_layers_merge_objects_key_by_key_and_replace_everything_else() -> None:
    low = {"a": {"x": 1, "y": [1, 2]}, "b": [1], "c": "low", "d": 1}
    high = {"a": {"y": [3]}, "b": [2], "c": None}
    assert deep_merge([low, high]) == {"a": {"x": 1, "y": [3]}, "b": [2], "c": "low", "d": 1}
    assert low["a"] == {"x": 1, "y": [1, 2]}  # the layers themselves are left as they were


def test_what_the_cli_added_is_what_differs_from_the_files() -> None:
    files = {"regions": ["us-east-1"], "endpoint_scope": "global", "log_retention_days": 30}
    given = {**files, "regions": "eu-west-1", "log_retention_days": 30, "aws:cdk:enable-path-metadata": True}
    assert command_line_layer(given, files) == {"regions": "eu-west-1"}
    assert command_line_layer({}, files) == {}  # run directly: nothing handed over


def test_the_environment_file_sits_between_the_files_and_the_command_line() -> None:
    files = [Layer("cdk.json", {"regions": ["us-east-1"], "log_retention_days": 30, "endpoint_scope": "global"})]
    environment = Layer("config/prod.json", {"regions": ["eu-west-1"], "log_retention_days": 90})
    effective = merge_layers(files, environment, {"log_retention_days": "365"})
    assert effective.values == {"regions": ["eu-west-1"], "log_retention_days": "365", "endpoint_scope": "global"}
    assert effective.sources == ("cdk.json", "config/prod.json", "-c")
    assert merge_layers(files, None, {}).sources == ("cdk.json",)


def test_the_environment_is_named_on_the_command_line_or_in_a_file() -> None:
    assert environment_name({}, {"env": "prod"}) == "prod"
    assert environment_name({"env": "test"}, {"env": "prod"}) == "prod"
    assert environment_name({"env": "test"}, {}) == "test"
    assert environment_name({}, {"env": ""}) is None
    with pytest.raises(ConfigError, match=r"^env: '\.\./secrets' is not valid; allowed: the name of a file config/"):
        environment_name({}, {"env": "../secrets"})


def as_command_line_text(value: Any) -> str:
    """What a user types after `-c key=` for a value: text as is, the rest as JSON (true, 30, [...])."""
    return value if isinstance(value, str) else json.dumps(value)


@pytest.mark.parametrize("key", list(DEFAULTS))
def test_every_key_takes_its_cdk_json_value_as_command_line_text(key: str) -> None:
    """The loader is generic: whatever key a section adds, `-c key=<its cdk.json value>` configures the same thing
    as cdk.json itself (the CLI hands every -c value over as text)."""
    value = PROJECT_CONTEXT.get(key, DEFAULTS[key])
    typed = load_config(PROJECT_CONTEXT, today=TEST_DAY)
    texted = load_config({**PROJECT_CONTEXT, key: as_command_line_text(value)}, today=TEST_DAY)
    assert texted == typed
