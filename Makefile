# The two entry points of the README: `make demo` and `make test`. Each installs what it
# needs into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTION_LINK := .build/ansible_collections/fleetiam/maintenance_windows
# The demo's own virtualenv: only what it needs (requirements-demo.txt), not the test toolchain.
DEMO_VENV := .venv-demo
DEMO_STAMP := $(DEMO_VENV)/.installed
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: all venv browser demo test unit compat-envs integration playbooks molecule lint docs-check build-check bench clean

all: test

$(STAMP): requirements.txt requirements-test.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $(STAMP)

$(COLLECTION_LINK):
	mkdir -p $(dir $(COLLECTION_LINK))
	ln -sfn $(CURDIR) $(COLLECTION_LINK)

venv: $(STAMP) $(COLLECTION_LINK)

$(DEMO_STAMP): requirements.txt requirements-demo.txt
	test -x $(DEMO_VENV)/bin/python || $(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DEMO_VENV)/bin/python -m pip install --quiet -r requirements-demo.txt
	touch $(DEMO_STAMP)

# Reports in reports/demo/ (latest/ is the newest run; latest audit page: reports/demo/latest/audit.html).
demo: $(DEMO_STAMP) $(COLLECTION_LINK)
	PATH=$(CURDIR)/$(DEMO_VENV)/bin:$$PATH $(DEMO_VENV)/bin/python demo/run.py

# The audit page's test renders audit.html in a real headless browser (Debian's chromium);
# without one that test is skipped, saying so.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "no chromium, and no root apt-get to install it: the audit page's browser test will be skipped"; \
	fi

# The slowest tests are listed at the end: the suite's time has a budget (under 45 minutes).
test: venv browser
	$(BIN)/python -m pytest tests -p no:cacheprovider -q --durations=25

# make test runs these too (tests/integration/fleet); alone for working on the fleet tests.
playbooks: venv
	$(BIN)/python -m pytest tests/integration/fleet -p no:cacheprovider -q

molecule: venv
	$(BIN)/molecule test --scenario-name default

unit: venv
	$(BIN)/python -m pytest tests/unit -q

# One virtual environment per supported ansible-core, outside the repository
# (~/.cache/fleetiam-compat, keyed on its pins) and reused; make test builds any that is
# missing itself (tests/integration/test_ansible_core_versions.py).
compat-envs: venv
	$(BIN)/python -m tests.support.compat

# Not part of make test: about 25 minutes. Options: make bench BENCH_ARGS="--sizes 10,50,200"
# (see benchmarks/README.md).
bench: venv
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf .build .pytest_cache tests/output reports $(DEMO_VENV)
