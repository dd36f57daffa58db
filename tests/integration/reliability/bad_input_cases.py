"""Every bad input the module-level tests try, with the outcome each must have.

test_bad_inputs.py runs each row against a member account that already holds the four
tasks, and docs/bad-inputs.md is this table rendered; regenerate it with
``python tests/integration/reliability/bad_input_cases.py > docs/bad-inputs.md``.
Standard library only, so that the script runs without the test set-up.

In ``values`` and ``says``, ``{account}`` stands for the member account's id. ``connection``
names how the module connects: ``hub`` (the hub's keys, assuming the account's admin role),
``no_credentials`` / ``no_credentials_direct`` (no keys anywhere, with and without
assume-role), ``refused_endpoint`` (a port nothing listens on), and, on a moto server with
IAM evaluation on, ``assume_denied`` (a hub user without sts:AssumeRole),
``external_id_mismatch`` and ``unknown_access_key``.
"""

from __future__ import annotations

import collections

BadInput = collections.namedtuple(
    "BadInput", "case module shown values error says fix account_known connection")


def bad(case, module, shown, values, error, says, fix, account_known=True, connection="hub"):
    return BadInput(case, module, shown, values, error, tuple(says), fix, account_known, connection)


def _identity_policy(**statement):
    full = {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"}
    full.update(statement)
    return {"Version": "2012-10-17", "Statement": [{k: v for k, v in full.items() if v is not None}]}


def _policy_of_size(characters):
    """A valid policy longer than ``characters`` without white space."""
    actions = ["ssm:DescribeSomething%04d" % n for n in range(characters // 24 + 1)]
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}


ROLE_OF_ACCOUNT = "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
DUPLICATE_SIDS = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Commands", "Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"},
    {"Sid": "Commands", "Effect": "Allow", "Action": "ssm:CancelCommand", "Resource": "*"}]}

