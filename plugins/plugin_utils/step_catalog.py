# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The step catalog: every step of the collection, declared once.

A step is one unit of the setup: a task file of a role (``roles/<role>/tasks/steps/<id>.yml``),
which is also the role's ``tasks_from`` entry point of the same name, with a toggle, tags, the
guide's task number and the labels of the results it records, in order (the first names the
resource whose absence makes the step "missing" in the audit). A step that works on lists of
principals or permission sets names them (``works_on``): with every one of them empty, it has
nothing to do, and a run whose hosts all leave them empty need not visit it.

Everything that lists steps reads this: the roles' loops (lookup ``steps``), the change summary
and the audit's outcomes (filter ``record_step``), the audit's rows (filter ``audit_account``),
the report templates (through the audit playbook) and the tests that hold the roles' argument
specs and tags to it. ``docs/architecture.md`` says what a new step touches.

Scopes:

- ``account``: once per account, on the hosts of ``mw_accounts`` (role ``permissions``);
- ``organization``: once for the organisation, on the one host of ``mw_organization`` (role
  ``organization``), after the account steps on setup and before them on removal;
- ``region``: once per account and region (reserved; none of the steps below uses it). The
  task migration, which works per region, is an entry point of its own, not a step
  (``roles/permissions/tasks/migrate_tasks.yml``; docs/architecture.md says why).
"""

from __future__ import annotations

SCOPES = ("account", "organization", "region")

# The role that runs each scope's steps.
ROLE_OF_SCOPE = {"account": "permissions", "organization": "organization", "region": "permissions"}

STEPS = (
    dict(id="policy", task=1, title="Service role policy", scope="account",
         toggle="mw_manage_policy", tags=("mw_task1", "mw_policy"),
         results=("Task 1 policy",)),
    dict(id="service_role", task=2, title="Service role", scope="account",
         toggle="mw_manage_service_role", tags=("mw_task2", "mw_service_role"),
         results=("Task 2 role", "Task 2 SNS PassRole")),
    dict(id="pass_role", task=3, title="PassRole for task registrants", scope="account",
         toggle="mw_manage_pass_role", tags=("mw_task3", "mw_pass_role"),
         works_on=("mw_pass_role_groups", "mw_pass_role_users", "mw_pass_role_roles"),
         results=("Task 3 PassRole", "Task 3 AmazonSSMFullAccess")),
    dict(id="deny", task=4, title="Deny for everyone else", scope="account",
         toggle="mw_manage_deny", tags=("mw_task4", "mw_deny"),
         works_on=("mw_deny_groups", "mw_deny_users", "mw_deny_roles"),
         results=("Task 4 Deny",)),
    dict(id="organization_accounts", task=None, title="Organization accounts", scope="organization",
         toggle="mw_manage_organization_accounts", tags=("mw_organization_accounts",),
         results=("Organization accounts",)),
    dict(id="scp", task=4, title="Service control policy guardrail", scope="organization",
         toggle="mw_manage_scp", tags=("mw_task4", "mw_scp"),
         results=("Task 4 SCP",)),
    dict(id="permission_set_policies", task=None, title="Permission set policies", scope="account",
         toggle="mw_manage_permission_set_policies", tags=("mw_task3", "mw_task4", "mw_permission_set_policies"),
         works_on=("mw_pass_role_permission_sets", "mw_deny_permission_sets"),
         results=("Task 3 permission set policy", "Task 4 permission set policy")),
    dict(id="permission_sets", task=None, title="Permission sets", scope="organization",
         toggle="mw_manage_permission_sets", tags=("mw_task3", "mw_task4", "mw_permission_sets"),
         results=("Task 3 permission sets", "Task 4 permission sets")),
)


class UnknownStepError(KeyError):
    """A step id, scope or result label that the catalog does not declare."""


def label(step):
    """How reports name a step: "Task 3" for the guide's tasks, else its title."""
    return "Task %d" % step["task"] if step["task"] else step["title"]


def step(step_id):
    for entry in STEPS:
        if entry["id"] == step_id:
            return entry
    raise UnknownStepError("no step %r in the step catalog (plugins/plugin_utils/step_catalog.py); steps: %s"
                           % (step_id, ", ".join(entry["id"] for entry in STEPS)))


def steps(scope, state="present", only=None):
    """The steps of ``scope`` in the order they run: as declared to set up, reversed to remove.

    ``only`` keeps one step (a ``tasks_from`` entry point)."""
    if scope not in SCOPES:
        raise UnknownStepError("no scope %r; scopes: %s" % (scope, ", ".join(SCOPES)))
    chosen = [entry for entry in STEPS if entry["scope"] == scope and (not only or entry["id"] == only)]
    if only and not chosen:
        step(only)  # raises, naming the steps
        raise UnknownStepError("step %r is not of scope %r" % (only, scope))
    return chosen if state == "present" else chosen[::-1]


def truthy(value):
    """A toggle's value as Ansible's ``bool`` filter reads it (a value of the wrong type is
    refused by the role's variable check, not here)."""
    return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on", "y", "t")


def steps_with_work(chosen, settings):
    """The ids of ``chosen`` steps with something to do under ``settings`` (the values of their
    toggles and ``works_on`` variables, by name): toggled on and, where the step works on
    lists, given one that is not empty."""
    return [entry["id"] for entry in chosen
            if truthy(settings.get(entry["toggle"], False))
            and (not entry.get("works_on") or any(settings.get(name) for name in entry["works_on"]))]


def step_of_result(result_label):
    """The step that records the result named ``result_label`` (for example "Task 2 SNS PassRole")."""
    for entry in STEPS:
        if result_label in entry["results"]:
            return entry
    raise UnknownStepError("no step records a result %r" % result_label)
