"""AwsContext for any service: pages through retries, not-found per service, check mode,
removals that find nothing, and region views. botocore's Stubber answers; no network."""

from __future__ import annotations

import datetime

import pytest
from botocore.stub import Stubber

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.aws_sdk import ClientError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.context import AwsContext
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import AwsApiError
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.retries import RetryPolicy, classify
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.services import SERVICE_ERRORS

ACCOUNT = "111122223333"
POLICY_ARN = "arn:aws:iam::%s:policy/MwPolicy" % ACCOUNT
WHEN = datetime.datetime(2024, 1, 1)


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def ctx(sleeps):
    params = dict(access_key="AKIDEXAMPLE", secret_key="secret", region="us-east-1", account_id=ACCOUNT)
    return AwsContext(params, RetryPolicy(sleep=sleeps.append, rng=lambda: 0.0))


@pytest.fixture
def stub(ctx):
    stubbers = {}

    def stubbed(service, region=None):
        client = ctx.client(service, region)
        if id(client) not in stubbers:
            stubbers[id(client)] = Stubber(client)
            stubbers[id(client)].activate()
        return stubbers[id(client)]

    yield stubbed
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


def version(number, default=False):
    return dict(VersionId="v%d" % number, IsDefaultVersion=default, CreateDate=WHEN)


def test_pages_follow_the_paginator_tokens_and_retry_each_page(ctx, stub, sleeps):
    iam = stub("iam")
    iam.add_response("list_policy_versions", dict(Versions=[version(1, True)], IsTruncated=True, Marker="m1"),
                     dict(PolicyArn=POLICY_ARN))
    iam.add_client_error("list_policy_versions", "Throttling", http_status_code=400)
    iam.add_response("list_policy_versions", dict(Versions=[version(2)], IsTruncated=True, Marker="m2"),
                     dict(PolicyArn=POLICY_ARN, Marker="m1"))
    iam.add_response("list_policy_versions", dict(Versions=[version(3)], IsTruncated=False),
                     dict(PolicyArn=POLICY_ARN, Marker="m2"))
    versions = ctx.pages("iam", "list_policy_versions", "Versions", "managed policy MwPolicy", PolicyArn=POLICY_ARN)
    assert [v["VersionId"] for v in versions] == ["v1", "v2", "v3"]
    assert ctx.calls == {"list_policy_versions": 3}
    assert ctx.retries == 1
    assert len(sleeps) == 1


def test_next_token_pages_of_another_service(ctx, stub):
    ssm = stub("ssm")
    ssm.add_response("describe_maintenance_windows", dict(WindowIdentities=[dict(WindowId="mw-1" + "0" * 16)],
                                                          NextToken="t1"), {})
    ssm.add_response("describe_maintenance_windows", dict(WindowIdentities=[dict(WindowId="mw-2" + "0" * 16)]),
                     dict(NextToken="t1"))
    windows = ctx.pages("ssm", "describe_maintenance_windows", "WindowIdentities", "maintenance windows")
    assert [w["WindowId"][:4] for w in windows] == ["mw-1", "mw-2"]
    assert ctx.calls == {"describe_maintenance_windows": 2}


def test_pages_with_several_keys_collect_each(ctx, stub):
    iam = stub("iam")
    iam.add_response("list_entities_for_policy", dict(PolicyRoles=[dict(RoleName="a")], PolicyUsers=[dict(UserName="u")],
                                                      IsTruncated=True, Marker="m1"),
                     dict(PolicyArn=POLICY_ARN))
    iam.add_response("list_entities_for_policy", dict(PolicyRoles=[dict(RoleName="b")], IsTruncated=False),
                     dict(PolicyArn=POLICY_ARN, Marker="m1"))
    found = ctx.pages("iam", "list_entities_for_policy", ("PolicyGroups", "PolicyUsers", "PolicyRoles"), "p",
                      PolicyArn=POLICY_ARN)
    assert found == dict(PolicyGroups=[], PolicyUsers=[dict(UserName="u")],
                         PolicyRoles=[dict(RoleName="a"), dict(RoleName="b")])


def test_an_operation_without_a_paginator_is_one_call(ctx, stub):
    assert not ctx.client("iam").can_paginate("list_saml_providers")
    stub("iam").add_response("list_saml_providers", dict(SAMLProviderList=[dict(Arn="arn:aws:iam::1:saml-provider/x")]))
    assert len(ctx.pages("iam", "list_saml_providers", "SAMLProviderList", "saml providers")) == 1
    assert ctx.calls == {"list_saml_providers": 1}


