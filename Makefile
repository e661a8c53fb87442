# Two entry points for a fresh machine (no AWS account, no Docker needed):
#   make synth   install what synthesis needs, synthesize every stack with every rule pack, write the compliance report
#   make test    install the test and scan tools too, then lint, type-check and run the whole test suite
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
# Python writes bytecode when it first imports a module (PIP_INSTALL below counts on it), also where the environment
# says not to: otherwise every process compiles aws-cdk-lib's bindings, and pytest rewrites every test's asserts, again.
export PYTHONDONTWRITEBYTECODE :=
# Bytecode is written when a module is first imported, not for every module of every package at install time
# (aws-cdk-lib alone would compile about 200 MB of it).
PIP_INSTALL := -m pip install --quiet --disable-pip-version-check --no-compile

# Every target passes ARGS on: configuration keys (-c KEY=VALUE, -c env=NAME) to every target, the CDK CLI's own
# options to the cdk targets, a command's options to the app.py targets (e.g. ARGS=--json). An argument a target
# does not take is refused in one line.
ARGS ?=
# The development targets take no configuration: they refuse ARGS rather than drop it.
NO_ARGS = test -z "$(ARGS)" || { echo "make $@ takes no ARGS (given: $(ARGS)); configuration goes to synth, the cdk targets and the app.py commands" >&2; exit 2; }
# Without credentials, the targets that reach AWS stop at one line saying what to set (exit 3) before the CDK CLI
# synthesizes anything; with the CDK CLI's own --profile in ARGS, the CLI checks them itself.
CREDENTIALS = $(if $(findstring --profile,$(ARGS)),true,$(BIN)/python app.py credentials)

.PHONY: help everything setup synth test lint typecheck unit docs bench clean cdk bootstrap deploy diff destroy credentials \
	scp archive-policy audit audit-organization catalog-check report \
	deploy-organization diff-organization destroy-organization

help:
	@echo "Start here (no AWS account needed):"
	@echo "  make synth      - install what synthesis needs; synthesize every stack with every rule pack (cdk.out/),"
	@echo "                    write the compliance report (reports/)"
	@echo "  make test       - install the test and scan tools too; lint, type-check and run the whole test suite"
	@echo "Development:"
	@echo "  make setup      - install everything (.venv, .venv-checkov, node_modules); the targets below do it themselves"
	@echo "  make lint       - ruff check and ruff format --check"
	@echo "  make typecheck  - mypy (strict) on the app and on each Lambda code root"
	@echo "  make unit       - the test suite alone (pytest -n 2)"
	@echo "  make docs       - regenerate the tables of docs/ and the invoker's copies of core constants"
	@echo "  make bench      - run the benchmarks and write bench/RESULTS.md"
	@echo "  make clean      - remove cdk.out, reports and the tools' caches"
	@echo "  make help       - this list"
	@echo "Deploying (AWS credentials; ARGS=\"-c KEY=VALUE ...\" for every target):"
	@echo "  make credentials - say which AWS credentials the commands and the CDK CLI would use, or what to set"
	@echo "  make bootstrap  - cdk bootstrap every Region of regions in the account (once per account and Region)"
	@echo "  make diff       - compare the stacks with what is deployed"
	@echo "  make deploy     - deploy every stack of every configured Region"
	@echo "  make destroy    - delete the stacks; logs, keys and the logging configuration are kept by default"
	@echo "  make cdk ARGS=\"...\" - any cdk command with the pinned CLI and this project's Python"
	@echo "  make diff-organization, make deploy-organization, make destroy-organization"
	@echo "                  - only the ClaudeOrganization stack (StackSets administrator account; organization_targets)"
	@echo "Commands of app.py (python app.py --help):"
	@echo "  make scp        - print the Service Control Policy statements for the configured scope"
	@echo "  make archive-policy - the central archive's bucket and key policy statements (organization_archive_*)"
	@echo "  make audit      - read-only audit of the deployed account against the configuration (AWS credentials)"
	@echo "  make audit-organization - the audit in every account under organization_targets (AWS credentials)"
	@echo "  make catalog-check - read-only check of the model catalog against the account, per Region (ARGS=--json or --propose)"
	@echo "  make report     - the compliance report of cdk.out again (ARGS=--deployed: also as deployed)"

