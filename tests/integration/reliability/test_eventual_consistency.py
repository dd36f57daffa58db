"""IAM is eventually consistent: a role that CreateRole has just made can stay unreadable for
a while, and a policy that CreatePolicy has just made unattachable. The proxy hides them
from the next GetRole or Attach*Policy calls; the clock and sleep are fake."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import runner
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    InvalidInputError,
)

from tests.support.aws_proxy import AwsProxy, DelayedVisibility

from .setup_tasks import (
    POLICY_NAME,
    REGISTRANTS_GROUP,
    ROLE_NAME,
    PolicyAttachment,
    Role,
    apply_steps,
    connection_for,
    fast_retry_policy,
    params,
    policy_arn,
    trust_policy,
)


class FakeTime(object):
    """A clock that only moves when something sleeps, and remembers every sleep."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def create_role(connection, account, time, wait_timeout):
    values = dict(name=ROLE_NAME, assume_role_policy=trust_policy(), wait_timeout=wait_timeout,
                  managed_policies=[policy_arn(account)])
    return runner.reconcile(Role, params(Role, connection, **values), False,
                            fast_retry_policy(sleep=time.sleep, clock=time.clock))


@pytest.fixture
def account_with_policy(moto, task_account):
    """The Task 1 policy exists already, so that the role can attach it."""
    account, iam = task_account
    step, values = apply_steps(account)[0]
    runner.reconcile(step, params(step, connection_for(moto.url, account), **values), False)
    return account, iam


def test_the_role_reconciler_waits_for_a_new_role_to_become_readable(moto, account_with_policy):
    account, iam = account_with_policy
    time = FakeTime()
    with AwsProxy(moto.url, visibility=DelayedVisibility(hidden_reads=3)) as proxy:
        result = create_role(connection_for(proxy.url, account), account, time, wait_timeout=10)
    assert result["changed"]
    # One read before the create, three that did not see the new role, one that did.
    assert proxy.calls["GetRole"] == 5
    assert proxy.injected == {"hidden_read": 3}
    assert time.sleeps == [0.5, 1.0, 2.0]
    attached = iam.list_attached_role_policies(RoleName=ROLE_NAME)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [policy_arn(account)]


def test_the_wait_is_bounded_and_its_failure_says_what_to_do(moto, account_with_policy):
    account, iam = account_with_policy
    time = FakeTime()
    visibility = DelayedVisibility(hidden_reads=1000)
    with AwsProxy(moto.url, visibility=visibility) as proxy:
        connection = connection_for(proxy.url, account)
        with pytest.raises(AwsApiError) as failure:
            create_role(connection, account, time, wait_timeout=3)
        assert sum(time.sleeps) <= 3
        assert proxy.calls["GetRole"] == 1 + len(time.sleeps) + 1
        message = failure.value.message()
        assert message.startswith("account %s, role %s: " % (account, ROLE_NAME))
        assert "did not become readable within 3s" in message
        assert "Fix: run again" in message and "wait_timeout" in message
        # The attachment waits for a readable role: nothing was attached to the invisible one.
        assert iam.list_attached_role_policies(RoleName=ROLE_NAME)["AttachedPolicies"] == []

        # Run again while IAM still hides it from the first read and one more: CreateRole says
        # it exists, the reconciler waits for it to show, then finishes the job.
        visibility.remaining[ROLE_NAME] = 2
        result = create_role(connection, account, FakeTime(), wait_timeout=10)
    assert result["changed"]
    attached = iam.list_attached_role_policies(RoleName=ROLE_NAME)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [policy_arn(account)]


def new_policy_unattachable_for(attach_action, attempts):
    """The Task 1 policy, created through the proxy, answers NoSuchEntity to ``attempts`` attaches."""
    return DelayedVisibility(create_action="CreatePolicy", read_action=attach_action, key="PolicyName",
                             read_key="PolicyArn", hidden_reads=attempts)


def create_policy(connection, account):
    step, values = apply_steps(account)[0]
    runner.reconcile(step, params(step, connection, **values), False)


def test_a_new_role_waits_for_the_policy_created_a_moment_ago(moto, task_account):
    account = task_account[0]
    time = FakeTime()
    with AwsProxy(moto.url, visibility=new_policy_unattachable_for("AttachRolePolicy", 2)) as proxy:
        connection = connection_for(proxy.url, account)
        create_policy(connection, account)
        result = create_role(connection, account, time, wait_timeout=10)
    assert result["changed"]
    assert proxy.calls["AttachRolePolicy"] == 3
    assert proxy.injected == {"hidden_read": 2}
    assert time.sleeps == [0.5, 1.0]
    attached = task_account[1].list_attached_role_policies(RoleName=ROLE_NAME)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [policy_arn(account)]


def attach_to_registrants(connection, arn, time, wait_timeout):
    values = dict(principal_type="group", principal_name=REGISTRANTS_GROUP, policy_arn=arn, wait_timeout=wait_timeout)
    return runner.reconcile(PolicyAttachment, params(PolicyAttachment, connection, **values), False,
                            fast_retry_policy(sleep=time.sleep, clock=time.clock))


def test_an_attachment_waits_for_a_new_policy_within_its_bound(moto, task_account):
    account, iam = task_account
    visibility = new_policy_unattachable_for("AttachGroupPolicy", 1000)
    with AwsProxy(moto.url, visibility=visibility) as proxy:
        connection = connection_for(proxy.url, account)
        create_policy(connection, account)
        time = FakeTime()
        with pytest.raises(InvalidInputError) as failure:
            attach_to_registrants(connection, policy_arn(account), time, wait_timeout=4)
        assert sum(time.sleeps) <= 4 and proxy.calls["AttachGroupPolicy"] == 1 + len(time.sleeps)
        assert failure.value.message().startswith(
            "account %s, attachment of %s to group %s: the managed policy %s does not exist (waited 4s"
            % (account, policy_arn(account), REGISTRANTS_GROUP, policy_arn(account)))

        visibility.remaining[POLICY_NAME] = 1
        time = FakeTime()
        assert attach_to_registrants(connection, policy_arn(account), time, wait_timeout=4)["changed"]
        assert time.sleeps == [0.5]
    attached = iam.list_attached_group_policies(GroupName=REGISTRANTS_GROUP)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [policy_arn(account)]


def test_an_aws_managed_policy_that_is_not_found_is_not_waited_for(moto, task_account):
    account, iam = task_account
    time = FakeTime()
    with AwsProxy(moto.url) as proxy:
        with pytest.raises(InvalidInputError) as failure:
            attach_to_registrants(connection_for(proxy.url, account), "arn:aws:iam::aws:policy/AmazonSSMFullAcess",
                                  time, wait_timeout=60)
    assert time.sleeps == [] and proxy.calls["AttachGroupPolicy"] == 1
    assert "the managed policy arn:aws:iam::aws:policy/AmazonSSMFullAcess does not exist. Fix: check the policy " \
           "name or ARN" in failure.value.message()
