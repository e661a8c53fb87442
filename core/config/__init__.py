"""The validated configuration: `load_config(context) -> AppConfig`, one typed section per capability."""

from core.config.access import AccessConfig
from core.config.alarms import AlarmsConfig
from core.config.app import DEFAULTS, KEYS, REMOVED_KEYS, RENAMED_KEYS, AppConfig, load_config
from core.config.data_retention import DataRetentionConfig, StorageActions
from core.config.guardrails import GuardrailDefinition, GuardrailsConfig
from core.config.invocation_logging import LoggingConfig, LogReplica
from core.config.invoker import InvokerConfig
from core.config.models import ModelsConfig, deprecation_warnings
from core.config.organization import Amount, OrganizationConfig
from core.config.scp import ScpConfig
from core.config.teams import TeamConfig
from core.config.values import ConfigError

__all__ = [
    "DEFAULTS",
    "KEYS",
    "REMOVED_KEYS",
    "RENAMED_KEYS",
    "AccessConfig",
    "AlarmsConfig",
    "Amount",
    "AppConfig",
    "ConfigError",
    "DataRetentionConfig",
    "GuardrailDefinition",
    "GuardrailsConfig",
    "InvokerConfig",
    "LogReplica",
    "LoggingConfig",
    "ModelsConfig",
    "OrganizationConfig",
    "ScpConfig",
    "StorageActions",
    "TeamConfig",
    "deprecation_warnings",
    "load_config",
]
