# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's settings that are each of the right type, but together cannot work, or would
grant more than asked: refused in the account before any write (filter ``setting_errors``).

Each check says what it protects:

* the SNS notification role: it becomes an ``iam:PassRole`` Resource of the service role and
  of every Task 3 principal, so it must name one IAM role of the account's partition (of the
  account itself unless ``mw_sns_role_allow_other_account``), never a wildcard;
* the service role's name and path: they make the Resource of the Task 1 and Task 3
  PassRole statements, so no wildcard either; nor the Task 1 policy's extra statements, nor
  the guide's 2022-2023 revision (``mw_policy_pass_role_any``, PassRole on ``*``): no input
  grants ``iam:PassRole`` on a wildcard;
* settings that cannot converge: a principal both allowed and denied, one inline policy name
  for Task 3 and Task 4, the service role as its own Task 3 principal (it already may pass
  itself, by Task 1's policy), an empty or malformed ``mw_trusted_services``.

IAM names of users, groups, roles and policies are unique regardless of case, so names are
compared without it.
"""

from __future__ import annotations

import fnmatch
import re

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import known_account_id, parse_iam_arn
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import truthy

PRINCIPAL_KINDS = ("groups", "users", "roles")
WILDCARDS = ("*", "?")
# A service principal: ssm.amazonaws.com, or ec2.amazonaws.com.cn in the China partition.
_SERVICE_PRINCIPAL_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$")


def _on(settings, name, default=True):
    return truthy(settings.get(name, default))


def _sns_role_errors(arn, account_id, partition, allow_other_account):
    if any(wildcard in arn for wildcard in WILDCARDS):
        return ["mw_sns_role_arn %r has a wildcard: the service role and every Task 3 principal would get "
                "iam:PassRole on every role it matches. Fix: give the ARN of the one role that sends the "
                "notifications, arn:PARTITION:iam::ACCOUNT:role/NAME." % arn]
    try:
        parts = parse_iam_arn(arn, "role", "mw_sns_role_arn")
    except InvalidInputError as err:
        return ["%s; it must name the IAM role that Systems Manager passes to SNS, not a topic or another "
                "resource. Fix: %s." % (err.problem, err.fix)]
    errors = []
    if partition and parts["partition"] != partition:
        errors.append("mw_sns_role_arn %r is in partition %s, but the account is in partition %s. "
                      "Fix: give the role's ARN in partition %s." % (arn, parts["partition"], partition, partition))
    if account_id and parts["account"] != account_id and not allow_other_account:
        errors.append("mw_sns_role_arn %r is a role of account %s, not of this account: it would let this "
                      "account's principals pass another account's role. Fix: give a role of account %s, or set "
                      "mw_sns_role_allow_other_account: true for this account if that is meant."
                      % (arn, parts["account"], account_id))
    return errors


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _matches(pattern, action):
    # IAM's action wildcards (* and ?), case-insensitive; fnmatch's [ ] have no IAM meaning.
    return fnmatch.fnmatchcase(action.lower(), str(pattern).lower().replace("[", "[[]"))


def _grants_pass_role_on_a_wildcard(statement):
    """Whether an Allow statement grants iam:PassRole on a wildcard Resource, or on every
    resource but some (NotResource)."""
    if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
        return False
    if "NotAction" in statement:
        passes = not any(_matches(pattern, "iam:PassRole") for pattern in _as_list(statement["NotAction"]))
    else:
        passes = any(_matches(pattern, "iam:PassRole") for pattern in _as_list(statement.get("Action", [])))
    resources = [str(resource) for resource in _as_list(statement.get("Resource", []))]
    return passes and ("NotResource" in statement or any(w in r for r in resources for w in WILDCARDS))


def _pass_role_wildcard_errors(settings):
    errors = []
    if _on(settings, "mw_policy_pass_role_any", False):
        errors.append("mw_policy_pass_role_any is true: the guide's 2022-2023 revision lets the service role pass "
                      "every role of the account to Systems Manager (iam:PassRole on *). Fix: remove it; the "
                      "current guide's statement, on the service role itself, is the default.")
    for index, statement in enumerate(settings.get("mw_policy_extra_statements") or []):
        if _grants_pass_role_on_a_wildcard(statement):
            errors.append("mw_policy_extra_statements[%d] (Sid %r) allows iam:PassRole on a wildcard (%s): the "
                          "service role could pass every role it matches. Fix: name the roles it passes by their "
                          "ARNs, or leave iam:PassRole out of that statement."
                          % (index, statement.get("Sid", ""), "NotResource" if "NotResource" in statement
                             else ", ".join(map(str, _as_list(statement.get("Resource"))))))
    return errors


def _principals(settings, prefix):
    """{(kind, folded name): name as given} of the lists ``<prefix>groups``, ``users``, ``roles``."""
    found = {}
    for kind in PRINCIPAL_KINDS:
        for name in settings.get(prefix + kind) or []:
            found.setdefault((kind, str(name).lower()), "%s %s" % (kind[:-1], name))
    return found


def setting_errors(settings, account_id="", partition=""):
    """One message per problem, each naming the variable and ending with its fix; ``[]`` when
    the settings can work. ``settings``: the role's ``mw_`` variables, templated."""
    errors = []
    batch_size = settings.get("mw_batch_size")
    if batch_size not in (None, "") and int(batch_size) < 0:
        errors.append("mw_batch_size is %s. Fix: give the number of accounts per batch, or 0 for one batch of "
                      "all of them." % batch_size)
    if settings.get("mw_state", "present") != "present":
        return errors
    service_role, pass_role, deny = (_on(settings, "mw_manage_service_role"), _on(settings, "mw_manage_pass_role"),
                                     _on(settings, "mw_manage_deny"))
    sns_role = settings.get("mw_sns_role_arn") or ""
    if sns_role and (service_role or pass_role):
        errors += _sns_role_errors(sns_role, account_id, partition,
                                   _on(settings, "mw_sns_role_allow_other_account", False))
    if _on(settings, "mw_manage_policy"):
        errors += _pass_role_wildcard_errors(settings)
    for name in ("mw_role_name", "mw_role_path"):
        value = str(settings.get(name) or "")
        if any(wildcard in value for wildcard in WILDCARDS):
            errors.append("%s %r has a wildcard: it makes the Resource of the iam:PassRole statements, which would "
                          "then match other roles. Fix: give the service role's own %s, without * or ?."
                          % (name, value, name.rpartition("_")[2]))
    if service_role:
        services = settings.get("mw_trusted_services")
        if not services:
            errors.append("mw_trusted_services is empty: nothing could assume the service role. "
                          "Fix: give at least [ssm.amazonaws.com].")
        wrong = [str(service) for service in services or [] if not _SERVICE_PRINCIPAL_RE.match(str(service))]
        if wrong:
            errors.append("mw_trusted_services holds what is not a service principal: %s. Fix: name services as "
                          "IAM does, e.g. ssm.amazonaws.com; other principals do not belong in the service role's "
                          "trust." % ", ".join(repr(service) for service in wrong))
    if pass_role and deny:
        allowed, denied = _principals(settings, "mw_pass_role_"), _principals(settings, "mw_deny_")
        both = [allowed[key] for key in sorted(set(allowed) & set(denied))]
        if both:
            errors.append("%s %s in both a mw_pass_role_ list and a mw_deny_ list: the Deny would keep them from "
                          "ever registering a task. Fix: remove each from one of the two lists."
                          % (", ".join(both), "is" if len(both) == 1 else "are"))
        if str(settings.get("mw_pass_role_policy_name", "")).lower() == \
                str(settings.get("mw_deny_policy_name", "")).lower():
            errors.append("mw_pass_role_policy_name and mw_deny_policy_name are both %r: each run would replace "
                          "one inline policy with the other. Fix: give them different names."
                          % settings.get("mw_deny_policy_name"))
    role_name = str(settings.get("mw_role_name") or "")
    if pass_role and role_name.lower() in [str(name).lower() for name in settings.get("mw_pass_role_roles") or []]:
        errors.append("mw_pass_role_roles names the service role %s itself: its own policy already lets it pass "
                      "itself to Systems Manager, and it does not exist yet in a new account. Fix: remove %s from mw_pass_role_roles."
                      % (role_name, role_name))
    return errors


# The host variables that tell a host's account (account_keys).
ACCOUNT_KEY_VARIABLES = ("__mw_account_result", "mw_assume_role_arn", "mw_account_id", "mw_aws_profile",
                         "mw_endpoint_url")


def account_keys(host_vars):
    """What tells a host's account: the account its connection found in this run, its
    mw_account_id or the account of its mw_assume_role_arn; without either, the hub's own
    account for its profile and endpoint (which its connection, once made, tells by id)."""
    keys = set()
    connected = host_vars.get("__mw_account_result") or {}
    if hasattr(connected, "get") and connected.get("account_id"):
        keys.add(str(connected["account_id"]))
    arn = str(host_vars.get("mw_assume_role_arn") or "")
    explicit = known_account_id(arn, host_vars.get("mw_account_id") or "")
    if explicit:
        keys.add(explicit)
    elif not arn:
        profile, endpoint = host_vars.get("mw_aws_profile") or "", host_vars.get("mw_endpoint_url") or ""
        keys.add("the hub's own account (profile %r, endpoint %r)" % (profile, endpoint))
    return keys


def hosts_sharing_accounts(every_host_vars, hosts):
    """{host: [the hosts of its account]} for the hosts of ``hosts`` that share an account with
    another; ``every_host_vars`` holds their variables in the same order."""
    keys = {host: account_keys(host_vars) for host, host_vars in zip(hosts, every_host_vars)}
    by_key = {}
    for host in hosts:
        for key in keys[host]:
            by_key.setdefault(key, []).append(host)
    sharing = {}
    for host in hosts:
        others = {other for key in keys[host] for other in by_key[key]}
        if len(others) > 1:
            sharing[host] = [other for other in hosts if other in others]
    return sharing