def test_a_repeated_page_token_is_an_error_not_a_loop(ctx, stub):
    ssm = stub("ssm")
    ssm.add_response("describe_maintenance_windows", dict(WindowIdentities=[], NextToken="same"), {})
    ssm.add_response("describe_maintenance_windows", dict(WindowIdentities=[], NextToken="same"), dict(NextToken="same"))
    with pytest.raises(AwsApiError, match="same page token twice"):
        ctx.pages("ssm", "describe_maintenance_windows", "WindowIdentities", "maintenance windows")


def test_pages_answer_none_for_a_code_in_none_on(ctx, stub):
    stub("iam").add_client_error("list_attached_role_policies", "NoSuchEntity", http_status_code=404)
    assert ctx.pages("iam", "list_attached_role_policies", "AttachedPolicies", "role r", none_on="not_found",
                     RoleName="r") is None


@pytest.mark.parametrize("service, operation, code, request_params", [
    ("iam", "get_role", "NoSuchEntity", dict(RoleName="r")),
    ("organizations", "describe_account", "AccountNotFoundException", dict(AccountId="222233334444")),
    ("organizations", "describe_organizational_unit", "OrganizationalUnitNotFoundException",
     dict(OrganizationalUnitId="ou-ab12-cdef3456")),
    ("ssm", "get_maintenance_window", "DoesNotExistException", dict(WindowId="mw-" + "0" * 17)),
    ("sso-admin", "describe_permission_set", "ResourceNotFoundException",
     dict(InstanceArn="arn:aws:sso:::instance/ssoins-1234567890abcdef",
          PermissionSetArn="arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef")),
    ("ec2", "describe_instances", "InvalidInstanceID.NotFound", dict(InstanceIds=["i-0123456789abcdef0"])),
])
def test_not_found_is_each_services_own_code(ctx, stub, service, operation, code, request_params):
    stub(service).add_client_error(operation, code, http_status_code=400)
    assert ctx.read(service, operation, "thing", none_on="not_found", **request_params) is None


def test_another_services_not_found_code_is_an_error(ctx, stub):
    stub("ssm").add_client_error("get_maintenance_window", "NoSuchEntity", http_status_code=400)
    with pytest.raises(AwsApiError) as raised:
        ctx.read("ssm", "get_maintenance_window", "maintenance window mw-x", none_on="not_found",
                 WindowId="mw-" + "0" * 17)
    assert raised.value.code == "NoSuchEntity"


def test_a_permanent_error_names_account_resource_operation_code_and_fix(ctx, stub):
    stub("ssm").add_client_error("describe_maintenance_windows", "AccessDeniedException", "not allowed",
                                 http_status_code=400)
    with pytest.raises(AwsApiError) as raised:
        ctx.read("ssm", "describe_maintenance_windows", "maintenance windows in us-east-1")
    message = raised.value.message()
    assert message.startswith("account %s, maintenance windows in us-east-1: describe_maintenance_windows failed: "
                              "AccessDeniedException: not allowed" % ACCOUNT)
    assert "Fix: grant the automation's identity this IAM action" in message
    assert raised.value.operation == "DescribeMaintenanceWindows"


def test_each_services_temporary_conditions_are_retried_there_only():
    def error(code):
        return ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "Op")

    assert classify(error("TooManyUpdates"), "ssm") == "transient"
    assert classify(error("ConcurrentModificationException"), "organizations") == "transient"
    assert classify(error("ConflictException"), "sso-admin") == "transient"
    assert classify(error("EntityTemporarilyUnmodifiable"), "iam") == "transient"
    assert classify(error("EntityTemporarilyUnmodifiable"), "ssm") == "permanent"
    assert classify(error("ConflictException"), "ssm") == "permanent"
    assert classify(error("Throttling"), "ec2") == "transient"


def test_the_table_names_the_services_the_collection_uses():
    assert set(SERVICE_ERRORS) >= {"iam", "sts", "organizations", "sso-admin", "ssm", "ec2"}


def test_a_write_in_check_mode_calls_nothing(ctx, stub):
    stub("iam")
    assert ctx.write("iam", "delete_role", "role r", True, RoleName="r") is None
    assert ctx.calls == {}


def test_a_removal_that_finds_nothing_is_done(ctx, stub):
    stub("iam").add_client_error("delete_role", "NoSuchEntity", http_status_code=404)
    stub("ssm").add_client_error("deregister_task_from_maintenance_window", "DoesNotExistException",
                                 http_status_code=400)
    assert ctx.write("iam", "delete_role", "role r", False, RoleName="r") is None
    assert ctx.write("ssm", "deregister_task_from_maintenance_window", "task", False,
                     WindowId="mw-" + "0" * 17, WindowTaskId="00000000-0000-0000-0000-000000000000") is None


