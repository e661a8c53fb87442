"""Whether the configured models can run under the configured data retention mode, and whether the mode keeps
more than they need.

"If your account or project is configured for zero data retention (`data_retention_mode: none`) and you invoke a
model that requires retention, Amazon Bedrock will block the request"; "A model is available to you when your
effective mode is at or above the mode that model requires" (user guide, "Data retention",
https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html). A model's `retention_modes` (the catalog,
or `extra_models`) lists the modes its card allows; empty: it runs under any mode.
"""

from __future__ import annotations

from core.catalog.models import ClaudeModel
from core.config import AppConfig, ConfigError
from core.data_retention.modes import MODE_ORDER, RETAINING_MODES


def configured_models(config: AppConfig) -> dict[str, tuple[ClaudeModel, str]]:
    """Every model the configuration lets anyone call, by alias, with the key that names it first."""
    found: dict[str, tuple[ClaudeModel, str]] = {}
    for model in config.models.allowed:
        found.setdefault(model.alias, (model, "models"))
    for team in config.teams:
        for model in team.models:
            found.setdefault(model.alias, (model, f"teams[{team.name}].models"))
    return found


def modes_text(model: ClaudeModel) -> str:
    """The modes `model` runs under, from the least retained: "aws_review or provider_data_share"."""
    return " or ".join(sorted(model.retention_modes, key=MODE_ORDER.index))


def admits(mode: str, model: ClaudeModel) -> bool:
    """Whether `model` runs under `mode`: a model without a requirement runs under any mode."""
    return not model.retention_modes or mode in model.retention_modes


def check_models_run_under_the_mode(config: AppConfig) -> None:
    """Refuse, in one line, a configured model whose card requires a mode the configuration does not set."""
    mode = config.data_retention.mode
    if mode is None:
        return
    for model, key in configured_models(config).values():
        if not admits(mode, model):
            least = min(model.retention_modes, key=MODE_ORDER.index)
            raise ConfigError(
                f"data_retention_mode: {model.alias} ({key}) runs only under {modes_text(model)}, not {mode}; "
                f"set data_retention_mode={least} (its traffic is then retained) or remove {model.alias} from {key}"
            )


def retention_warnings(config: AppConfig) -> list[str]:
    """One line per configuration that retains more than the models need, or leaves a requirement to the user."""
    retention = config.data_retention
    needing = [model for model, _ in configured_models(config).values() if model.retention_modes]
    lines = []
    if retention.mode is None:
        lines += [
            f"data_retention_mode: unmanaged; {model.alias} runs only under {modes_text(model)}: set the account's "
            "mode in each Region yourself"
            for model in needing
        ]
    elif retention.mode in RETAINING_MODES and not needing:
        lines.append(
            f"data_retention_mode: {retention.mode} retains prompts and outputs although no configured model requires "
            "it; none (zero data retention) serves every configured model"
        )
    if retention.storage is not None and retention.mode == "none":
        lines.append(
            f"data_retention_storage: {retention.storage} while data_retention_mode is none: nothing is retained there"
        )
    return lines
