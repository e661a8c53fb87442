"""What the configuration provider shares with core/ is core's: its copies are pinned here.

The provider's text is inlined into the template (`Code.ZipFile`): it cannot import core/, and `make docs` does not
rewrite it (any change of its text changes the template). So its copies are checked instead, from its source:

- `DESTINATIONS`: the members of core's `loggingConfig` that say where logs go, every member but the data flags. A
  rollback may restore the data flags and nothing else, so a destination core adds and the provider does not list
  could be redirected by a rollback.
- The Bedrock operations it calls: exactly the two its role is granted, core's `PUT_LOGGING_CONFIGURATION` and
  `DELETE_LOGGING_CONFIGURATION`.

The check can fail: a provider copy with a destination missing, or with a third Bedrock call, and a core that
gained a destination, are each named.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from botocore import xform_name

from core.invocation_logging import configuration
from tests.support.configuration_provider import CODE_ROOT

PROVIDER = CODE_ROOT / "index.py"


def _sample_configuration() -> dict[str, object]:
    return configuration.logging_config(bucket_name="b", log_group_name="g", role_arn="r", log_data=("text",))


def _assigned(tree: ast.Module, name: str) -> object:
    """The literal value the module assigns to `name` at its top level."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"the provider assigns no {name}")


def _bedrock_calls(tree: ast.Module) -> set[str]:
    """The methods the provider reaches on its Bedrock client (`bedrock.<method>`, called or passed to a retry)."""
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "bedrock"
    }


def provider_differences(path: Path) -> list[str]:
    """What the provider at `path` holds unlike core/: `DESTINATIONS`, `Bedrock calls`."""
    tree = ast.parse(path.read_text())
    wrong = []
    sample = _sample_configuration()
    destinations = set(sample) - set(configuration.DELIVERY_FLAGS.values())
    if set(_assigned(tree, "DESTINATIONS")) != destinations:
        wrong.append("DESTINATIONS")
    granted = {configuration.PUT_LOGGING_CONFIGURATION, configuration.DELETE_LOGGING_CONFIGURATION}
    if _bedrock_calls(tree) != {xform_name(operation) for operation in granted}:
        wrong.append("Bedrock calls")
    return wrong


def test_the_provider_holds_core_facts() -> None:
    assert provider_differences(PROVIDER) == []


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('DESTINATIONS = ("s3Config", "cloudWatchConfig")', 'DESTINATIONS = ("s3Config",)', ["DESTINATIONS"]),
        (
            "    configuration = configuration_to_put(event, settings, status)\n",
            "    bedrock.get_model_invocation_logging_configuration()\n"
            "    configuration = configuration_to_put(event, settings, status)\n",
            ["Bedrock calls"],
        ),
    ],
    ids=["destination", "call"],
)
def test_a_provider_changed_alone_is_named(tmp_path: Path, old: str, new: str, named: list[str]) -> None:
    text = PROVIDER.read_text()
    assert text.count(old) == 1, old
    copy = tmp_path / "index.py"
    copy.write_text(text.replace(old, new))
    assert provider_differences(copy) == named


def test_a_destination_core_adds_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    original = configuration.logging_config

    def with_a_stream(**kwargs: object) -> dict[str, object]:
        return {**original(**kwargs), "kinesisConfig": {"streamArn": "arn"}}

    monkeypatch.setattr(configuration, "logging_config", with_a_stream)
    assert provider_differences(PROVIDER) == ["DESTINATIONS"]
