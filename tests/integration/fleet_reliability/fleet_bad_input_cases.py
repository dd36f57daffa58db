"""The bad inputs of the fleet-level tests: one account of the fleet gets each of them as a
host variable (or a connection that cannot work), and must fail alone, before any write in
it, with one message that names the account, the input and the fix.

test_fleet_bad_inputs.py runs every row in one playbooks/setup.yml run; docs/reliability.md
holds this table rendered (``python tests/integration/fleet_reliability/fleet_bad_input_cases.py``).
Standard library only, so that the script runs without the test set-up.

In ``host_vars`` and ``says``, ``{account}`` stands for the account's id and ``{port}`` for a
127.0.0.1 port nothing listens on.
"""

from __future__ import annotations

import collections

BadInput = collections.namedtuple("BadInput", "host shown host_vars failed_task says fix")

NOTIFICATION_ROLE = "MaintenanceWindowNotifications"
OTHER_ACCOUNT = "999988887777"  # no account of the fleet
SETTINGS_CHECK = "Variables | Refuse settings that cannot work together"

CASES = [
    BadInput("unknown-variable", "`mw_pass_role_group: [maintenance-operators]` (typo of mw_pass_role_groups)",
             {"mw_pass_role_group": ["maintenance-operators"]},
             "Variables | Refuse mw_ variables", ["unknown role variables mw_pass_role_group."],
             "check their spelling against ansible-doc -t role fleetiam.maintenance_windows.permissions"),
    BadInput("string-for-a-list", "`mw_pass_role_groups: maintenance-operators` (a string)",
             {"mw_pass_role_groups": "maintenance-operators"},
             "Variables | Refuse mw_ variables", ["not lists: mw_pass_role_groups."], "give a YAML list"),
    BadInput("dict-for-a-list", "`mw_pass_role_groups: {maintenance-operators: true}` (a dict)",
             {"mw_pass_role_groups": {"maintenance-operators": True}},
             "Variables | Refuse mw_ variables",
             ["wrong values: argument 'mw_pass_role_groups' is of type dict and we were unable to convert to list"],
             "give each variable named here the type that ansible-doc -t role fleetiam.maintenance_windows.permissions declares"),
    BadInput("account-variable-undefined",
             "`mw_assume_role_arn: arn:aws:iam::{{ account_number }}:role/...` on a host without account_number",
             {"mw_assume_role_arn": "arn:aws:iam::{{ account_number }}:role/OrganizationAccountAccessRole",
              "mw_account_id": "{account}"},
             "Variables | Refuse mw_ variables",
             ["variables whose value uses a variable that this host does not have: mw_assume_role_arn",
              "account_number"],
             "define it for this host in the inventory (host or group variables), or give the value itself"),
    BadInput("missing-task3-user", "`mw_pass_role_users: [nobody]`, a user the account does not have",
             {"mw_pass_role_users": ["nobody"]},
             "Task 3 | Inline policy MaintenanceWindowPassRole", ["user nobody: the user does not exist"],
             "create the user first, or remove 'nobody' from the list of users"),
    BadInput("sns-arn-malformed", "`mw_sns_role_arn: arn:aws::iam::{account}:role/%s`" % NOTIFICATION_ROLE,
             {"mw_sns_role_arn": "arn:aws::iam::{account}:role/%s" % NOTIFICATION_ROLE},
             SETTINGS_CHECK, ["mw_sns_role_arn 'arn:aws::iam::{account}:role/%s' is not a valid IAM role ARN" % NOTIFICATION_ROLE],
             "write it as arn:PARTITION:iam::ACCOUNT:role/NAME"),
    BadInput("sns-arn-other-partition", "`mw_sns_role_arn: arn:aws-cn:iam::{account}:role/%s`" % NOTIFICATION_ROLE,
             {"mw_sns_role_arn": "arn:aws-cn:iam::{account}:role/%s" % NOTIFICATION_ROLE},
             SETTINGS_CHECK, ["is in partition aws-cn, but the account is in partition aws"],
             "give the role's ARN in partition aws"),
    BadInput("sns-arn-wildcard", "`mw_sns_role_arn: \"*\"`", {"mw_sns_role_arn": "*"},
             SETTINGS_CHECK, ["mw_sns_role_arn '*' has a wildcard", "iam:PassRole on every role it matches"],
             "give the ARN of the one role that sends the notifications"),
    BadInput("sns-arn-role-wildcard", "`mw_sns_role_arn: arn:aws:iam::{account}:role/*`",
             {"mw_sns_role_arn": "arn:aws:iam::{account}:role/*"},
             SETTINGS_CHECK, ["mw_sns_role_arn 'arn:aws:iam::{account}:role/*' has a wildcard"],
             "give the ARN of the one role that sends the notifications"),
    BadInput("pass-role-any", "`mw_policy_pass_role_any: true` (the guide's 2022-2023 revision)",
             {"mw_policy_pass_role_any": True},
             SETTINGS_CHECK, ["mw_policy_pass_role_any is true", "(iam:PassRole on *)"],
             "remove it; the current guide's statement, on the service role itself, is the default"),
    BadInput("extra-statement-passes-any-role", "`mw_policy_extra_statements` with iam:PassRole on `arn:aws:iam::{account}:role/*`",
             {"mw_policy_extra_statements": [{"Sid": "PassDeployRoles", "Effect": "Allow", "Action": "iam:PassRole",
                                              "Resource": "arn:aws:iam::{account}:role/*"}]},
             SETTINGS_CHECK, ["mw_policy_extra_statements[0] (Sid 'PassDeployRoles') allows iam:PassRole on a wildcard"],
             "name the roles it passes by their ARNs, or leave iam:PassRole out of that statement"),
    BadInput("sns-arn-topic", "`mw_sns_role_arn` of an SNS topic",
             {"mw_sns_role_arn": "arn:aws:sns:us-east-1:{account}:maintenance-alerts"},
             SETTINGS_CHECK, ["is not a valid IAM role ARN; it must name the IAM role that Systems Manager passes to SNS"],
             "write it as arn:PARTITION:iam::ACCOUNT:role/NAME"),
    BadInput("sns-arn-not-an-arn", "`mw_sns_role_arn: %s` (a name)" % NOTIFICATION_ROLE,
             {"mw_sns_role_arn": NOTIFICATION_ROLE},
             SETTINGS_CHECK, ["mw_sns_role_arn '%s' is not a valid IAM role ARN" % NOTIFICATION_ROLE],
             "write it as arn:PARTITION:iam::ACCOUNT:role/NAME"),
    BadInput("sns-arn-other-account", "`mw_sns_role_arn` of a role in another account",
             {"mw_sns_role_arn": "arn:aws:iam::%s:role/%s" % (OTHER_ACCOUNT, NOTIFICATION_ROLE)},
             SETTINGS_CHECK, ["is a role of account %s, not of this account" % OTHER_ACCOUNT],
             "or set mw_sns_role_allow_other_account: true for this account if that is meant"),
    BadInput("role-path-wildcard", "`mw_role_path: /*/`", {"mw_role_path": "/*/"},
             SETTINGS_CHECK, ["mw_role_path '/*/' has a wildcard"], "give the service role's own path, without * or ?"),
    BadInput("trusted-services-empty", "`mw_trusted_services: []`", {"mw_trusted_services": []},
             SETTINGS_CHECK, ["mw_trusted_services is empty"], "give at least [ssm.amazonaws.com]"),
    BadInput("trusted-service-not-a-service", "`mw_trusted_services: [arn:aws:iam::{account}:root]`",
             {"mw_trusted_services": ["arn:aws:iam::{account}:root"]},
             SETTINGS_CHECK, ["mw_trusted_services holds what is not a service principal: 'arn:aws:iam::{account}:root'"],
             "name services as IAM does, e.g. ssm.amazonaws.com"),
    BadInput("allowed-and-denied", "`mw_deny_groups: [maintenance-operators, contractors]` (also allowed)",
             {"mw_deny_groups": ["maintenance-operators", "contractors"]},
             SETTINGS_CHECK, ["group maintenance-operators is in both a mw_pass_role_ list and a mw_deny_ list"],
             "remove each from one of the two lists"),
    BadInput("one-name-for-task3-and-task4", "`mw_deny_policy_name: MaintenanceWindowPassRole` (Task 3's name)",
             {"mw_deny_policy_name": "MaintenanceWindowPassRole"},
             SETTINGS_CHECK, ["mw_pass_role_policy_name and mw_deny_policy_name are both 'MaintenanceWindowPassRole'"],
             "give them different names"),
    BadInput("service-role-passes-itself", "`mw_pass_role_roles: [MaintenanceWindowServiceRole]`",
             {"mw_pass_role_roles": ["MaintenanceWindowServiceRole"]},
             SETTINGS_CHECK, ["mw_pass_role_roles names the service role MaintenanceWindowServiceRole itself"],
             "remove MaintenanceWindowServiceRole from mw_pass_role_roles"),
    BadInput("boundary-missing", "`mw_role_permissions_boundary` of a policy that does not exist",
             {"mw_role_permissions_boundary": "arn:aws:iam::{account}:policy/NoSuchBoundary"},
             "Task 2 | Role", ["the managed policy arn:aws:iam::{account}:policy/NoSuchBoundary does not exist"],
             "check the policy name or ARN"),
    BadInput("extra-managed-policy-missing", "`mw_role_extra_managed_policies: [AmazonSSMFullAcess]` (a typo)",
             {"mw_role_extra_managed_policies": ["AmazonSSMFullAcess"]},
             "Task 2 | Role", ["the managed policy arn:aws:iam::aws:policy/AmazonSSMFullAcess does not exist"],
             "check the policy name or ARN"),
    BadInput("role-description-too-long", "`mw_role_description` of 1,001 characters",
             {"mw_role_description": "d" * 1001},
             "Task 2 | Role", ["AWS would refuse CreateRole: Description has 1001 characters; AWS allows at most 1000"],
             "shorten the description"),
    BadInput("extra-statements-duplicate-sid", "two `mw_policy_extra_statements` with the Sid `Documents`",
             {"mw_policy_extra_statements": [
                 {"Sid": "Documents", "Effect": "Allow", "Action": "ssm:GetDocument", "Resource": "*"},
                 {"Sid": "Documents", "Effect": "Allow", "Action": "ssm:ListDocuments", "Resource": "*"}]},
             "Task 1 | Policy", ["statement 8 has the Sid 'Documents' of statement 7; IAM requires unique Sids"],
             "give each statement a Sid of its own"),
    BadInput("user-as-arn", "`mw_pass_role_users: [arn:aws:iam::{account}:user/operator]` (an ARN)",
             {"mw_pass_role_users": ["arn:aws:iam::{account}:user/operator"]},
             "Task 3 | Inline policy MaintenanceWindowPassRole",
             ["the user is given as the ARN 'arn:aws:iam::{account}:user/operator', where IAM wants its name"],
             "give the user's name, 'operator'"),
    BadInput("role-name-too-long", "`mw_role_name` of 65 characters",
             {"mw_role_name": "MaintenanceWindowServiceRole" + "X" * 37},
             "Task 2 | Role", ["is 65 characters long; IAM allows at most 64"], "use a name of at most 64 characters"),
    BadInput("role-not-ours", "`mw_role_name: OrganizationAccountAccessRole`, a role this collection did not create",
             {"mw_role_name": "OrganizationAccountAccessRole"},
             "Task 2 | Role", ["role OrganizationAccountAccessRole: it exists and this collection did not create it"],
             "choose another name (mw_role_name), or, if it is this collection's"),
    BadInput("policy-path-without-slashes", "`mw_policy_path: maintenance`",
             {"mw_policy_path": "maintenance"},
             "Task 1 | Policy", ["the IAM path 'maintenance' for the policy is not valid"],
             "a path starts and ends with '/'"),
    BadInput("extra-statement-bad-effect", "`mw_policy_extra_statements` with `Effect: Permit`",
             {"mw_policy_extra_statements": [{"Effect": "Permit", "Action": "ssm:GetDocument", "Resource": "*"}]},
             "Task 1 | Policy", ["statement 7 has Effect 'Permit'"], 'Effect is "Allow" or "Deny"'),
    BadInput("assume-role-denied", "the hub user may not `sts:AssumeRole` into this account (IAM evaluation on)",
             {},
             "Account | Assume the account role",
             ["assuming arn:aws:iam::{account}:role/OrganizationAccountAccessRole was refused",
              "is not authorized to perform: sts:AssumeRole"],
             "check that the role exists and trusts the hub identity"),
    BadInput("endpoint-without-scheme", "`mw_endpoint_url: 127.0.0.1:{port}` (no scheme)",
             {"mw_endpoint_url": "127.0.0.1:{port}"},
             "Account | Assume the account role", ["endpoint_url '127.0.0.1:{port}' has no scheme"],
             "write it with its scheme, e.g. https://127.0.0.1:"),
    BadInput("session-name-too-long", "`mw_role_session_name` of 65 characters",
             {"mw_role_session_name": "s" * 65},
             "Account | Assume the account role",
             ["AWS would refuse AssumeRole: RoleSessionName has 65 characters; AWS allows at most 64"],
             "if the role's trust policy has an sts:RoleSessionName condition, keep the two in step"),
    BadInput("endpoint-refused", "`mw_endpoint_url: http://127.0.0.1:{port}` (nothing listens there)",
             {"mw_endpoint_url": "http://127.0.0.1:{port}"},
             "Account | Assume the account role",
             ["could not connect to the STS endpoint", "http://127.0.0.1:{port}/"], "check endpoint_url"),
]

