"""The project's facts and rules in plain Python: no AWS CDK here.

The model catalog, the IAM statements Bedrock authorizes, the logging-configuration request, retention rules,
rule-pack names and the validated configuration. The CDK constructs (`stacks/`), the command-line tools
(`app.py`), the compliance report and audit (`compliance/`) and the tests read this package; it reads none of them.
"""
