# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""From a step's registered results to the account's summary: the one recording path.

Every step ends by recording what its tasks returned (``roles/*/tasks/record.yml``, filter
``record_step``): the changes go into ``mw_summary.changes``, and, for a caller that reports on
each step (the audit), the outcome of each result into ``mw_summary.outcomes``. The role closes
the summary at the end (filter ``close_summary``): the status, the account, the failure.

The role first runs its steps in check mode (the preflight), then, where the preflight found
something to change, for real: a summary holds the preflight's "would ..." changes and the
apply's own, and closing it keeps those of the run's mode. What a removal leaves because the
collection does not own it (a result's ``kept``, with the reason) goes into ``mw_summary.kept``,
once per resource, in preview and apply alike.
"""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.differences import differences
from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils.step_catalog import step

PAST = {"create": "created", "delete": "deleted", "update": "updated"}
# An attachment is created by attaching and deleted by detaching: its reports say so.
ATTACHMENT_VERBS = {"create": "attach", "delete": "detach"}
ATTACHMENT_PAST = {"create": "attached", "delete": "detached"}

# What the audit reads of a result: whether and how it changed or failed, what it names, and,
# for the guardrail SCP, where it is attached and which accounts it reaches.
OUTCOME_KEYS = ("changed", "skipped", "failed", "msg", "change", "arn", "policy_arn", "policy_name",
                "principal_type", "principal_name", "item", "error_kind", "ownership", "kept", "resource",
                "name", "policy_id", "management_account_id", "targets", "covered_accounts", "uncovered_accounts",
                "permission_set_name", "holds_references", "accounts")


def new_summary(account_id=""):
    return dict(account_id=account_id, status="unchanged", changes=[], kept=[], failed=False, error="")


def resource_of(result):
    """How the report names the resource of one result."""
    if result.get("policy_name"):
        return "inline policy %s on %s %s" % (result["policy_name"], result.get("principal_type"),
                                              result.get("principal_name"))
    if result.get("permission_set_name"):
        return "permission set %s" % result["permission_set_name"]
    item = result.get("item")
    if result.get("policy_arn") and isinstance(item, (list, tuple)) and len(item) == 2:
        return "%s attached to %s %s" % (result["policy_arn"], item[0], item[1])
    return result.get("arn") or result.get("policy_arn") or "?"


def is_attachment(result):
    return "attached" in result


def action_of(result, check_mode):
    """"would create" / "created" (an attachment: "would attach" / "attached", "detached")."""
    change = result["change"]
    if is_attachment(result) and change in ATTACHMENT_VERBS:
        return "would " + ATTACHMENT_VERBS[change] if check_mode else ATTACHMENT_PAST[change]
    return "would " + change if check_mode else PAST[change]


def items_of(registered):
    """The results of one registered task: its loop's items, or itself; none for a skipped task."""
    if not isinstance(registered, dict):
        return []
    return [item for item in registered.get("results", [registered]) if not item.get("skipped")]


def made_change(result):
    """Whether a result changed (or would change) its resource: its ``change``, which a task's
    ``changed_when`` leaves as it is (the preflight's tasks are not counted as changed)."""
    if "change" in result:
        return result["change"] != "none"
    return bool(result.get("changed"))


def changes_of(result_label, registered, check_mode):
    """The changes one registered task made (or would make), as the report lists them."""
    return [dict(step=result_label, resource=resource_of(item), action=action_of(item, check_mode))
            for item in items_of(registered) if made_change(item)]


def differs_of(result):
    """What an updated resource's result differs in, in a few short lines (from its diff, in a
    run in diff mode, or as its outcome kept them)."""
    if "differs" in result:
        return result["differs"]
    return differences(result.get("diff")) if result.get("change") == "update" else []


def kept_of(result_label, registered):
    """What one registered task left in place because it is not the collection's, and why."""
    return [dict(step=result_label, resource=resource_of(item), action="kept", reason=item["kept"])
            for item in items_of(registered) if item.get("kept")]


def outcome_of(registered):
    """A registered result without its documents, diffs and details; of a diff (a run in diff
    mode), only what differs, in a few short lines (``differs``)."""
    if not isinstance(registered, dict):
        return {}
    outcome = {key: registered[key] for key in OUTCOME_KEYS if key in registered}
    if registered.get("diff") and registered.get("change") == "update":
        outcome["differs"] = differs_of(registered)
    if isinstance(registered.get("results"), list):
        outcome["results"] = [outcome_of(result) for result in registered["results"]]
    return outcome


def _recorded(step_id, registered):
    """(label, result) of each of the step's results that ran: ``registered`` holds them in the
    order of the catalog's ``results``. A failed task ends the step: those after it did not run
    this time, and what their names hold is from an earlier step (every step registers into
    the same names, so that a host keeps the results of one step, not of all)."""
    labels = step(step_id)["results"]
    if len(registered) != len(labels):
        raise ValueError("step %s records %d results (%s), not %d"
                         % (step_id, len(labels), ", ".join(labels), len(registered)))
    for result_label, result in zip(labels, registered):
        yield result_label, result
        if isinstance(result, dict) and result.get("failed"):
            return


def record_step(summary, step_id, registered, check_mode=False, keep_outcomes=False):
    """``summary`` with what the step's tasks did (see ``_recorded``)."""
    summary = dict(summary)
    changes = list(summary.get("changes") or [])
    kept = list(summary.get("kept") or [])
    outcomes = dict(summary.get("outcomes") or {})
    for result_label, result in _recorded(step_id, registered):
        changes.extend(changes_of(result_label, result, check_mode))
        # The preflight and the apply both see it: once is enough.
        kept.extend(entry for entry in kept_of(result_label, result) if entry not in kept)
        outcomes[result_label] = outcome_of(result)
    summary["changes"] = changes
    summary["kept"] = kept
    if keep_outcomes:
        summary["outcomes"] = outcomes
    return summary


def has_record(step_id, registered):
    """Whether recording the step adds to a summary that keeps no outcomes: a change (made or
    previewed) or a resource kept. A step that found everything in place needs no record."""
    return any(made_change(item) or item.get("kept")
               for result_label, result in _recorded(step_id, registered) for item in items_of(result))


def close_summary(summary, check_mode=False, account_id="", error="", failed_task=""):
    """The account's summary as the reports read it. In an apply, the preflight's "would ..."
    changes are dropped: only what was written is reported (nothing, when the preflight failed)."""
    summary = dict(summary)
    summary["changes"] = [change for change in summary.get("changes") or []
                          if change["action"].startswith("would ") == bool(check_mode)]
    summary["kept"] = list(summary.get("kept") or [])
    if account_id:
        summary["account_id"] = account_id
    if error:
        summary.update(status="failed", failed=True, error=error, failed_task=failed_task)
    else:
        summary.update(status=("would change" if check_mode else "changed") if summary["changes"] else "unchanged",
                       failed=False, error="")
    return summary


def summarise(results_by_label, check_mode=False):
    """``{status, changes}`` of results given by label, in one go (the audit's view of a task)."""
    changes = [change for result_label, registered in results_by_label.items()
               for change in changes_of(result_label, registered, check_mode)]
    return dict(status=("would change" if check_mode else "changed") if changes else "unchanged", changes=changes)
