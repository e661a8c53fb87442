# Two entry points for a fresh machine (no AWS account, no Docker needed):
#   make synth   install what is needed, synthesize every stack with every rule pack, write the compliance report
#   make test    install what is needed, then lint, type-check and run the whole test suite
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# node_modules/.bin first: the pinned CDK CLI and a supported Node.js (from the npm registry) for jsii.
export PATH := $(CURDIR)/node_modules/.bin:$(BIN):$(PATH)
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_DISABLE_CLI_TELEMETRY := true

# Extra CDK CLI arguments for deploy, diff and destroy, e.g. ARGS="-c account=111122223333 -c regions=eu-west-1"
ARGS ?=

.PHONY: help setup synth test lint typecheck unit docs scp audit catalog-check bench deploy diff destroy clean \
	deploy-organization diff-organization destroy-organization audit-organization archive-policy

help:
	@echo "make synth    - synthesize every stack with every rule pack (templates in cdk.out/, report in reports/)"
	@echo "make test     - lint, type-check and run the whole test suite"
	@echo "make diff     - compare the stacks with what is deployed (AWS credentials; ARGS=\"-c key=value ...\")"
	@echo "make deploy   - deploy every stack of every configured Region (AWS credentials, bootstrapped account)"
	@echo "make destroy  - delete the stacks; logs, keys and the logging configuration are kept by default"
	@echo "make scp      - print the Service Control Policy statements for the configured scope"
	@echo "make audit    - read-only audit of the deployed account against the configuration (AWS credentials)"
	@echo "make catalog-check - read-only check of the model catalog against the account, per Region (ARGS=--json)"
	@echo "make deploy-organization / diff-organization / destroy-organization"
	@echo "               - only the ClaudeOrganization stack (StackSets administrator account; organization_targets)"
	@echo "make audit-organization - the audit in every account under organization_targets (ARGS=--json)"
	@echo "make archive-policy     - the central archive's bucket and key policy statements (organization_archive_*)"
	@echo "make docs     - regenerate the tables in docs/ from their owners (catalog, error mapping, keys)"
	@echo "make bench    - run the benchmarks and print a table"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

.venv-checkov/.installed: requirements-checkov.txt
	test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	node --version
	touch $@

setup: $(VENV)/.installed .venv-checkov/.installed node_modules/.installed

synth: setup
	rm -rf cdk.out
	cdk synth --quiet
	$(BIN)/python -m compliance.report cdk.out reports --context cdk.json
	@echo "Templates: $(CURDIR)/cdk.out/*.template.json"
	@echo "Rule packs: AwsSolutions, HIPAA Security, NIST 800-53 rev 5, PCI DSS 3.2.1 (synthesis fails on any unacknowledged finding)"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy core stacks compliance tools app.py
	cd lambda/invoker && $(BIN)/mypy --config-file $(CURDIR)/pyproject.toml --cache-dir $(CURDIR)/.mypy_cache .
	cd lambda/logging_configuration && $(BIN)/mypy --config-file $(CURDIR)/pyproject.toml --cache-dir $(CURDIR)/.mypy_cache .
	cd lambda/log_audit && MYPYPATH=$(CURDIR) $(BIN)/mypy --config-file $(CURDIR)/pyproject.toml --cache-dir $(CURDIR)/.mypy_cache .

unit: setup
	$(BIN)/python -m pytest -n 2 --dist loadscope

test: lint typecheck unit

docs: $(VENV)/.installed
	$(BIN)/python -m tools.doc_tables --write

deploy: setup
	cdk deploy --all --require-approval broadening $(ARGS)

diff: setup
	cdk diff --all $(ARGS)

destroy: setup
	cdk destroy --all $(ARGS)

scp: $(VENV)/.installed
	$(BIN)/python app.py scp

bench: setup
	$(BIN)/python bench/run.py

audit: $(VENV)/.installed
	$(BIN)/python app.py audit

catalog-check: $(VENV)/.installed
	$(BIN)/python app.py catalog-check $(ARGS)

# The organization rollout: only the stack holding the StackSet, in the StackSets administrator account.
deploy-organization: setup
	cdk deploy ClaudeOrganization --require-approval broadening $(ARGS)

diff-organization: setup
	cdk diff ClaudeOrganization $(ARGS)

destroy-organization: setup
	cdk destroy ClaudeOrganization $(ARGS)

audit-organization: $(VENV)/.installed
	$(BIN)/python app.py audit --organization $(ARGS)

archive-policy: $(VENV)/.installed
	$(BIN)/python app.py archive-policy

clean:
	rm -rf cdk.out reports .pytest_cache .mypy_cache .ruff_cache
