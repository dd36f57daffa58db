"""The role's documentation, typo check and list check all follow meta/argument_specs.yml."""

from __future__ import annotations

import importlib.util
import os

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
