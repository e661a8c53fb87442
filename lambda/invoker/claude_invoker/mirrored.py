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
SAMPLING = ("any", "temperature_or_top_p", "fixed")
# The values CLAUDE_MODELS.<alias>.thinking_modes may list (core.catalog.models.ThinkingMode)
THINKING_MODES = ("adaptive", "enabled")
# The thinking modes of a model offering only adaptive thinking (core.catalog.models.ADAPTIVE_ONLY)
ADAPTIVE_ONLY = frozenset({"adaptive"})
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
