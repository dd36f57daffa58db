# The two entry points of the README: `make demo` and `make test`. Each installs what it
# needs into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTION_LINK := .build/ansible_collections/fleetiam/maintenance_windows
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: all venv demo test unit integration playbooks molecule lint docs-check build-check bench clean

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

demo: venv
	$(BIN)/python demo/run.py

test: venv
	$(BIN)/python -m pytest tests -p no:cacheprovider -q

# make test runs these too (tests/integration/fleet); alone for working on the fleet tests.
playbooks: venv
	$(BIN)/python -m pytest tests/integration/fleet -p no:cacheprovider -q

molecule: venv
	$(BIN)/molecule test --scenario-name default

unit: venv
	$(BIN)/python -m pytest tests/unit -q

bench: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf .build .pytest_cache tests/output reports
