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

CASES = [
    BadInput("unknown-variable", "`mw_pass_role_group: [maintenance-operators]` (typo of mw_pass_role_groups)",
             {"mw_pass_role_group": ["maintenance-operators"]},
             "Variables | Refuse mw_ variables", ["unknown role variables mw_pass_role_group."],
             "check their spelling against roles/permissions/meta/argument_specs.yml"),
    BadInput("string-for-a-list", "`mw_pass_role_groups: maintenance-operators` (a string)",
             {"mw_pass_role_groups": "maintenance-operators"},
             "Variables | Refuse mw_ variables", ["not lists: mw_pass_role_groups."], "give a YAML list"),
    BadInput("dict-for-a-list", "`mw_pass_role_groups: {maintenance-operators: true}` (a dict)",
             {"mw_pass_role_groups": {"maintenance-operators": True}},
             "Variables | Refuse mw_ variables",
             ["wrong values: argument 'mw_pass_role_groups' is of type dict and we were unable to convert to list"],
             "give each variable named here the type that roles/permissions/meta/argument_specs.yml declares"),
    BadInput("missing-task3-user", "`mw_pass_role_users: [nobody]`, a user the account does not have",
             {"mw_pass_role_users": ["nobody"]},
             "Task 3 | Inline policy MaintenanceWindowPassRole", ["user nobody: the user does not exist"],
             "create the user first, or remove 'nobody' from the list of users"),
    BadInput("sns-arn-malformed", "`mw_sns_role_arn: arn:aws::iam::{account}:role/%s`" % NOTIFICATION_ROLE,
             {"mw_sns_role_arn": "arn:aws::iam::{account}:role/%s" % NOTIFICATION_ROLE},
             "Task 2 | Inline policy MaintenanceWindowSnsPassRole",
             ["has the malformed ARN 'arn:aws::iam::{account}:role/%s'" % NOTIFICATION_ROLE],
             "ARNs look like arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"),
    BadInput("sns-arn-other-partition", "`mw_sns_role_arn: arn:aws-cn:iam::{account}:role/%s`" % NOTIFICATION_ROLE,
             {"mw_sns_role_arn": "arn:aws-cn:iam::{account}:role/%s" % NOTIFICATION_ROLE},
             "Task 2 | Inline policy MaintenanceWindowSnsPassRole",
             ["names 'arn:aws-cn:iam::{account}:role/%s', in partition aws-cn, but the account is in partition aws"
              % NOTIFICATION_ROLE],
             "use the ARN of the resource in partition aws"),
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
