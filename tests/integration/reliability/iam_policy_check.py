"""Which IAM request a recorded API call is, and whether an identity policy allows it.

moto's evaluation matches the action, but for most IAM calls it asks about resource ``*``
and it skips ``ArnEquals``/``ArnLike`` conditions. The scoping of the least-privilege
policy is therefore checked here, on the calls a real run made: each call becomes the
(action, resource ARN, condition keys) that IAM authorizes (from the Service Authorization
Reference for IAM and STS), and the policy's Allow statements are matched the way IAM
matches them: actions case-insensitively, ARNs with ``*`` and ``?`` case-sensitively, and a
condition on a key the request does not carry does not hold.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

STS_ACTIONS = {"AssumeRole", "GetCallerIdentity"}
CONDITION_OPERATORS = {"ArnEquals", "ArnLike", "StringEquals", "StringLike", "ForAllValues:StringEquals"}


def _as_list(value):
    return value if isinstance(value, list) else [value]


def authorized_requests(action, params, account):
    """[(``service:Action``, resource ARN, condition keys)] that IAM authorizes for one call:
    one, or two for a create with tags (which IAM also authorizes as TagRole/TagPolicy)."""
    if action in STS_ACTIONS:
        return [("sts:" + action, params.get("RoleArn", "*"), {})]
    iam = "arn:aws:iam::%s:" % account
    context = {}
    if action.startswith(("Attach", "Detach")):
        context["iam:policyarn"] = params["PolicyArn"]
    if action.startswith(("Tag", "Untag")):  # the tag keys of the request (Tags.member.N.Key, TagKeys.member.N)
        context["aws:tagkeys"] = tuple(sorted(
            value for key, value in params.items()
            if (key.startswith("Tags.member.") and key.endswith(".Key")) or key.startswith("TagKeys.member.")))
    if "InstanceProfileName" in params:
        resource = iam + "instance-profile/" + params["InstanceProfileName"]
    elif "RoleName" in params:
        resource = iam + "role" + params.get("Path", "/") + params["RoleName"]
    elif "GroupName" in params:
        resource = iam + "group/" + params["GroupName"]
    elif "UserName" in params:
        resource = iam + "user/" + params["UserName"]
    elif "PolicyArn" in params:
        resource = params["PolicyArn"]
    elif action == "CreatePolicy":
        resource = iam + "policy" + params.get("Path", "/") + params["PolicyName"]
    elif action == "ListPolicies":  # no resource-level permissions
        resource = "*"
    else:
        raise ValueError("no resource known for %s %s" % (action, sorted(params)))
    requests = [("iam:" + action, resource, context)]
    if action in ("CreateRole", "CreatePolicy") and any(key.startswith("Tags.") for key in params):
        requests.append(("iam:Tag" + action[len("Create"):], resource, {}))
    return requests


def _condition_holds(condition, context):
    for operator, block in condition.items():
        if operator not in CONDITION_OPERATORS:
            raise ValueError("condition operator %s is not checked here" % operator)
        for key, expected in block.items():
            actual = context.get(key.lower())
            if actual is None:
                return False
            if operator == "ForAllValues:StringEquals":
                matched = all(value in _as_list(expected) for value in actual)
            elif operator == "StringEquals":
                matched = actual in _as_list(expected)
            else:  # ArnEquals, ArnLike and StringLike all take wildcards
                matched = any(fnmatchcase(actual, pattern) for pattern in _as_list(expected))
            if not matched:
                return False
    return True


def allowing_statements(policy, action, resource, context):
    """The Sids of the Allow statements that grant the request (the policy has no Deny)."""
    granted = []
    for statement in _as_list(policy["Statement"]):
        assert statement["Effect"] == "Allow", "an Allow-only policy is checked here"
        if not any(fnmatchcase(action.lower(), pattern.lower()) for pattern in _as_list(statement["Action"])):
            continue
        if not any(fnmatchcase(resource, pattern) for pattern in _as_list(statement["Resource"])):
            continue
        if _condition_holds(statement.get("Condition", {}), context):
            granted.append(statement.get("Sid", ""))
    return granted


def actions_of(policy):
    return {action for statement in _as_list(policy["Statement"]) for action in _as_list(statement["Action"])}


def as_moto_evaluates(policy, drop=()):
    """The same actions, each on resource ``*`` and without conditions: the form moto can
    evaluate (it would refuse the scoped form for reasons IAM would not). ``drop`` removes
    actions, to show that each one is needed."""
    actions = sorted(actions_of(policy) - set(drop))
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
