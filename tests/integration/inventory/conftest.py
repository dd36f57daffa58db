"""An AWS Organization on a moto server of its own, and ansible-inventory runs against it.

The organization has nested units, tags, a closed account and two accounts with one name:

    root: master (the management account), shared-tools
      Workloads: workloads-network
        Prod: payments-prod, web-prod
        Non Prod: web-dev, old-dev (closed)
      Sandbox: sandbox, sandbox

Its own server: the session's organization gains member accounts from every other test.
"""

from __future__ import annotations

import json
import os
import subprocess

import boto3
import pytest
import yaml

from tests.support import aws
from tests.support.fleet import BIN, ansible_env
from tests.support.moto_server import MotoServer

PLUGIN = "fleetiam.maintenance_windows.aws_accounts"

# name -> (unit path, tags); "" is the root.
ACCOUNTS = (
    ("shared-tools", "", {"Env": "shared"}),
    ("workloads-network", "Workloads", {"Env": "prod", "Team": "network"}),
    ("payments-prod", "Workloads/Prod", {"Env": "prod", "Team": "payments"}),
    ("web-prod", "Workloads/Prod", {"Env": "prod"}),
    ("web-dev", "Workloads/Non Prod", {"Env": "dev"}),
    ("old-dev", "Workloads/Non Prod", {"Env": "dev"}),
    ("sandbox", "Sandbox", {}),
    ("sandbox", "Sandbox", {}),
)
CLOSED = "old-dev"


class Organization(object):
    """Ids of the organization's units and accounts, by path and by name."""

    def __init__(self, root_id, units, accounts):
        self.root_id = root_id
        self.units = units  # unit path -> id
        self.accounts = accounts  # [(name, id)] in ACCOUNTS order, the management account first

    def ids(self, name):
        return [account_id for account_name, account_id in self.accounts if account_name == name]

    def id(self, name):
        (account_id,) = self.ids(name)
        return account_id


def create_organization(endpoint_url, region=aws.REGION):
    # The region tells moto the partition, and each partition has organizations of its own.
    org = boto3.client("organizations", endpoint_url=endpoint_url, region_name=region, **aws.HUB_CREDENTIALS)
    org.create_organization(FeatureSet="ALL")
    root_id = org.list_roots()["Roots"][0]["Id"]
    units = {"": root_id}
    for path in sorted({account[1] for account in ACCOUNTS if account[1]}, key=lambda path: path.count("/")):
        parent, name = path.rpartition("/")[::2]
        units[path] = org.create_organizational_unit(ParentId=units[parent], Name=name)["OrganizationalUnit"]["Id"]
    accounts = [("master", org.describe_organization()["Organization"]["MasterAccountId"])]
    for index, (name, unit, tags) in enumerate(ACCOUNTS):
        account_id = org.create_account(
            Email="%s-%d@example.com" % (name, index), AccountName=name,
            Tags=[{"Key": key, "Value": value} for key, value in tags.items()])["CreateAccountStatus"]["AccountId"]
        if unit:
            org.move_account(AccountId=account_id, SourceParentId=root_id, DestinationParentId=units[unit])
        if name == CLOSED:
            org.close_account(AccountId=account_id)
        accounts.append((name, account_id))
    return Organization(root_id, units, accounts)


@pytest.fixture(scope="package")
def org_moto():
    """A moto server for this package's organizations (IAM's managed policies are not needed)."""
    with MotoServer(load_managed_policies=False) as server:
        yield server


@pytest.fixture(scope="package")
def organization(org_moto):
    return create_organization(org_moto.url)


class InventoryRun(object):
    """One ``ansible-inventory --list`` run: its exit code, stderr and the inventory."""

    def __init__(self, returncode, stderr, listing):
        self.returncode = returncode
        self.stderr = stderr
        self.listing = listing

    @property
    def hostvars(self):
        return self.listing["_meta"]["hostvars"]

    @property
    def hosts(self):
        return set(self.hostvars)

    def group_hosts(self, group):
        """The hosts of ``group`` and of the groups below it."""
        entry = self.listing.get(group, {})
        hosts = set(entry.get("hosts", []))
        for child in entry.get("children", []):
            hosts |= self.group_hosts(child)
        return hosts

    def children(self, group):
        return set(self.listing.get(group, {}).get("children", []))


def _plain(value):
    """The value without ansible-inventory's markers of untrusted strings."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@pytest.fixture
def run_inventory(tmp_path):
    """``run_inventory(endpoint_url, **options)``: write ``<tmp>/org.aws_accounts.yml``, list it."""

    def run(endpoint_url, file_name="org.aws_accounts.yml", extra_args=(), **options):
        path = tmp_path / file_name
        config = dict(plugin=PLUGIN, endpoint_url=endpoint_url)
        config.update(options)
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        env = ansible_env()
        # A source that does not parse fails the run instead of leaving an empty inventory.
        env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true"
        process = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(path), "--list"] + list(extra_args),
                                 env=env, capture_output=True, text=True, check=False)
        listing = _plain(json.loads(process.stdout)) if process.returncode == 0 else None
        return InventoryRun(process.returncode, process.stderr, listing)

    return run
