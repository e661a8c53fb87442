"""Bedrock model invocation logging: encrypted, retained, tamper-resistant, one configuration per Region."""
