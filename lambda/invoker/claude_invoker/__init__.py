"""The Claude invoker's logic: configuration, request validation, the Bedrock call, error mapping and telemetry.

Plain functions and small classes with the Bedrock client injected, so everything here runs without Lambda.
Only the standard library and botocore are imported here.
"""
