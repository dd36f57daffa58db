"""The roles of IAM Identity Center (AWSReservedSSO_..., under /aws-reserved/sso.amazonaws.com/)
named as Task 3 or 4 principals: refused before any call by their name, and IAM's own
UnmodifiableEntity answer (the local AWS gives it, as IAM does) becomes the same message, which
points to the permission-set variables."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.attachment import PolicyAttachment
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import InvalidInputError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.inline_policy import InlinePolicy

from tests.integration.modules.guide_documents import DENY, TRUST

SSO_PATH = "/aws-reserved/sso.amazonaws.com/"
POINTER = "Fix: remove %r from mw_pass_role_roles / mw_deny_roles and name its permission set in " \
          "mw_pass_role_permission_sets / mw_deny_permission_sets instead"


def _protected(message, account, role):
    return ("account %s, role %s: the role is IAM Identity Center's (under %s), which IAM refuses to change"
            % (account, role, SSO_PATH)) in message and POINTER % role in message


@pytest.mark.parametrize("reconciler, options", [
    (InlinePolicy, dict(policy_name="DenyMaintenanceWindowTaskRegistration", policy=DENY)),
    (PolicyAttachment, dict(policy_arn="AmazonSSMFullAccess")),
], ids=["inline-policy", "attachment"])
def test_an_identity_center_role_is_refused_by_its_name_before_any_write(run, account, account_iam, snapshot,
                                                                         unique_suffix, reconciler, options):
    role = "AWSReservedSSO_Operators_0123456789abcdef" + unique_suffix
    account_iam.create_role(RoleName=role, Path=SSO_PATH, AssumeRolePolicyDocument=json.dumps(TRUST))
    before = snapshot()
    with pytest.raises(InvalidInputError) as failure:
        run(reconciler, principal_type="role", principal_name=role, **options)
    assert _protected(failure.value.message(), account, role)
    assert snapshot() == before


def test_iams_unmodifiable_entity_answer_becomes_the_same_message(run, account, account_iam, snapshot, unique_suffix):
    role = "operators-via-sso" + unique_suffix  # a protected role whose name does not tell
    account_iam.create_role(RoleName=role, Path=SSO_PATH, AssumeRolePolicyDocument=json.dumps(TRUST))
    before = snapshot()
    with pytest.raises(InvalidInputError) as failure:
        run(InlinePolicy, principal_type="role", principal_name=role,
            policy_name="DenyMaintenanceWindowTaskRegistration", policy=DENY)
    assert _protected(failure.value.message(), account, role)
    assert snapshot() == before