def test_another_write_that_finds_nothing_is_an_error(ctx, stub):
    stub("iam").add_client_error("put_role_policy", "NoSuchEntity", http_status_code=404)
    with pytest.raises(AwsApiError, match="put_role_policy failed: NoSuchEntity"):
        ctx.write("iam", "put_role_policy", "role r", False, RoleName="r", PolicyName="p", PolicyDocument="{}")


def test_region_views_share_session_counters_and_identity(ctx, stub, sleeps):
    view = ctx.in_region("eu-west-1")
    assert view.region == "eu-west-1" and ctx.region == "us-east-1"
    assert view.client("ssm").meta.region_name == "eu-west-1"
    assert view.client("ssm") is ctx.client("ssm", region="eu-west-1")
    assert view.client("ssm") is not ctx.client("ssm")
    assert view.account_id == ACCOUNT and view.retry_policy is ctx.retry_policy
    ssm_eu = stub("ssm", "eu-west-1")
    ssm_eu.add_client_error("describe_maintenance_windows", "ThrottlingException", http_status_code=400)
    ssm_eu.add_response("describe_maintenance_windows", dict(WindowIdentities=[]), {})
    stub("ssm").add_response("describe_maintenance_windows", dict(WindowIdentities=[]), {})
    assert view.pages("ssm", "describe_maintenance_windows", "WindowIdentities", "windows") == []
    assert ctx.pages("ssm", "describe_maintenance_windows", "WindowIdentities", "windows") == []
    assert ctx.calls == {"describe_maintenance_windows": 2} and view.calls is ctx.calls
    assert ctx.retries == 1 and view.retries == 1


def test_an_action_plugin_warms_the_services_its_reconciler_names(monkeypatch):
    from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.audit import MaintenanceWindowAudit
    from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils import in_process

    warmed = []
    monkeypatch.setattr(in_process, "warm_service_models", warmed.append)

    class AuditAction(in_process.InProcessAction):
        reconciler = MaintenanceWindowAudit

    assert warmed == [("sts", "ec2", "iam", "ssm")]


def test_warming_loads_any_services_model_and_paginators(ctx):
    from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import sessions

    sessions.warm_service_models(("ssm", "organizations"))
    config = sessions.paginator_config(ctx.client("organizations"), "list_accounts_for_parent")
    assert (config["input_token"], config["output_token"]) == ("NextToken", "NextToken")
    assert sessions.paginator_config(ctx.client("iam"), "get_role") is None


def test_each_session_has_botocore_builtin_handlers_of_its_own():
    from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import sessions

    first, second = sessions.new_session(), sessions.new_session()
    seen = []
    first.register("fleetiam-probe.iam.GetRole", lambda **kwargs: seen.append("first"))
    for session in (second, sessions.new_session()):
        session.get_component("event_emitter").emit("fleetiam-probe.iam.GetRole")
    assert seen == []
    first.get_component("event_emitter").emit("fleetiam-probe.iam.GetRole")
    assert seen == ["first"]

    # A built-in handler: IAM answers policy documents URL-encoded, botocore decodes them.
    model = second.get_service_model("iam").operation_model("GetRolePolicy")
    parsed = {"PolicyDocument": "%7B%22Version%22%3A%20%222012-10-17%22%7D"}
    second.get_component("event_emitter").emit("after-call.iam.GetRolePolicy", parsed=parsed, model=model)
    assert parsed["PolicyDocument"] == {"Version": "2012-10-17"}


def test_an_action_plugin_warms_the_policy_reference_of_the_collections_own_documents(monkeypatch):
    from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy_reference
    from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.role import Role
    from ansible_collections.fleetiam.maintenance_windows.plugins.plugin_utils import in_process

    read = []
    monkeypatch.setattr(in_process, "warm_service_models", lambda services: None)
    monkeypatch.setattr(policy_reference, "service", read.append)
    monkeypatch.setattr(policy_reference, "data_file", lambda: "/reference.json")

    class RoleAction(in_process.InProcessAction):
        reconciler = Role

    assert read == list(policy_reference.OWN_SERVICES)
    monkeypatch.setattr(policy_reference, "data_file", lambda: None)
    read.clear()

    class RoleActionWithoutReference(in_process.InProcessAction):
        reconciler = Role

    assert read == []
