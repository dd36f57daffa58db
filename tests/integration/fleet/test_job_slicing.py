"""A sliced job, as AWX runs one: 6 accounts in 3 slices, 3 concurrent ansible-runner jobs, then
one fleet report built from their artifact directories (playbooks/merge_reports.yml). One
slice holds an account whose setup fails: the report is complete all the same. Then the audit,
sliced the same way, merged into one audit.json and audit.html.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.support import runner_jobs
from tests.support.fleet import CONTRACTORS_GROUP, OPERATORS_AND_CONTRACTORS, account_host

HEALTHY_HOSTS = ("acct-a", "acct-b", "acct-c", "acct-d", "acct-f")
BROKEN_HOST = "acct-e"  # its Task 3 group was never created; sliced with acct-b


@pytest.fixture(scope="module")
def hosts(new_accounts):
    accounts = dict(zip(HEALTHY_HOSTS, new_accounts(len(HEALTHY_HOSTS))))
    accounts[BROKEN_HOST] = new_accounts(1, groups=[CONTRACTORS_GROUP])[0]
    return {host: account_host(account) for host, account in accounts.items()}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("slicing")


@pytest.fixture(scope="module")
def slice_jobs(moto, hosts, workdir):
    return runner_jobs.run_sliced(workdir / "apply", "setup.yml", hosts, 3, moto.url, OPERATORS_AND_CONTRACTORS)


@pytest.fixture(scope="module")
def merged(slice_jobs, workdir):
    run, report_dir = runner_jobs.merge(workdir, [job.config.artifact_dir for job in slice_jobs])
    assert run.returncode == 0, run
    with open(os.path.join(report_dir, "fleet-summary.json")) as handle:
        rows = json.load(handle)
    with open(os.path.join(report_dir, "fleet-summary.md")) as handle:
        return rows, handle.read()


def test_hosts_are_sliced_in_turn_as_awx_slices_them(hosts):
    assert [sorted(part) for part in runner_jobs.slices(hosts, 3)] == [
        ["acct-a", "acct-d"], ["acct-b", "acct-e"], ["acct-c", "acct-f"]]


def test_only_the_slice_with_the_failing_account_fails(slice_jobs):
    assert [job.status for job in slice_jobs] == ["successful", "failed", "successful"]


def test_the_merged_report_holds_every_account_once_with_its_status(merged, hosts):
    rows = merged[0]
    assert [row["host"] for row in rows] == sorted(hosts)
    expected = dict.fromkeys(HEALTHY_HOSTS, "changed")
    expected[BROKEN_HOST] = "failed"
    assert {row["host"]: row["status"] for row in rows} == expected
    assert {row["host"]: row["account_id"] for row in rows} == {
        host: host_vars["mw_assume_role_arn"].split(":")[4] for host, host_vars in hosts.items()}


def test_the_merged_report_says_why_the_account_failed(merged):
    rows, markdown = merged
    [broken] = [row for row in rows if row["host"] == BROKEN_HOST]
    assert "maintenance-operators" in broken["error"]
    assert "6 accounts, 5 changed, 0 unchanged, 1 failed" in markdown
    assert "setup apply, merged" in markdown


def test_each_slice_hands_its_accounts_to_its_artifacts_in_little_room(slice_jobs):
    """AWX keeps a job's artifacts with the job and hands them on as extra variables."""
    keys = {job.config.ident: sorted(runner_jobs.artifacts(job)) for job in slice_jobs}
    assert keys == {"slice1": ["mw_fleet_result_acct_a", "mw_fleet_result_acct_d"],
                    "slice2": ["mw_fleet_result_acct_b", "mw_fleet_result_acct_e"],
                    "slice3": ["mw_fleet_result_acct_c", "mw_fleet_result_acct_f"]}
    sizes = [len(json.dumps(value)) for job in slice_jobs for value in runner_jobs.artifacts(job).values()]
    assert max(sizes) < 1500, sizes  # about 0.75 KB for an account setup changed


def test_artifacts_of_another_run_are_refused(slice_jobs, workdir):
    other = workdir / "other-run"
    shutil.copytree(slice_jobs[0].config.artifact_dir, other)
    for path in (other / "job_events").iterdir():
        event = json.loads(path.read_text())
        for value in event.get("event_data", {}).get("artifact_data", {}).values():
            value["run"]["playbook"] = "teardown"
        path.write_text(json.dumps(event))
    run = runner_jobs.merge(workdir / "refused", [slice_jobs[1].config.artifact_dir, str(other)])[0]
    assert run.returncode != 0, run
    assert "artifact directory %s is another run than" % other in run.output
    assert "playbook teardown" in run.output and "playbook setup" in run.output


def test_a_directory_without_fleet_results_is_named(slice_jobs, workdir):
    empty = workdir / "not-a-job"
    empty.mkdir()
    run = runner_jobs.merge(workdir / "named", [slice_jobs[0].config.artifact_dir, str(empty)])[0]
    assert run.returncode != 0, run
    assert "artifact directory %s holds no fleet results" % empty in run.output


@pytest.fixture(scope="module")
def merged_audit(slice_jobs, moto, hosts, workdir):
    audits = runner_jobs.run_sliced(workdir / "audit", "audit.yml", hosts, 3, moto.url, OPERATORS_AND_CONTRACTORS)
    run, report_dir = runner_jobs.merge(workdir / "audit", [job.config.artifact_dir for job in audits])
    assert run.returncode == 0, run
    with open(os.path.join(report_dir, "audit.json")) as handle:
        rows = json.load(handle)
    with open(os.path.join(report_dir, "audit.html")) as handle:
        return rows, handle.read()


def test_the_merged_audit_reports_every_account_once_in_json_and_html(merged_audit, hosts):
    rows, html = merged_audit
    expected = dict.fromkeys(HEALTHY_HOSTS, "compliant")
    expected[BROKEN_HOST] = "error"
    assert {row["host"]: row["status"] for row in rows} == expected
    assert len(rows) == 6
    for host, host_vars in hosts.items():
        assert html.count(host_vars["mw_assume_role_arn"].split(":")[4]) >= 1, host
