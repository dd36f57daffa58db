"""The teardown's preview on a set-up fleet: it writes nothing and predicts what the teardown
then does, change for change.

Setup, the preview (with the IAM of each account before and after it), the teardown and a
second teardown are module fixtures that run in that order.
"""

from __future__ import annotations

import os
import re

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.version import COLLECTION_VERSION
from tests.integration.reliability.setup_tasks import iam_snapshot
from tests.support import aws
from tests.support.fleet import OPERATORS_AND_CONTRACTORS, Fleet

HOSTS = ("ledger-prod", "ledger-dev")
PAST_TENSE = {"would create": "created", "would update": "updated", "would delete": "deleted",
              "would attach": "attached", "would detach": "detached"}


@pytest.fixture(scope="module")
def fleet(moto, new_accounts, tmp_path_factory):
    fleet = Fleet(tmp_path_factory.mktemp("teardown-preview"), moto.url, dict(zip(HOSTS, new_accounts(len(HOSTS)))),
                  group_vars=OPERATORS_AND_CONTRACTORS)
    setup = fleet.run("setup", "setup.yml")
    assert setup.returncode == 0, setup
    return fleet


def account_iam_states(fleet):
    return {host: iam_snapshot(aws.account_client(fleet.endpoint_url, account, "iam"))
            for host, account in fleet.accounts.items()}


@pytest.fixture(scope="module")
def preview(fleet):
    before = account_iam_states(fleet)
    run = fleet.run("teardown-preview", "teardown.yml", "--check", "--diff")
    return dict(run=run, before=before, after=account_iam_states(fleet))


@pytest.fixture(scope="module")
def teardown(fleet, preview):
    return fleet.run("teardown", "teardown.yml")


@pytest.fixture(scope="module")
def second_teardown(fleet, teardown):
    return fleet.run("teardown", "teardown.yml")  # the same mw_report_dir as the teardown


def reported_changes(run, tense=lambda action: action):
    """{(account, step, resource, action)} of the run's fleet summary."""
    return {(reported["account_id"], change["step"], change["resource"], tense(change["action"]))
            for reported in run.summary.values() for change in reported["changes"]}


def test_the_teardown_preview_of_a_set_up_fleet_succeeds_and_writes_nothing(preview):
    run = preview["run"]
    assert run.returncode == 0, run
    assert {host: reported["status"] for host, reported in run.summary.items()} == dict.fromkeys(HOSTS, "would change")
    assert preview["after"] == preview["before"]


def test_the_teardown_does_exactly_what_its_preview_predicted(preview, teardown):
    assert teardown.returncode == 0, teardown
    predicted = reported_changes(preview["run"], tense=PAST_TENSE.get)
    assert {change[3] for change in predicted} == {"deleted"}
    assert reported_changes(teardown) == predicted


def test_a_second_teardown_reports_nothing(second_teardown):
    assert second_teardown.returncode == 0, second_teardown
    assert {host: reported["status"] for host, reported in second_teardown.summary.items()} == dict.fromkeys(
        HOSTS, "unchanged")
    assert reported_changes(second_teardown) == set()


def test_each_report_names_its_run_and_a_later_run_does_not_overwrite_it(preview, teardown, second_teardown):
    report = preview["run"].report["run"]
    assert (report["name"], report["playbook"], report["mode"]) == ("teardown preview", "teardown.yml", "preview")
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", report["time"])
    assert report["collection_version"] == COLLECTION_VERSION
    assert preview["run"].report_file("json").endswith("/teardown-preview.json")
    assert preview["run"].summary_markdown.startswith(
        "# Maintenance window permissions: teardown preview (check mode: nothing written), %s" % report["time"])
    folders = sorted(name for name in os.listdir(teardown.report_dir) if name != "latest")
    assert len(folders) == 2 and all(name.endswith("-teardown-apply") for name in folders), folders
    assert os.readlink(os.path.join(teardown.report_dir, "latest")) == folders[-1]