CASES = [
    # -- policy documents ----------------------------------------------------------------
    bad("policy-not-json", "iam_managed_policy", "policy: `{\"Version\": \"2012-10-17\", \"Statement\": [`",
        dict(policy='{"Version": "2012-10-17", "Statement": ['), "InvalidInputError",
        ["is not valid JSON"], "check the JSON syntax"),
    bad("policy-json-array", "iam_managed_policy", "policy: a JSON array",
        dict(policy='[{"Effect": "Allow"}]'), "InvalidInputError", ["JSON but not an object"],
        "a policy is an object"),
    bad("policy-wrong-type", "iam_managed_policy", "policy: the number 42",
        dict(policy=42), "InvalidInputError", ["is a int, not a JSON object"], "give the document as a"),
    bad("policy-bad-effect", "iam_managed_policy", "`\"Effect\": \"Permit\"`",
        dict(policy=_identity_policy(Effect="Permit")), "InvalidInputError", ["has Effect 'Permit'"],
        'Effect is "Allow" or "Deny"'),
    bad("policy-missing-action", "iam_managed_policy", "a statement without Action",
        dict(policy=_identity_policy(Action=None)), "InvalidInputError",
        ["statement 1 needs exactly one of Action or NotAction"], 'add e.g. "Action"'),
    bad("policy-malformed-action", "iam_managed_policy", "action `ssmSendCommand` (no service prefix)",
        dict(policy=_identity_policy(Action="ssmSendCommand")), "InvalidInputError",
        ["malformed action 'ssmSendCommand'"], 'actions look like "service:Action"'),
    bad("policy-no-statement", "iam_managed_policy", "a policy without Statement",
        dict(policy={"Version": "2012-10-17"}), "InvalidInputError", ["has no Statement"],
        "add at least one statement"),
    bad("policy-bad-version", "iam_managed_policy", "`\"Version\": \"2019-01-01\"`",
        dict(policy={"Version": "2019-01-01", "Statement": _identity_policy()["Statement"]}),
        "InvalidInputError", ["has Version '2019-01-01'"], 'use "Version": "2012-10-17"'),
    bad("policy-unknown-key", "iam_managed_policy", "top-level key `Statements` (typo)",
        dict(policy={"Version": "2012-10-17", "Statements": _identity_policy()["Statement"]}),
        "InvalidInputError", ["unknown top-level keys ['Statements']"],
        "a policy holds only Version, Id and Statement"),
    bad("policy-with-principal", "iam_managed_policy", "a Principal in an identity policy",
        dict(policy=_identity_policy(Principal={"Service": "ssm.amazonaws.com"})), "InvalidInputError",
        ["may not have a Principal"], "remove Principal"),
    bad("policy-oversized", "iam_managed_policy", "a managed policy of more than 6,144 characters",
        dict(policy=_policy_of_size(6144)), "InvalidInputError", ["IAM allows 6144"],
        "split it, or drop statements"),
    bad("policy-arn-typo", "iam_managed_policy", "Resource `arn:aws::iam::ACCOUNT:role/…` (the guide's typo)",
        dict(policy=_identity_policy(Action="iam:PassRole",
                                     Resource="arn:aws::iam::{account}:role/MaintenanceWindowServiceRole")),
        "InvalidInputError", ["malformed ARN 'arn:aws::iam::{account}:role/MaintenanceWindowServiceRole'"],
        "not arn:aws::iam::"),
    bad("policy-missing", "iam_managed_policy", "state=present without policy",
        dict(policy=None), "InvalidInputError", ["state=present needs a policy document"], "give policy:"),
    bad("inline-oversized", "iam_inline_policy", "a group inline policy of more than 5,120 characters",
        dict(policy=_policy_of_size(5120)), "InvalidInputError", ["IAM allows 5120"], "split it"),
    bad("trust-without-principal", "iam_role", "a trust policy without Principal",
        dict(assume_role_policy={"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole"}]}), "InvalidInputError", ["has no Principal"],
        "a trust policy names who may assume the role"),
    bad("trust-with-resource", "iam_role", "a trust policy with Resource",
        dict(assume_role_policy={"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole",
             "Resource": "*"}]}), "InvalidInputError", ["of a trust policy may not have a Resource"],
        "remove Resource from the trust policy"),
    bad("role-without-trust", "iam_role", "a new role without assume_role_policy",
        dict(name="NewMaintenanceRole", assume_role_policy=None), "InvalidInputError",
        ["role NewMaintenanceRole", "creating the role needs a trust policy"], "give assume_role_policy"),
    # -- names and paths ----------------------------------------------------------------
    bad("policy-name-too-long", "iam_managed_policy", "a policy name of 129 characters",
        dict(name="P" * 129), "InvalidInputError", ["is 129 characters long; IAM allows at most 128"],
        "use a name of at most 128 characters"),
    bad("role-name-too-long", "iam_role", "a role name of 65 characters",
        dict(name="R" * 65), "InvalidInputError", ["is 65 characters long; IAM allows at most 64"],
        "at most 64 characters"),
    bad("policy-name-illegal", "iam_managed_policy", "policy name `Maintenance policy!`",
        dict(name="Maintenance policy!"), "InvalidInputError",
        ["policy name 'Maintenance policy!' has characters IAM does not allow"], "use only letters, digits"),
    bad("group-name-illegal", "iam_inline_policy", "group name `ops team`",
        dict(principal_name="ops team"), "InvalidInputError", ["group name 'ops team'"],
        "use only letters, digits"),
    bad("inline-name-illegal", "iam_inline_policy", "inline policy name `pass/role`",
        dict(policy_name="pass/role"), "InvalidInputError", ["inline policy name 'pass/role'"],
        "use only letters, digits"),
    bad("path-without-slashes", "iam_managed_policy", "path `maintenance`",
        dict(path="maintenance"), "InvalidInputError", ["IAM path 'maintenance'"],
        "a path starts and ends with '/'"),
    bad("path-without-trailing-slash", "iam_role", "path `/maintenance`",
        dict(path="/maintenance"), "InvalidInputError", ["IAM path '/maintenance'"],
        "a path starts and ends with '/'"),
    # -- ARNs and account ids -------------------------------------------------------------
    bad("assume-role-arn-typo", "iam_managed_policy", "assume_role_arn `arn:aws::iam::ACCOUNT:role/…`",
        dict(assume_role_arn="arn:aws::iam::{account}:role/OrganizationAccountAccessRole"), "InvalidInputError",
        ["assume_role_arn 'arn:aws::iam::{account}:role/OrganizationAccountAccessRole' is not a valid IAM role ARN"],
        "write it as arn:PARTITION:iam::ACCOUNT:role/NAME", account_known=False),
    bad("assume-role-arn-not-a-role", "iam_role", "assume_role_arn naming a policy",
        dict(assume_role_arn="arn:aws:iam::{account}:policy/MaintenanceWindowServiceRolePolicy"),
        "InvalidInputError", ["is not a valid IAM role ARN"], "arn:PARTITION:iam::ACCOUNT:role/NAME"),
    bad("managed-policy-arn-typo", "iam_role", "managed_policies: [`arn:aws::iam::aws:policy/AmazonSSMFullAccess`]",
        dict(managed_policies=["arn:aws::iam::aws:policy/AmazonSSMFullAccess"]), "InvalidInputError",
        ["'arn:aws::iam::aws:policy/AmazonSSMFullAccess' is not a valid IAM policy ARN"],
        "arn:PARTITION:iam::ACCOUNT:policy/NAME"),
    bad("attachment-arn-typo", "iam_policy_attachment", "policy_arn `arn:aws::iam::aws:policy/AmazonSSMFullAccess`",
        dict(policy_arn="arn:aws::iam::aws:policy/AmazonSSMFullAccess"), "InvalidInputError",
        ["policy_arn 'arn:aws::iam::aws:policy/AmazonSSMFullAccess' is not a valid IAM policy ARN"],
        "arn:PARTITION:iam::ACCOUNT:policy/NAME"),
    bad("boundary-not-an-arn", "iam_role", "permissions_boundary `AmazonSSMFullAccess` (a name)",
        dict(permissions_boundary="AmazonSSMFullAccess"), "InvalidInputError",
        ["permissions_boundary 'AmazonSSMFullAccess' is not a valid IAM policy ARN"],
        "arn:PARTITION:iam::ACCOUNT:policy/NAME"),
    bad("account-id-short", "iam_managed_policy", "account_id `12345`",
        dict(account_id="12345"), "InvalidInputError", ["account id '12345' is not a 12-digit AWS account id"],
        "quoted 12-digit string", account_known=False),
    bad("account-id-mismatch", "iam_managed_policy", "account_id other than assume_role_arn's",
        dict(account_id="111122223333"), "InvalidInputError",
        ["account_id 111122223333 differs from the account of assume_role_arn"], "make them agree",
        account_known=False),
    bad("session-too-long", "iam_role", "max_session_duration 60",
        dict(max_session_duration=60), "InvalidInputError", ["max_session_duration 60 is outside 3600..43200"],
        "from 3600 to 43200"),
    # -- principals and policies that do not exist --------------------------------------
    bad("group-missing", "iam_inline_policy", "a group that does not exist",
        dict(principal_name="NoSuchGroup"), "PrincipalNotFoundError", ["group NoSuchGroup", "does not exist"],
        "create the group first"),
    bad("user-missing", "iam_policy_attachment", "a user that does not exist",
        dict(principal_type="user", principal_name="nobody"), "PrincipalNotFoundError",
        ["user nobody", "does not exist"], "create the user first"),
    bad("managed-policy-missing", "iam_policy_attachment", "policy_arn of an AWS managed policy that does not exist",
        dict(policy_arn="AmazonSSMFullAcess"), "InvalidInputError",
        ["the managed policy arn:aws:iam::aws:policy/AmazonSSMFullAcess does not exist"],
        "check the policy name or ARN"),
    # -- what AWS would refuse, known before any write --------------------------------
    bad("policy-duplicate-sids", "iam_managed_policy", "two statements with the Sid `Commands`",
        dict(policy=DUPLICATE_SIDS), "InvalidInputError",
        ["statement 2 has the Sid 'Commands' of statement 1; IAM requires unique Sids"],
        "give each statement a Sid of its own"),
    bad("role-description-too-long", "iam_role", "a description of 1,001 characters",
        dict(description="d" * 1001), "InvalidInputError",
        ["role MaintenanceWindowServiceRole", "AWS would refuse UpdateRole: Description has 1001 characters; "
         "AWS allows at most 1000"], "shorten the description"),
    bad("group-inline-policies-together-too-long", "iam_inline_policy",
        "a second group inline policy of about 5,000 characters (the two over 5,120 together)",
        dict(policy_name="MaintenanceWindowExtra", policy=_policy_of_size(4200), policy_check="warn"), "InvalidInputError",
        ["the group's inline policies would be", "IAM allows 5120 for a group"],
        "make room on the group"),
    bad("permissions-boundary-missing", "iam_role", "permissions_boundary of a policy that does not exist (with new_managed_policies)",
        dict(permissions_boundary="arn:aws:iam::{account}:policy/NoSuchBoundary", new_managed_policies=[]), "InvalidInputError",
        ["the managed policy arn:aws:iam::{account}:policy/NoSuchBoundary does not exist"],
        "check the policy name or ARN"),
    bad("extra-managed-policy-missing", "iam_role", "managed_policies with a policy that does not exist (with new_managed_policies)",
        dict(managed_policies=["arn:aws:iam::{account}:policy/MaintenanceWindowServiceRolePolicy",
                               "arn:aws:iam::{account}:policy/NoSuchPolicy"], new_managed_policies=[]),
        "InvalidInputError",
        ["the managed policy arn:aws:iam::{account}:policy/NoSuchPolicy does not exist"],
        "check the policy name or ARN"),
    bad("user-as-arn", "iam_inline_policy", "principal_name `arn:aws:iam::ACCOUNT:user/operator` (an ARN)",
        dict(principal_type="user", principal_name="arn:aws:iam::{account}:user/operator"), "InvalidInputError",
        ["user arn:aws:iam::{account}:user/operator", "is given as the ARN", "where IAM wants its name"],
        "give the user's name, 'operator'"),
    # -- what this collection did not create ------------------------------------------------
    bad("role-not-ours", "iam_role", "the name of a role this collection did not create",
        dict(name="OrganizationAccountAccessRole"), "NotOwnedError",
        ["role OrganizationAccountAccessRole: it exists and this collection did not create it"],
        "choose another name (mw_role_name), or, if it is this collection's"),
    bad("policy-not-ours", "iam_managed_policy", "the name of a policy this collection did not create",
        dict(name="TheirPolicy"), "NotOwnedError",
        ["managed policy /TheirPolicy: it exists and this collection did not create it"],
        "set adopt: true (role variable mw_adopt_existing) once"),
    bad("policy-name-other-path", "iam_managed_policy", "path `/other/` for a policy name that exists under `/`",
        dict(path="/other/"), "ResourceConflictError",
        ["a policy of this name exists under path / (arn:aws:iam::{account}:policy/MaintenanceWindowServiceRolePolicy)",
         "IAM policy names are unique in an account whatever the path"],
        "set the path to / (mw_policy_path) to manage that policy, or choose another name (mw_policy_name)"),
    # -- credentials and endpoints --------------------------------------------------------
    bad("endpoint-without-scheme", "iam_managed_policy", "endpoint_url `127.0.0.1:5000` (no scheme)",
        dict(endpoint_url="127.0.0.1:5000"), "InvalidInputError", ["endpoint_url '127.0.0.1:5000' has no scheme"],
        "write it with its scheme, e.g. https://127.0.0.1:5000"),
    bad("session-name-too-long", "iam_managed_policy", "role_session_name of 65 characters",
        dict(role_session_name="s" * 65), "InvalidInputError",
        ["AWS would refuse AssumeRole: RoleSessionName has 65 characters; AWS allows at most 64"],
        "if the role's trust policy has an sts:RoleSessionName condition"),
    bad("no-credentials", "iam_managed_policy", "no keys, profile or environment; with assume_role_arn",
        dict(), "CredentialsError", ["no AWS credentials were found to assume " + ROLE_OF_ACCOUNT],
        "set AWS_PROFILE or AWS_ACCESS_KEY_ID", connection="no_credentials"),
    bad("no-credentials-direct", "iam_managed_policy", "no keys, profile or environment; acting directly",
        dict(), "CredentialsError", ["no AWS credentials were found"], "set AWS_PROFILE or AWS_ACCESS_KEY_ID",
        account_known=False, connection="no_credentials_direct"),
    bad("half-credentials", "iam_managed_policy", "access_key without secret_key",
        dict(secret_key=None), "CredentialsError", ["access_key and secret_key must be given together"],
        "give both, or neither"),
    bad("profile-missing", "iam_managed_policy", "profile `no-such-profile`",
        dict(profile="no-such-profile", access_key=None, secret_key=None), "CredentialsError",
        ["the AWS profile 'no-such-profile' does not exist"], "add it to ~/.aws/config",
        connection="no_credentials"),
    bad("endpoint-refused", "iam_managed_policy", "endpoint_url of a port nothing listens on",
        dict(), "AwsApiError", ["could not connect to the STS endpoint"], "check endpoint_url",
        connection="refused_endpoint"),
    bad("assume-role-denied", "iam_managed_policy", "a hub identity without sts:AssumeRole",
        dict(), "CredentialsError",
        ["assuming " + ROLE_OF_ACCOUNT + " was refused", "is not authorized to perform: sts:AssumeRole"],
        "check that the role exists and trusts the hub identity", connection="assume_denied"),
    bad("external-id-mismatch", "iam_managed_policy", "external_id that the role's trust does not expect",
        dict(external_id="not-the-agreed-id"), "CredentialsError", ["was refused"],
        "(and the external id)", connection="external_id_mismatch"),
    bad("unknown-access-key", "iam_managed_policy", "an access key that IAM does not know",
        dict(), "CredentialsError", ["was refused", "security token included in the request is invalid"],
        "trusts the hub identity", connection="unknown_access_key"),
]