# What synthesis needs, what the commands that read an account add, then the test and scan tools.
$(VENV)/.synth: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python $(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.aws: $(VENV)/.synth requirements-aws.txt
	$(BIN)/python $(PIP_INSTALL) -r requirements-aws.txt
	touch $@

$(VENV)/.installed: $(VENV)/.aws requirements-dev.txt
	$(BIN)/python $(PIP_INSTALL) -r requirements-dev.txt
	touch $@

.venv-checkov/.installed: requirements-checkov.txt
	test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python $(PIP_INSTALL) -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	node --version
	touch $@

# Everything, for the development targets (which depend on `everything`, so their own ARGS check is theirs).
everything: $(VENV)/.installed .venv-checkov/.installed node_modules/.installed

setup: everything
	@$(NO_ARGS)

# The two installs download at the same time (pip from PyPI, npm from its registry): a first run waits for the
# slower one, not for both.
synth:
	@$(MAKE) --no-print-directory -j2 $(VENV)/.synth node_modules/.installed
	rm -rf cdk.out
	cdk synth --quiet $(ARGS)
	$(BIN)/python app.py report
	@echo "Templates: $(CURDIR)/cdk.out/*.template.json"
	@echo "Rule packs: AwsSolutions, HIPAA Security, NIST 800-53 rev 5, PCI DSS 3.2.1 (synthesis fails on any unacknowledged finding)"

lint: everything
	@$(NO_ARGS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: everything
	@$(NO_ARGS)
	$(BIN)/mypy core stacks compliance tools app.py
	cd lambda/invoker && $(BIN)/mypy --config-file $(CURDIR)/pyproject.toml --cache-dir $(CURDIR)/.mypy_cache .
	cd lambda/logging_configuration && $(BIN)/mypy --config-file $(CURDIR)/pyproject.toml --cache-dir $(CURDIR)/.mypy_cache .
	cd lambda/log_audit && MYPYPATH=$(CURDIR) $(BIN)/mypy --config-file $(CURDIR)/pyproject.toml --cache-dir $(CURDIR)/.mypy_cache .

unit: everything
	$(BIN)/python -m pytest -n 2 --dist worksteal $(ARGS)

# ARGS for `make unit` are pytest's options (e.g. ARGS="-k audit").
test: lint typecheck unit
	@$(NO_ARGS)

docs: $(VENV)/.installed node_modules/.installed
	@$(NO_ARGS)
	$(BIN)/python -m tools.doc_tables --write

bench: everything
	$(BIN)/python bench/run.py $(ARGS)

# The CDK CLI, as pinned, with cdk.json's "app" (this project's .venv Python): `make cdk ARGS="ls -c env=prod"`.
cdk: $(VENV)/.synth node_modules/.installed
	cdk $(ARGS)

credentials: $(VENV)/.aws
	$(BIN)/python app.py credentials $(ARGS)

# With no environment given, `cdk bootstrap` bootstraps the environment of every stack of the app: each Region of
# `regions`, in `account` or else the credentials' account (CdkToolkit.defineEnvironments in the pinned CLI).
bootstrap: $(VENV)/.aws node_modules/.installed
	$(CREDENTIALS)
	cdk bootstrap $(ARGS)

deploy: $(VENV)/.aws node_modules/.installed
	$(CREDENTIALS)
	cdk deploy --all --require-approval broadening $(ARGS)

# `cdk diff` without stack names compares every stack (the pinned CLI's diff has no --all).
diff: $(VENV)/.aws node_modules/.installed
	$(CREDENTIALS)
	cdk diff $(ARGS)

destroy: $(VENV)/.aws node_modules/.installed
	$(CREDENTIALS)
	cdk destroy --all $(ARGS)

# The organization rollout: only the stack holding the StackSet, in the StackSets administrator account.
deploy-organization: $(VENV)/.aws node_modules/.installed
	$(CREDENTIALS)
	cdk deploy ClaudeOrganization --require-approval broadening $(ARGS)

diff-organization: $(VENV)/.aws node_modules/.installed
	$(CREDENTIALS)
	cdk diff ClaudeOrganization $(ARGS)

destroy-organization: $(VENV)/.aws node_modules/.installed
	$(CREDENTIALS)
	cdk destroy ClaudeOrganization $(ARGS)

scp: $(VENV)/.synth
	$(BIN)/python app.py scp $(ARGS)

archive-policy: $(VENV)/.synth
	$(BIN)/python app.py archive-policy $(ARGS)

audit: $(VENV)/.aws
	$(BIN)/python app.py audit $(ARGS)

audit-organization: $(VENV)/.aws
	$(BIN)/python app.py audit --organization $(ARGS)

catalog-check: $(VENV)/.aws
	$(BIN)/python app.py catalog-check $(ARGS)

report: $(VENV)/.aws
	$(BIN)/python app.py report $(ARGS)

clean:
	@$(NO_ARGS)
	rm -rf cdk.out reports .pytest_cache .mypy_cache .ruff_cache
