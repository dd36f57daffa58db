"""The fleet's job artifacts: one key per account, merged into one run, other runs refused."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.fleetiam.maintenance_windows.plugins.filter.fleet_artifacts import fleet_artifacts
from ansible_collections.fleetiam.maintenance_windows.plugins.filter.merge_fleet_artifacts import merge_fleet_artifacts

SETUP = {"playbook": "setup", "state": "present", "mode": "apply", "workflow_job_id": "42"}


def slice_of(run, *hosts):
    return fleet_artifacts([{"host": host, "status": "changed"} for host in hosts], run)


def test_each_account_has_a_key_of_its_own_that_is_a_variable_name():
    assert sorted(slice_of(SETUP, "web-prod.eu", "db")) == ["mw_fleet_result_db", "mw_fleet_result_web_prod_eu"]


def test_slices_merged_key_by_key_as_awx_does_give_every_account_once_sorted():
    workflow = dict(slice_of(SETUP, "c", "a"), **slice_of(SETUP, "b"))
    merged = merge_fleet_artifacts([{"source": "workflow", "artifacts": workflow}])
    assert merged == {"run": SETUP, "rows": [{"host": host, "status": "changed"} for host in "abc"]}


def test_artifacts_of_another_run_are_refused_naming_both():
    teardown = dict(SETUP, playbook="teardown", state="absent")
    with pytest.raises(AnsibleFilterError, match="slice 2 is another run than slice 1: playbook teardown.*"
                                                 "against playbook setup.*account b"):
        merge_fleet_artifacts([{"source": "slice 1", "artifacts": slice_of(SETUP, "a")},
                               {"source": "slice 2", "artifacts": slice_of(teardown, "b")}])


def test_an_account_in_two_jobs_is_refused():
    with pytest.raises(AnsibleFilterError, match="account host a is in both slice 1 and slice 2"):
        merge_fleet_artifacts([{"source": "slice 1", "artifacts": slice_of(SETUP, "a")},
                               {"source": "slice 2", "artifacts": slice_of(SETUP, "a")}])


def test_a_source_without_fleet_results_is_named():
    with pytest.raises(AnsibleFilterError, match="slice 2 holds no fleet results"):
        merge_fleet_artifacts([{"source": "slice 1", "artifacts": slice_of(SETUP, "a")},
                               {"source": "slice 2", "artifacts": {"other": 1}}])
