"""The role in a team's own playbook: a few variables, include_role, tasks_from, and mistakes.

The plays run on localhost, one account after the other, as a user would write them
without the collection's fleet inventory; the mistakes must be caught before any AWS call.
"""

from __future__ import annotations

import pytest
import yaml

from tests.integration.fleet.iam_documents import (
    DENY_POLICY_NAME, PASS_ROLE_POLICY_NAME, POLICY_NAME, ROLE_NAME, TASK3_PASS_ROLE_POLICY, TASK4_DENY_POLICY,
    AccountIam, policy_arn, reference, same)
from tests.support.aws_proxy import AwsProxy
from tests.support.fleet import assume_role_arn, run_playbook
from tests.support.moto_server import free_port

LOCALHOST_INVENTORY = """\
all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: "{{ ansible_playbook_python }}"
"""

OWN_PLAYBOOK = """\
- name: Our maintenance windows, the role with three variables
  hosts: localhost
  gather_facts: false
  roles:
    - role: fleetiam.maintenance_windows.permissions
      vars:
        mw_assume_role_arn: %(roles_account)s
        mw_endpoint_url: %(endpoint_url)s
        mw_pass_role_users: [alice]

- name: The same for another account, included as a task
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Maintenance window permissions
      ansible.builtin.include_role:
        name: fleetiam.maintenance_windows.permissions
      vars:
        mw_assume_role_arn: %(include_account)s
        mw_endpoint_url: %(endpoint_url)s
        mw_pass_role_users: [alice]

- name: Only the explicit Deny in a third account
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Deny task registration
      ansible.builtin.include_role:
        name: fleetiam.maintenance_windows.permissions
        tasks_from: deny
      vars:
        mw_assume_role_arn: %(deny_account)s
        mw_endpoint_url: %(endpoint_url)s
        mw_deny_users: [bob]

- name: The third account through an endpoint that does not answer, then twice as in the third play
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Deny task registration, first with no connection
      ansible.builtin.include_role:
        name: fleetiam.maintenance_windows.permissions
        tasks_from: deny
      vars:
        mw_assume_role_arn: %(deny_account)s
        mw_endpoint_url: "{{ endpoint_url }}"
        mw_deny_users: [bob]
        mw_fail_on_error: false
      loop: ["%(closed_endpoint_url)s", "%(endpoint_url)s", "%(endpoint_url)s"]
      loop_control:
        loop_var: endpoint_url

    - name: Neither the failed connection nor the skipped one was taken for this account's session
      ansible.builtin.assert:
        that: mw_summary.status == 'unchanged' and mw_summary.account_id == '%(deny_account_id)s'
"""

# One host per mistake, so that one run shows each of them failing on its own.
MISTAKES_INVENTORY = """\
all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  hosts:
    misspelt-variable:
      mw_pass_role_group: [alice]
    string-for-a-list:
      mw_pass_role_groups: ops
    dict-for-a-list:
      mw_pass_role_groups: {ops: true}
"""

MISTAKES_PLAYBOOK = """\
- name: The role with a mistake in its variables
  hosts: all
  gather_facts: false
  roles:
    - role: fleetiam.maintenance_windows.permissions
      vars:
        mw_assume_role_arn: %(account)s
        mw_endpoint_url: %(endpoint_url)s
"""


@pytest.fixture(scope="module")
def accounts(new_accounts):
    return dict(zip(("roles", "include", "deny"), new_accounts(3, groups=(), users=("alice", "bob"))))


