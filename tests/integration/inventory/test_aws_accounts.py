"""The aws_accounts inventory plugin against moto's Organizations, through ansible-inventory."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.support import aws
from tests.support.aws_proxy import AwsProxy
from tests.support.fleet import BIN, PLAYBOOKS, ansible_env

from .conftest import CLOSED, create_organization


def role_arn(account_id, partition="aws"):
    return "arn:%s:iam::%s:role/%s" % (partition, account_id, aws.ADMIN_ROLE)


def test_whole_organization_lists_active_accounts_grouped_by_unit(org_moto, organization, run_inventory):
    run = run_inventory(org_moto.url)

    assert run.returncode == 0, run.stderr
    sandbox_hosts = {"sandbox-%s" % account_id for account_id in organization.ids("sandbox")}
    assert run.hosts == {"master", "shared-tools", "workloads-network", "payments-prod", "web-prod", "web-dev"} | sandbox_hosts
    assert "share the name 'sandbox'" in run.stderr
    assert run.group_hosts("mw_accounts") == run.hosts
    # Units nest like the organization; names are sanitised ("Non Prod"); the root is no group.
    assert run.children("mw_accounts") == {"ou_Workloads", "ou_Sandbox"}
    assert run.children("ou_Workloads") == {"ou_Prod", "ou_Non_Prod"}
    assert run.group_hosts("ou_Workloads") == {"workloads-network", "payments-prod", "web-prod", "web-dev"}
    assert run.group_hosts("ou_Non_Prod") == {"web-dev"}
    assert run.group_hosts("ou_Sandbox") == sandbox_hosts

    payments = organization.id("payments-prod")
    host_vars = run.hostvars["payments-prod"]
    assert {name: value for name, value in host_vars.items() if name != "aws_account_email"} == {
        "mw_account_id": payments,
        "mw_account_name": "payments-prod",
        "aws_account_state": "ACTIVE",
        "aws_account_tags": {"Env": "prod", "Team": "payments"},
        "aws_account_ou_id": organization.units["Workloads/Prod"],
        "aws_account_ou_path": "Workloads/Prod",
        "mw_assume_role_arn": role_arn(payments),
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
    }
    assert run.hostvars["shared-tools"]["aws_account_ou_id"] == organization.root_id
    assert run.hostvars["shared-tools"]["aws_account_ou_path"] == ""


def test_closed_account_is_listed_only_when_its_state_is_asked_for(org_moto, organization, run_inventory):
    unit = organization.units["Workloads/Non Prod"]
    default = run_inventory(org_moto.url, organizational_unit_ids=[unit])
    with_suspended = run_inventory(org_moto.url, organizational_unit_ids=[unit], account_states=["ACTIVE", "SUSPENDED"])

    assert default.hosts == {"web-dev"}
    assert with_suspended.hosts == {"web-dev", CLOSED}
    # moto closes an account straight to SUSPENDED (AWS passes through PENDING_CLOSURE).
    assert with_suspended.hostvars[CLOSED]["aws_account_state"] == "SUSPENDED"


def test_parent_unit_includes_the_accounts_of_its_children(org_moto, organization, run_inventory):
    run = run_inventory(org_moto.url, organizational_unit_ids=[organization.units["Workloads"]])

    assert run.hosts == {"workloads-network", "payments-prod", "web-prod", "web-dev"}
    assert run.children("mw_accounts") == {"ou_Workloads"}
    assert run.children("ou_Workloads") == {"ou_Prod", "ou_Non_Prod"}


def test_without_child_units_only_the_units_own_accounts(org_moto, organization, run_inventory):
    units = [organization.units["Workloads"], organization.units["Workloads/Non Prod"]]
    run = run_inventory(org_moto.url, organizational_unit_ids=units, include_child_units=False)

    assert run.hosts == {"workloads-network", "web-dev"}
    assert run.children("mw_accounts") == {"ou_Workloads", "ou_Non_Prod"}


def test_root_id_lists_the_whole_organization(org_moto, organization, run_inventory):
    run = run_inventory(org_moto.url, organizational_unit_ids=[organization.root_id], hostname_source="id")

    active = {account_id for name, account_id in organization.accounts if name != CLOSED}
    assert run.hosts == active


@pytest.mark.parametrize("tag_filters, expected", [
    ({"Env": "prod"}, {"workloads-network", "payments-prod", "web-prod"}),
    ({"Env": ["prod", "dev"], "Team": None}, {"workloads-network", "payments-prod"}),
    ({"Owner": None}, set()),
], ids=["one-value", "values-and-any-value", "missing-key"])
def test_tag_filters(org_moto, run_inventory, tag_filters, expected):
    run = run_inventory(org_moto.url, tag_filters=tag_filters, read_tags=False)

    assert run.returncode == 0, run.stderr
    assert run.hosts == expected


def test_keyed_groups_by_tag(org_moto, organization, run_inventory):
    run = run_inventory(org_moto.url, keyed_groups=[{"key": "aws_account_tags", "prefix": "tag", "parent_group": "mw_accounts"}])

    assert run.group_hosts("tag_Env_prod") == {"workloads-network", "payments-prod", "web-prod"}
    assert run.group_hosts("tag_Env_dev") == {"web-dev"}
    assert run.group_hosts("tag_Team_payments") == {"payments-prod"}
    assert {"tag_Env_prod", "tag_Env_shared", "tag_Team_network"} <= run.children("mw_accounts")


def test_include_and_exclude_lists(org_moto, organization, run_inventory):
    run = run_inventory(org_moto.url,
                        include_account_ids=[organization.id(name) for name in ("payments-prod", "web-prod", "web-dev")],
                        exclude_account_ids=[organization.id("web-prod"), organization.id("master")])

    assert run.hosts == {"payments-prod", "web-dev"}


def test_compose_groups_and_another_member_role(org_moto, organization, run_inventory):
    run = run_inventory(
        org_moto.url, member_role_name="MaintenanceWindowsAdmin", hostname_source="id", ou_groups=False,
        account_group="fleet", include_account_ids=[organization.id("payments-prod"), organization.id("shared-tools")],
        compose={"mw_endpoint_url": "'%s'" % org_moto.url, "mw_account_label": "mw_account_name | upper"},
        groups={"production": "aws_account_tags.Env | default('') == 'prod'"})

    payments = organization.id("payments-prod")
    assert run.hosts == {payments, organization.id("shared-tools")}
    assert run.hostvars[payments]["mw_assume_role_arn"] == "arn:aws:iam::%s:role/MaintenanceWindowsAdmin" % payments
    assert run.hostvars[payments]["mw_endpoint_url"] == org_moto.url
    assert run.hostvars[payments]["mw_account_label"] == "PAYMENTS-PROD"
    assert run.group_hosts("production") == {payments}
    assert run.group_hosts("fleet") == run.hosts
    assert "mw_accounts" not in run.listing
    assert not any(group.startswith("ou_") for group in run.listing)


def test_the_management_account_is_the_organisations_host_of_its_own(org_moto, organization, run_inventory):
    run = run_inventory(org_moto.url, organization_host="organization", organization_role_name="OrganizationAdmin",
                        compose={"mw_endpoint_url": "'%s'" % org_moto.url})

    master = organization.id("master")
    assert run.group_hosts("mw_organization") == {"organization"}
    assert "organization" not in run.group_hosts("mw_accounts")
    host = run.hostvars["organization"]
    assert (host["mw_account_id"], host["mw_assume_role_arn"], host["mw_endpoint_url"], host["ansible_connection"]) == (
        master, "arn:aws:iam::%s:role/OrganizationAdmin" % master, org_moto.url, "local")


def test_a_delegated_administrator_can_be_the_organisations_host(org_moto, organization, run_inventory):
    admin = organization.id("shared-tools")
    run = run_inventory(org_moto.url, organization_host="org", organization_account_id=admin,
                        organization_group="organisation")

    assert run.group_hosts("organisation") == {"org"}
    assert run.hostvars["org"]["mw_account_id"] == admin
    assert run.hostvars["org"]["mw_assume_role_arn"] == "arn:aws:iam::%s:role/OrganizationAccountAccessRole" % admin


def test_no_organisation_host_unless_asked(org_moto, run_inventory):
    assert "mw_organization" not in run_inventory(org_moto.url).listing


def test_an_organisation_account_outside_the_organisation_fails_with_the_fix(org_moto, run_inventory):
    run = run_inventory(org_moto.url, organization_host="organization", organization_account_id="000000000042")

    assert run.returncode != 0
    assert "organization_account_id 000000000042 is not an account of this organization" in " ".join(run.stderr.split())


def test_role_arns_follow_the_partition_of_the_organization(org_moto, run_inventory):
    china = create_organization(org_moto.url, region="cn-north-1")

    run = run_inventory(org_moto.url, region="cn-north-1", hostname_source="id",
                        include_account_ids=[china.id("payments-prod")])

    payments = china.id("payments-prod")
    assert run.hosts == {payments}
    assert run.hostvars[payments]["mw_assume_role_arn"] == role_arn(payments, partition="aws-cn")


def test_cached_inventory_makes_no_organizations_call(org_moto, organization, run_inventory, tmp_path):
    options = dict(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"),
                   organizational_unit_ids=[organization.units["Workloads"]])
    with AwsProxy(org_moto.url) as proxy:
        first = run_inventory(proxy.url, **options)
        first_calls = dict(proxy.calls)
        proxy.reset_counts()
        cached = run_inventory(proxy.url, **options)
        cached_calls = proxy.total_calls()
        other_query = run_inventory(proxy.url, exclude_account_ids=[organization.id("web-dev")], **options)
        other_query_calls = proxy.total_calls()
        proxy.reset_counts()
        flushed = run_inventory(proxy.url, extra_args=["--flush-cache"], **options)
        flushed_calls = proxy.total_calls()

    assert set(first_calls) == {"DescribeOrganizationalUnit", "ListAccountsForParent", "ListOrganizationalUnitsForParent",
                                "ListTagsForResource"}
    # One tag read per account listed.
    assert first_calls["ListTagsForResource"] == 4
    assert cached_calls == 0
    assert cached.listing == first.listing
    # A cached inventory read with other options is read again.
    assert other_query_calls > 0
    assert other_query.hosts == first.hosts - {"web-dev"}
    assert flushed_calls > 0
    assert flushed.listing == first.listing


def test_unknown_unit_fails_with_the_fix(org_moto, run_inventory):
    run = run_inventory(org_moto.url, organizational_unit_ids=["ou-zzzz-00000000"])

    assert run.returncode != 0
    assert "DescribeOrganizationalUnit failed" in run.stderr
    assert "Fix: check organizational_unit_ids" in run.stderr


def test_inventory_file_name_must_end_in_aws_accounts_yml(org_moto, run_inventory):
    run = run_inventory(org_moto.url, file_name="org.yml")

    assert run.returncode != 0
    assert "Plugin configuration YAML file, not YAML inventory" in run.stderr


def test_setup_playbook_runs_on_a_listed_account(org_moto, organization, tmp_path):
    """The plugin's hosts are the playbooks' hosts: mw_accounts, the assume-role ARN, a local
    connection with a working interpreter (ansible.builtin.ping runs a real module)."""
    inventory = tmp_path / "fleet.aws_accounts.yml"
    inventory.write_text(
        "plugin: fleetiam.maintenance_windows.aws_accounts\n"
        "endpoint_url: %s\n"
        "read_tags: false\n"
        "compose:\n"
        "  mw_endpoint_url: \"'%s'\"\n" % (org_moto.url, org_moto.url))
    env = ansible_env()
    env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true"
    ping = subprocess.run([os.path.join(BIN, "ansible"), "-i", str(inventory), "mw_accounts", "--limit", "payments-prod",
                           "-m", "ansible.builtin.ping"], env=env, capture_output=True, text=True, check=False)
    setup = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", str(inventory), "--limit", "payments-prod",
                            "-e", "mw_report_dir=%s" % (tmp_path / "report"), os.path.join(PLAYBOOKS, "setup.yml")],
                           env=env, capture_output=True, text=True, check=False)

    assert ping.returncode == 0, ping.stdout + ping.stderr
    assert "ping: pong" in ping.stdout
    assert setup.returncode == 0, setup.stdout + setup.stderr
    iam = aws.account_client(org_moto.url, organization.id("payments-prod"), "iam")
    assert iam.get_role(RoleName="MaintenanceWindowServiceRole")["Role"]["Arn"].endswith(
        ":%s:role/MaintenanceWindowServiceRole" % organization.id("payments-prod"))
