"""What the configuration provider shares with core/ is core's: its copies are pinned here.

The provider's text is inlined into the template (`Code.ZipFile`): it cannot import core/, and `make docs` does not
rewrite it (any change of its text changes the template). So its copies are checked instead, from its source:

- `DATA_FLAGS`: core's delivery flags, every member of the `loggingConfig` a rollback may turn back on. A flag core
  adds and the provider does not list would be left as the new template says by a rollback: never narrowed, but
  not restored either.
- `MODE_ORDER`: core's order of the data retention modes, by which a rollback restores only a stricter mode.
- The Bedrock operations it calls: exactly those its role may be granted (core's logging Put and Delete, the data
  retention Put, the retention storage Put).

The check can fail: a provider copy with a flag missing, a mode order changed, or a further Bedrock call, and a
core that gained a flag, are each named.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from botocore import xform_name

from core.data_retention import modes, requests
from core.invocation_logging import configuration
from tests.support.configuration_provider import CODE_ROOT

PROVIDER = CODE_ROOT / "index.py"


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
    """What the provider at `path` holds unlike core/: `DATA_FLAGS`, `MODE_ORDER`, `Bedrock calls`."""
    tree = ast.parse(path.read_text())
    wrong = []
    if tuple(_assigned(tree, "DATA_FLAGS")) != tuple(configuration.DELIVERY_FLAGS.values()):
        wrong.append("DATA_FLAGS")
    if tuple(_assigned(tree, "MODE_ORDER")) != modes.MODE_ORDER:
        wrong.append("MODE_ORDER")
    granted = {
        configuration.PUT_LOGGING_CONFIGURATION,
        configuration.DELETE_LOGGING_CONFIGURATION,
        requests.PUT_DATA_RETENTION,
        requests.PUT_RETENTION_STORAGE,
    }
    if _bedrock_calls(tree) != {xform_name(operation) for operation in granted}:
        wrong.append("Bedrock calls")
    return wrong


def test_the_provider_holds_core_facts() -> None:
    assert provider_differences(PROVIDER) == []


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('    "audioDataDeliveryEnabled",\n)', ")", ["DATA_FLAGS"]),
        (
            'MODE_ORDER = ("none", "default", "aws_review"',
            'MODE_ORDER = ("default", "none", "aws_review"',
            ["MODE_ORDER"],
        ),
        (
            "    kind = settings.resources()",
            "    bedrock.delete_account_data_retention_storage(modelProvider='anthropic')\n"
            "    kind = settings.resources()",
            ["Bedrock calls"],
        ),
    ],
    ids=["flag", "mode-order", "call"],
)
def test_a_provider_changed_alone_is_named(tmp_path: Path, old: str, new: str, named: list[str]) -> None:
    text = PROVIDER.read_text()
    assert text.count(old) == 1, old
    copy = tmp_path / "index.py"
    copy.write_text(text.replace(old, new))
    assert provider_differences(copy) == named


def test_a_flag_core_adds_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(configuration, "DELIVERY_FLAGS", {**configuration.DELIVERY_FLAGS, "code": "codeDataDelivery"})
    assert provider_differences(PROVIDER) == ["DATA_FLAGS"]
