"""Helpers shared by the tests, and only here: synthesis, template reading, the invoker's fakes, the moto account.

Importing this package imports nothing: each module pulls in only what it needs (`tests.support.invoker` and
`tests.support.bedrock_runtime` are plain Python, so the benchmarks can use them without jsii or boto3).
"""
