"""The anthropic SDK's types that the invoker's answers are checked against, loaded at first use.

Importing the SDK takes about a second; at module level in the test files, every worker would pay it while
collecting, for the few modules that run on one of them. `sdk.Message` is `anthropic.types.Message`, and so on.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Message": "anthropic.types",
    "MessageTokensCount": "anthropic.types",
    "ErrorResponse": "anthropic.types.shared",
    "extract_error_code": "anthropic._exceptions",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}; add it to _WHERE")
    return getattr(importlib.import_module(_WHERE[name]), name)
