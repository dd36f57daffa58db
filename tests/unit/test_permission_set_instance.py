"""Which IAM Identity Center instance permission_set_policies acts on, and what an sso-admin
refusal says: none or several instances are errors naming them; access denied names the
permission set, the instance and the sso-admin actions."""

from __future__ import annotations

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    InvalidInputError,
)
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.permission_set import PermissionSetPolicies

ONE = "arn:aws:sso:::instance/ssoins-1111111111111111"
TWO = "arn:aws:sso:::instance/ssoins-2222222222222222"


class ListsInstances(object):
    """A context whose ListInstances answers ``instances`` and whose next read is refused."""

    partition = "aws"
    account_id = "111111111111"

    def __init__(self, instances):
        self.instances = instances

    def pages(self, service, operation, key, resource, **request):
        if operation == "list_instances":
            return [dict(InstanceArn=arn) for arn in self.instances]
        raise AwsApiError("%s failed: AccessDeniedException: not authorized" % operation, resource=resource,
                          account=self.account_id, code="AccessDeniedException")


def _run(instances, **params):
    return PermissionSetPolicies(ListsInstances(instances), dict(permission_set="Operators", **params), False).run()


def test_several_instances_are_an_error_that_names_them():
    with pytest.raises(InvalidInputError) as failure:
        _run([TWO, ONE])
    assert "has 2 IAM Identity Center instances: %s, %s" % (ONE, TWO) in failure.value.message()
    assert "Fix: set mw_identity_center_instance_arn" in failure.value.message()


def test_no_instance_is_an_error_that_says_where_to_run():
    with pytest.raises(InvalidInputError) as failure:
        _run([])
    assert "this account has no IAM Identity Center instance" in failure.value.message()


def test_access_denied_names_the_set_the_instance_and_the_sso_admin_actions():
    with pytest.raises(AwsApiError) as failure:
        _run([ONE])
    message = failure.value.message()
    assert "permission set Operators of instance %s: list_permission_sets failed: AccessDeniedException" % ONE in message
    assert "Fix: grant the automation's identity in the Identity Center account sso-admin:ListInstances" in message


def test_a_given_instance_is_not_looked_up():
    with pytest.raises(AwsApiError) as failure:
        _run([], instance_arn=TWO)
    assert "instance %s" % TWO in failure.value.message()