# Its own run: credentials are the whole controller's, so no account of that run can converge.
NO_CREDENTIALS = BadInput(
    "no-credentials", "no `AWS_*` variables, empty config and credentials files (a run of its own)", {},
    "Account | Assume the account role",
    ["no AWS credentials were found to assume arn:aws:iam::{account}:role/OrganizationAccountAccessRole"],
    "set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for the hub identity")


def filled(value, account, port):
    """``value`` with {account} and {port} replaced, in strings, lists and dicts."""
    if isinstance(value, str):
        return value.replace("{account}", account).replace("{port}", str(port))
    if isinstance(value, list):
        return [filled(item, account, port) for item in value]
    if isinstance(value, dict):
        return {key: filled(item, account, port) for key, item in value.items()}
    return value


def render_table():
    lines = ["| # | Bad input of one account | Fails in task | The message says | Fix says |",
             "|---|---|---|---|---|"]
    for number, case in enumerate(CASES + [NO_CREDENTIALS], 1):
        says = "; ".join("`%s`" % filled(fragment, "ACCOUNT", "PORT") for fragment in case.says)
        lines.append("| %d | %s | %s | `account ACCOUNT`; %s | `%s` |"
                     % (number, filled(case.shown, "ACCOUNT", "PORT"), case.failed_task.replace("|", "\\|"), says,
                        case.fix))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_table(), end="")
