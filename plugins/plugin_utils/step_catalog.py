# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The step catalog: every step of the collection, declared once.

A step is one unit of the setup: a task file of a role (``roles/<role>/tasks/steps/<id>.yml``),
which is also the role's ``tasks_from`` entry point of the same name, with a toggle, tags, the
guide's task number and the labels of the results it records, in order (the first names the
resource whose absence makes the step "missing" in the audit).

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
         results=("Task 3 PassRole", "Task 3 AmazonSSMFullAccess")),
    dict(id="deny", task=4, title="Deny for everyone else", scope="account",
         toggle="mw_manage_deny", tags=("mw_task4", "mw_deny"),
         results=("Task 4 Deny",)),
    dict(id="organization_accounts", task=None, title="Organization accounts", scope="organization",
         toggle="mw_manage_organization_accounts", tags=("mw_organization_accounts",),
         results=("Organization accounts",)),
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


def step_of_result(result_label):
    """The step that records the result named ``result_label`` (for example "Task 2 SNS PassRole")."""
    for entry in STEPS:
        if result_label in entry["results"]:
            return entry
    raise UnknownStepError("no step records a result %r" % result_label)