# Wrong types caught by AnsibleModule's argument parsing, before the module's own code.
ARGUMENT_SPEC_CASES = [
    ("iam_role", dict(max_session_duration="forever"),
     "argument 'max_session_duration' is of type str and we were unable to convert to int"),
    ("iam_managed_policy", dict(tags="team"), "argument 'tags' is of type str and we were unable to convert to dict"),
    ("iam_inline_policy", dict(state="gone"), "value of state must be one of: present, absent, got: gone"),
    ("iam_policy_attachment", dict(principal_type="computer"),
     "value of principal_type must be one of: user, group, role, got: computer"),
]


def render_markdown():
    lines = [
        "# Bad inputs and what the modules answer",
        "",
        "Generated from `tests/integration/reliability/bad_input_cases.py`; the tests run every",
        "row and check it. Each one fails with the error named here. The message names the account",
        "(where it is known), the input and the fix, and nothing was written in the account: its",
        "IAM is compared before and after. The bad role variables of one account of a fleet, each",
        "refused before any write in it, are in docs/reliability.md (tests/integration/",
        "fleet_reliability/fleet_bad_input_cases.py).",
        "",
        "| # | Module | Bad input | Error | The message says | Fix says |",
        "|---|---|---|---|---|---|",
    ]
    for number, case in enumerate(CASES, 1):
        says = "; ".join("`%s`" % fragment.replace("{account}", "ACCOUNT") for fragment in case.says)
        if case.account_known:
            says = "`account ACCOUNT`; " + says
        lines.append("| %d | %s | %s | %s | %s | `%s` |" % (
            number, case.module, case.shown, case.error, says, case.fix))
    lines += [
        "",
        "Wrong types, caught by Ansible's argument parsing before the module runs (the module",
        "is run as Ansible runs it, with its arguments as JSON on stdin):",
        "",
        "| Module | Arguments | Message |",
        "|---|---|---|",
    ]
    for module, arguments, message in ARGUMENT_SPEC_CASES:
        shown = ", ".join("%s: %r" % item for item in sorted(arguments.items()))
        lines.append("| %s | `%s` | `%s` |" % (module, shown, message))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
