"""The role's documentation, typo check and list check all follow meta/argument_specs.yml."""

from __future__ import annotations

import glob
import importlib.util
import os
import re

import yaml

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location("generate_role_docs", os.path.join(_REPO, "docs", "generate_role_docs.py"))
generate_role_docs = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate_role_docs)

ROLE = os.path.join(generate_role_docs.REPO, "roles", "permissions")


def _load(*parts):
    with open(os.path.join(ROLE, *parts)) as handle:
        return yaml.safe_load(handle)


def test_role_page_is_generated_from_the_argument_spec():
    with open(generate_role_docs.PAGE) as handle:
        assert handle.read() == generate_role_docs.render(), "run: python docs/generate_role_docs.py"


def test_typo_check_declares_exactly_the_argument_spec_options():
    options = set(_load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"])
    declared = set(_load("vars", "main.yml")["__mw_declared_variables"])
    assert declared == options | {"mw_account", "mw_connection", "mw_summary"}


def test_every_default_is_declared_with_the_same_default():
    options = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    for name, value in _load("defaults", "main.yml").items():
        assert options[name]["default"] == value, name


def test_list_check_covers_every_list_option():
    options = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    list_options = {name for name, option in options.items() if option.get("type") == "list"}
    assert set(_load("vars", "main.yml")["__mw_list_options"]) == list_options


def test_every_use_of_a_bool_option_converts_it():
    # Argument validation accepts "false" for a bool (-e mw_manage_deny=false) and leaves the
    # string, which is true in a template: each use must go through | bool.
    options = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    bools = sorted(name for name, option in options.items() if option.get("type") == "bool")
    raw_use = re.compile(r"\b(%s)\b(?!\s*\|\s*bool)(?!:)" % "|".join(bools))
    declaration = re.compile(r"^\s*- mw_\w+\s*$")  # the names in __mw_declared_variables
    paths = (glob.glob(os.path.join(ROLE, "tasks", "**", "*.yml"), recursive=True) + glob.glob(os.path.join(ROLE, "templates", "*"))
             + [os.path.join(ROLE, "vars", "main.yml")] + glob.glob(os.path.join(_REPO, "playbooks", "*.yml")))
    assert any(os.sep + "steps" + os.sep in path for path in paths)
    raw = []
    for path in paths:
        with open(path) as handle:
            for number, line in enumerate(handle, 1):
                if not declaration.match(line) and raw_use.search(line):
                    raw.append("%s:%d: %s" % (os.path.relpath(path, _REPO), number, line.strip()))
    assert raw == []