@pytest.fixture(scope="module")
def own_playbook(moto, accounts, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("own-playbook")
    (workdir / "inventory.yml").write_text(LOCALHOST_INVENTORY)
    (workdir / "playbook.yml").write_text(OWN_PLAYBOOK % dict(
        endpoint_url=moto.url, roles_account=assume_role_arn(accounts["roles"]),
        include_account=assume_role_arn(accounts["include"]), deny_account=assume_role_arn(accounts["deny"]),
        deny_account_id=accounts["deny"], closed_endpoint_url="http://127.0.0.1:%d" % free_port()))
    return run_playbook(str(workdir / "playbook.yml"), str(workdir / "inventory.yml"))


@pytest.fixture(scope="module")
def mistakes(moto, accounts, tmp_path_factory):
    """The mistakes' run through a counting proxy: (run, AWS calls that reached the proxy)."""
    workdir = tmp_path_factory.mktemp("mistakes")
    (workdir / "inventory.yml").write_text(MISTAKES_INVENTORY)
    with AwsProxy(moto.url) as proxy:
        (workdir / "playbook.yml").write_text(MISTAKES_PLAYBOOK % dict(
            endpoint_url=proxy.url, account=assume_role_arn(accounts["roles"])))
        run = run_playbook(str(workdir / "playbook.yml"), str(workdir / "inventory.yml"))
        return run, proxy.total_calls()


@pytest.mark.parametrize("account_name", ["roles", "include"])
def test_role_with_three_variables_sets_up_the_account(own_playbook, moto, accounts, account_name):
    assert own_playbook.returncode == 0, own_playbook
    account = AccountIam(moto.url, accounts[account_name])
    assert account.attached_to_role() == [policy_arn(account.account)]
    assert same(account.inline("user", "alice", PASS_ROLE_POLICY_NAME), reference(TASK3_PASS_ROLE_POLICY, account.account))
    assert account.inline_names("user", "bob") == []


def test_tasks_from_deny_writes_the_deny_and_nothing_else(own_playbook, moto, accounts):
    assert own_playbook.returncode == 0, own_playbook
    account = AccountIam(moto.url, accounts["deny"])
    assert same(account.inline("user", "bob", DENY_POLICY_NAME), reference(TASK4_DENY_POLICY, account.account))
    assert account.inline_names("user", "alice") == []
    assert POLICY_NAME not in account.customer_policy_names()
    assert ROLE_NAME not in account.role_names()


def test_mistakes_fail_every_host_before_any_aws_call(mistakes):
    run, aws_calls = mistakes
    assert run.returncode != 0, run
    assert {host: counts["failed"] for host, counts in run.recap.items()} == {
        "misspelt-variable": 1, "string-for-a-list": 1, "dict-for-a-list": 1}
    assert aws_calls == 0


def test_misspelt_variable_is_named(mistakes):
    run = mistakes[0]
    assert "unknown role variables mw_pass_role_group." in " ".join(run.failures()["misspelt-variable"].split()), run


# Argument validation takes the string "ops" for a list (and leaves the string to the role).
WRONG_TYPE_MESSAGES = {
    "string-for-a-list": "not lists: mw_pass_role_groups.",
    "dict-for-a-list": "argument 'mw_pass_role_groups' is of type dict and we were unable to convert to list",
}


@pytest.mark.parametrize("host", sorted(WRONG_TYPE_MESSAGES))
def test_wrong_type_is_named(mistakes, host):
    run = mistakes[0]
    assert WRONG_TYPE_MESSAGES[host] in " ".join(run.failures()[host].split()), run


# The role in a user's own play on an inventory of accounts, one of them naming a group that
# does not exist in it: the role's own preflight must stop that account before its first write.
OWN_FLEET_PLAYBOOK = """\
- name: Our maintenance windows in every account
  hosts: all
  gather_facts: false
  roles:
    - role: fleetiam.maintenance_windows.permissions
      vars:
        mw_endpoint_url: %(endpoint_url)s
        mw_pass_role_groups: "{{ operators }}"
"""


@pytest.fixture(scope="module")
def own_fleet(moto, new_accounts, tmp_path_factory):
    """(run, {host: account}, {host: IAM before}, {host: IAM after}) of the user's own fleet play."""
    from tests.integration.modules.module_runs import iam_snapshot
    from tests.support import aws

    workdir = tmp_path_factory.mktemp("own-fleet")
    accounts = dict(zip(("good-1", "missing-group", "good-2"), new_accounts(3, groups=("operators",))))
    inventory = {"all": {"vars": {"ansible_connection": "local",
                                  "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                         "hosts": {host: {"mw_assume_role_arn": assume_role_arn(account),
                                          "operators": ["no-such-group" if host == "missing-group" else "operators"]}
                                   for host, account in accounts.items()}}}
    (workdir / "inventory.yml").write_text(yaml.safe_dump(inventory))
    (workdir / "playbook.yml").write_text(OWN_FLEET_PLAYBOOK % dict(endpoint_url=moto.url))
    clients = {host: aws.account_client(moto.url, account, "iam") for host, account in accounts.items()}
    before = {host: iam_snapshot(iam) for host, iam in clients.items()}
    run = run_playbook(str(workdir / "playbook.yml"), str(workdir / "inventory.yml"))
    return run, accounts, before, {host: iam_snapshot(iam) for host, iam in clients.items()}


def test_the_role_in_a_users_own_play_writes_nothing_in_an_account_that_fails_its_preflight(own_fleet, moto):
    run, accounts, before, after = own_fleet
    assert run.recap["missing-group"]["failed"] == 1, run
    assert "no-such-group" in run.failures()["missing-group"] and accounts["missing-group"] in run.failures()["missing-group"]
    assert after["missing-group"] == before["missing-group"]


@pytest.mark.parametrize("host", ["good-1", "good-2"])
def test_the_other_accounts_of_that_play_converge(own_fleet, moto, host):
    run, accounts = own_fleet[:2]
    assert run.recap[host]["failed"] == 0, run
    account = AccountIam(moto.url, accounts[host])
    assert account.attached_to_role() == [policy_arn(account.account)]
    assert same(account.inline("group", "operators", PASS_ROLE_POLICY_NAME),
                reference(TASK3_PASS_ROLE_POLICY, account.account))


def test_the_role_back_in_an_account_connects_again_after_a_failure_and_keeps_a_session_that_serves(own_playbook):
    # The fourth play's first connection fails and is recorded; its second, with the third
    # play's settings, connects again instead of taking the failed result for that session;
    # its third, with those settings still, skips the connection, whose skipped result must
    # not stand in for the session either.
    assert own_playbook.returncode == 0, own_playbook
    assert "Neither the failed connection nor the skipped one was taken for this account's session" in own_playbook.output
