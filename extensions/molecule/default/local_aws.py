"""The scenario's local AWS: a moto server on 127.0.0.1, its principals, and what it holds.

    local_aws.py start STATE_FILE                      start moto on a free port, record it
    local_aws.py stop STATE_FILE                       stop it (nothing to do without a state file)
    local_aws.py principals STATE_FILE ACCOUNT GROUP...  create the groups in the account
    local_aws.py documents STATE_FILE ACCOUNT PASS_ROLE_GROUP DENY_GROUP
                                                       print, as JSON, which documents of the
                                                       AWS guide the account holds exactly
"""

from __future__ import annotations

import json
import os
import signal
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path[:0] = [os.path.join(REPO, ".build"), REPO]

from tests.integration.fleet import iam_documents as guide  # noqa: E402
from tests.support import aws  # noqa: E402
from tests.support.moto_server import LOCAL_AWS, MotoServer  # noqa: E402


def start(state_file):
    server = MotoServer().start()
    with open(state_file, "w") as handle:
        json.dump({"url": server.url, "pid": server.process.pid}, handle)


def stop(state_file):
    if not os.path.exists(state_file):
        return
    with open(state_file) as handle:
        state = json.load(handle)
    if _is_our_server(state):
        os.kill(state["pid"], signal.SIGTERM)
    os.remove(state_file)


def _is_our_server(state):
    """Whether the recorded pid is still that local AWS (a stale state file's pid may be reused)."""
    try:
        with open("/proc/%d/cmdline" % state["pid"], "rb") as handle:
            arguments = handle.read().decode().split("\0")
    except OSError:
        return False
    port = state["url"].rsplit(":", 1)[1]
    return LOCAL_AWS in arguments and port in arguments


def endpoint(state_file):
    with open(state_file) as handle:
        return json.load(handle)["url"]


def principals(state_file, account, *groups):
    aws.create_principals(endpoint(state_file), account, groups=groups)


def documents(state_file, account, pass_role_group, deny_group):
    held = guide.AccountIam(endpoint(state_file), account)
    report = {
        "Task 1 policy": guide.same(held.policy_document(), guide.reference(guide.TASK1_POLICY, account)),
        "Task 2 trust policy": guide.same(held.trust_policy(), guide.reference(guide.TRUST_POLICY, account)),
        "Task 2 role has the Task 1 policy": held.role() is not None
        and held.attached_to_role() == [guide.policy_arn(account)],
        "Task 3 PassRole": guide.same(held.inline("group", pass_role_group, guide.PASS_ROLE_POLICY_NAME),
                                      guide.reference(guide.TASK3_PASS_ROLE_POLICY, account)),
        "Task 4 Deny": guide.same(held.inline("group", deny_group, guide.DENY_POLICY_NAME),
                                  guide.reference(guide.TASK4_DENY_POLICY, account)),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    commands = dict(start=start, stop=stop, principals=principals, documents=documents)
    if len(sys.argv) < 3 or sys.argv[1] not in commands:
        raise SystemExit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
