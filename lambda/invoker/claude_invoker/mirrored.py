"""Constants the function shares with core/, generated from their owners by `make docs` (tools/mirrors.py).

Do not edit the lines between `# generated:mirrors` and `# end:mirrors`: change the owner named beside each one in
core/ and run `make docs`. The function's package holds only lambda/invoker, so it cannot import core/ at run time;
these copies stand in, and tests/lambda/invoker/test_mirrors.py fails when one differs from its owner. What the
function emits by name (metric names and units, request-metadata keys, log fields) is pinned by running it instead
(tests/lambda/invoker/test_usage_contract.py).
"""

# generated:mirrors
# The values CLAUDE_ENDPOINT_SCOPE may take (core.catalog.scopes.SCOPES)
SCOPES = ("global", "us", "eu", "jp", "apac", "au")
# The values CLAUDE_MODELS.<alias>.sampling may take (core.catalog.models.Sampling)
SAMPLING = ("any", "temperature_or_top_p", "fixed", "near_default", "near_default_one_of")
# The values CLAUDE_MODELS.<alias>.thinking_modes may list (core.catalog.models.ThinkingMode)
THINKING_MODES = ("adaptive", "enabled")
# The sampling parameters: CLAUDE_MODELS.<alias>.sampling 'fixed' refuses them (core.catalog.models.SAMPLING_FIELDS)
SAMPLING_FIELDS = ("temperature", "top_p", "top_k")
# The values CLAUDE_MODELS.<alias>.api_versions may list (core.catalog.models.ApiVersion)
API_VERSIONS = ("bedrock-2023-05-31", "2026-10-21")
# The API version that removes sampling fields and two content forms (core.catalog.apis.API_VERSION_2026_10_21)
API_VERSION_2026_10_21 = "2026-10-21"
# The request fields API version 2026-10-21 removed (core.catalog.apis.REMOVED_SAMPLING_FIELDS)
REMOVED_SAMPLING_FIELDS = ("temperature", "top_p", "top_k")
# The content API version 2026-10-21 refuses: (role, block type, field) (core.catalog.apis.REMOVED_CONTENT)
REMOVED_CONTENT = (("assistant", "document", ""), ("user", "text", "citations"))
# BEDROCK_SERVICE_TIER and bedrock_service_tier values (core.config.invoker.SERVICE_TIERS)
SERVICE_TIERS = ("priority", "default", "flex", "reserved")
# BEDROCK_PERFORMANCE_LATENCY and bedrock_latency values (core.config.invoker.LATENCIES)
LATENCIES = ("standard", "optimized")
# The largest INVOKER_TIMEOUT_SECONDS and BEDROCK_READ_TIMEOUT_SECONDS (core.config.invoker.MAX_TIMEOUT_SECONDS)
MAX_TIMEOUT_SECONDS = 900
# The largest INVOKER_RESULTS_RETENTION_DAYS (core.config.invoker.MAX_RESULTS_RETENTION_DAYS)
MAX_RESULTS_RETENTION_DAYS = 14
# BEDROCK_CONNECT_TIMEOUT_SECONDS when unset (core.invoker.environment.CONNECT_TIMEOUT_SECONDS)
CONNECT_TIMEOUT_SECONDS = 5
# BEDROCK_MAX_ATTEMPTS when unset (core.invoker.environment.MAX_ATTEMPTS)
MAX_ATTEMPTS = 3
# The prefix of the answers kept in the results bucket (core.invoker.environment.RESULTS_PREFIX)
RESULTS_PREFIX = "results/"
# The dimensions of the function's metrics (core.usage.metrics.INVOKER_DIMENSIONS)
INVOKER_DIMENSIONS = ("Model", "Scope", "service")
# The dimensions of its Errors metric (core.usage.metrics.INVOKER_ERROR_DIMENSIONS)
INVOKER_ERROR_DIMENSIONS = ("ErrorType", "Model", "Scope", "service")
# The dimensions of its metrics per caller (core.usage.metrics.INVOKER_CALLER_DIMENSIONS)
INVOKER_CALLER_DIMENSIONS = ("Caller", "service")
# The message of its log line for a successful call (core.usage.queries.INVOKER_SUCCESS_MESSAGE)
INVOKER_SUCCESS_MESSAGE = "Claude invocation succeeded"
# The value of `invoker` in the request metadata it sends (core.usage.queries.INVOKER_METADATA_VALUE)
INVOKER_METADATA_VALUE = "claude-invoker"
# end:mirrors
