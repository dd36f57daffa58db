# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: role_argument_errors
short_description: What is wrong with a role's variables, by the role's meta/argument_specs.yml
version_added: 0.1.0
description:
  - Checks the task's variables against the options of one entry point of the role's
    C(meta/argument_specs.yml), as Ansible's own role argument validation does (types,
    choices, required options), and also finds variables with the role's prefix that the
    entry point does not declare (typos) and list options given as a string (which
    Ansible's validation accepts, and a role would then iterate character by character).
  - Returns one message per kind of problem, each with its fix; an empty list when the
    variables are right.
  - Why not Ansible's own validation (C(rolespec_validate)) alone - the validation task
    carries the whole argument spec as its arguments, and every host sends them back to
    the controller with its result. On a fleet of N hosts the controller holds N copies of
    the spec at once. This lookup reads the spec inside the worker; its task's arguments
    are a few names.
author: fleetiam maintainers (@fleetiam)
options:
  _terms:
    description: The entry point of the spec to check against, for example C(main).
    type: list
    elements: str
    required: true
  prefix:
    description:
      - The role's variable prefix. A variable that starts with it and is neither declared
        by the entry point nor in O(known) is reported as unknown.
      - An empty prefix turns this check off.
    type: str
    default: ""
  known:
    description: Variables with the prefix that the role sets itself (its results), and so are not typos.
    type: list
    elements: str
    default: []
  role_path:
    description: The role's directory. Defaults to the task's C(role_path).
    type: path
"""

EXAMPLES = r"""
- name: Refuse wrong types, typos and lists given as strings
  ansible.builtin.assert:
    that: __errors | length == 0
    fail_msg: "{{ __errors | join(' ') }}"
    quiet: true
  vars:
    __errors: "{{ query('fleetiam.maintenance_windows.role_argument_errors', 'main', prefix='mw_', known=['mw_summary']) }}"
"""

RETURN = r"""
_raw:
  description: One message per kind of problem (wrong values, unknown variables, strings given for lists), each ending with its fix.
  type: list
  elements: str
"""

import functools
import os

import yaml

from ansible.errors import AnsibleError, AnsibleUndefinedVariable
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.lookup import LookupBase

try:
    from yaml import CSafeLoader as SpecLoader
except ImportError:  # PyYAML without libyaml
    from yaml import SafeLoader as SpecLoader


@functools.lru_cache(maxsize=8)
def _entry_points(spec_path, modified):
    """The spec file's entry points, parsed once per process and file version."""
    del modified  # part of the cache key only
    with open(spec_path) as handle:
        return (yaml.load(handle, Loader=SpecLoader) or {}).get("argument_specs") or {}


def documented_at(role_path):
    """Where a user reads the role's variables: its ansible-doc page, for a role of a collection
    (installed or not), else its meta/argument_specs.yml."""
    parts = os.path.normpath(role_path).split(os.sep)
    if len(parts) >= 5 and parts[-5] == "ansible_collections" and parts[-2] == "roles":
        return "ansible-doc -t role %s" % ".".join((parts[-4], parts[-3], parts[-1]))
    return os.path.join(role_path, "meta", "argument_specs.yml")


def argument_errors(options, values, variable_names, prefix, known, spec_shown):
    """The messages for ``values`` (the options that are set) against ``options``.

    ``variable_names`` are all the task's variable names, for the typo check.
    """
    messages = []
    wrong = ArgumentSpecValidator(options).validate(dict(values), validate_role_argument_spec=True).error_messages
    if wrong:
        messages.append("wrong values: %s. Fix: give each variable named here the type that %s declares."
                        % ("; ".join(wrong), spec_shown))
    if prefix:
        unknown = sorted(name for name in variable_names
                         if name.startswith(prefix) and name not in options and name not in known)
        if unknown:
            messages.append("unknown role variables %s. Fix: check their spelling against %s."
                            % (", ".join(unknown), spec_shown))
    strings = sorted(name for name, value in values.items()
                     if options[name].get("type") == "list" and isinstance(value, str))
    if strings:
        messages.append("not lists: %s. Fix: give a YAML list, for example [ops] instead of ops." % ", ".join(strings))
    return messages


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        variables = variables or {}
        self.set_options(var_options=variables, direct=kwargs)
        role_path = self.get_option("role_path") or variables.get("role_path")
        if not role_path:
            raise AnsibleError("role_argument_errors: no role_path; use it in a role's task or set role_path")
        spec_path = os.path.join(role_path, "meta", "argument_specs.yml")
        try:
            entry_points = _entry_points(spec_path, os.path.getmtime(spec_path))
        except (OSError, yaml.YAMLError) as err:
            raise AnsibleError("role_argument_errors: cannot read %s: %s" % (spec_path, err))
        spec_shown = documented_at(role_path)
        messages = []
        for entry_point in terms:
            if entry_point not in entry_points:
                raise AnsibleError("role_argument_errors: %s has no entry point %r" % (spec_path, entry_point))
            options = entry_points[entry_point].get("options") or {}
            values, undefined = {}, []
            for name in (name for name in options if name in variables):
                try:
                    values[name] = self._templar.template(variables[name])
                except AnsibleUndefinedVariable as err:
                    undefined.append("%s (%s)" % (name, str(err.message if hasattr(err, "message") else err).strip()))
            if undefined:
                messages.append("variables whose value uses a variable that this host does not have: %s. Fix: define "
                                "it for this host in the inventory (host or group variables), or give the value itself."
                                % "; ".join(undefined))
            messages.extend(argument_errors(options, values, list(variables), self.get_option("prefix"),
                                            set(self.get_option("known")), spec_shown))
        return messages
