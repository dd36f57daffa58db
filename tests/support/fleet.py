"""Fleet inventories and ansible-playbook runs against moto, for the fleet tests and make demo.

An inventory here has the format of playbooks/inventory/example.yml: group mw_accounts,
one host per account, assume-role from the hub identity; only mw_endpoint_url differs
from real accounts. A run returns what a user would read: exit code, output, PLAY RECAP,
the fleet summary JSON, and the --diff text shown for each host.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import yaml

from tests.support import aws

# The sample principals of the fleets: who registers maintenance window tasks (Task 3), who
# must not (Task 4), and the inventory variables that say so.
OPERATORS_GROUP = "maintenance-operators"
CONTRACTORS_GROUP = "contractors"
OPERATORS_AND_CONTRACTORS = {"mw_pass_role_groups": [OPERATORS_GROUP], "mw_deny_groups": [CONTRACTORS_GROUP]}

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOKS = os.path.join(REPO, "playbooks")
BIN = os.path.dirname(sys.executable)

_RECAP_LINE = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)\s+"
    r"failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)\s+rescued=(?P<rescued>\d+)\s+ignored=(?P<ignored>\d+)")
# A result line of the default callback: "changed: [host]", "ok: [host] => (item=...)", "fatal: [host]: ..."
_RESULT_LINE = re.compile(r"^(?P<status>ok|changed|fatal|failed|skipping): \[(?P<host>[^\]]+)\]")
_TASK_LINE = re.compile(r"^(TASK|PLAY|RUNNING HANDLER) \[")
# The first line of a --diff block: "--- before: account 123456789012: managed policy /name"
_DIFF_HEADER_LINE = re.compile(r"^--- before(: account (?P<account>[0-9]{12}):)?")


def assume_role_arn(account_id):
    return "arn:aws:iam::%s:role/%s" % (account_id, aws.ADMIN_ROLE)


def account_host(account_id, **host_vars):
    """The inventory entry of one account: the role to assume there, then its own variables."""
    return dict(dict(mw_assume_role_arn=assume_role_arn(account_id)), **host_vars)


def write_inventory(path, endpoint_url, hosts=None, children=None, group_vars=None, comment=None, organization=None):
    """Write the mw_accounts inventory: ``hosts`` {name: host vars}, ``children`` {group: {vars, hosts}};
    ``organization`` {name: host vars}, the host of mw_organization."""
    group = {"vars": dict({
        # The accounts are API targets: modules run on the controller itself.
        "ansible_connection": "local",
        "ansible_python_interpreter": "{{ ansible_playbook_python }}",
        "mw_endpoint_url": endpoint_url,
    }, **(group_vars or {}))}
    if hosts:
        group["hosts"] = hosts
    if children:
        group["children"] = children
    with open(path, "w") as handle:
        handle.write("---\n")
        if comment:
            handle.write("".join("# %s\n" % line for line in comment.splitlines()))
        inventory = {"mw_accounts": group}
        if organization:
            inventory["mw_organization"] = {"vars": {key: group["vars"][key] for key in (
                "ansible_connection", "ansible_python_interpreter", "mw_endpoint_url")}, "hosts": organization}
        yaml.safe_dump(inventory, handle, default_flow_style=False, sort_keys=False)
    return path


def ansible_env():
    """The environment of a fleet run: the repository's ansible.cfg, the hub identity, plain output."""
    env = dict(os.environ)
    for name in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        env.pop(name, None)
    env.update(ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
               AWS_ACCESS_KEY_ID=aws.HUB_CREDENTIALS["aws_access_key_id"],
               AWS_SECRET_ACCESS_KEY=aws.HUB_CREDENTIALS["aws_secret_access_key"],
               AWS_DEFAULT_REGION=aws.REGION)
    return env


class PlaybookRun(object):
    """The outcome of one ansible-playbook run."""

    def __init__(self, command, returncode, output, report_dir):
        self.command = command
        self.returncode = returncode
        self.output = output
        self.report_dir = report_dir
        # This run's own folder under report_dir (what latest pointed at when it ended).
        latest = os.path.join(report_dir or "", "latest")
        self.run_dir = os.path.realpath(latest) if report_dir and os.path.isdir(latest) else None

    @property
    def recap(self):
        """{host: {ok, changed, unreachable, failed, skipped, rescued, ignored}} from PLAY RECAP."""
        tail = self.output.rpartition("PLAY RECAP")[2]
        recap = {}
        for line in tail.splitlines():
            match = _RECAP_LINE.match(line.strip())
            if match:
                counts = match.groupdict()
                host = counts.pop("host")
                recap[host] = {key: int(value) for key, value in counts.items()}
        return recap

    def report_file(self, extension):
        """The fleet summary of the run's report (mw_report_dir/latest/<playbook>-<mode>.<extension>,
        for example setup-preview.json), or None when the run wrote none."""
        latest = os.path.join(self.report_dir or "", "latest")
        if not self.report_dir or not os.path.isdir(latest):
            return None
        names = [name for name in os.listdir(latest) if name.endswith("." + extension) and not name.startswith("audit.")]
        return os.path.join(latest, names[0]) if len(names) == 1 else None

    @property
    def report(self):
        """The run's fleet summary JSON: {run: {name, time, playbook, ...}, accounts: [...]}."""
        path = self.report_file("json")
        if path is None:
            return None
        with open(path) as handle:
            return json.load(handle)

    @property
    def summary(self):
        """The fleet summary's accounts by host (None when the run wrote no summary)."""
        report = self.report
        return None if report is None else {account["host"]: account for account in report["accounts"]}

    @property
    def summary_markdown(self):
        with open(self.report_file("md")) as handle:
            return handle.read()

    def diffs(self):
        """{host: the --diff text shown for that host}, from the default callback.

        A diff whose header names an account belongs to that account's host (from the fleet
        summary): the callback prints the item results of other hosts from another thread,
        so one may come between a diff and its host's result line. Any other diff belongs to
        the result line that follows it.
        """
        hosts_of = {reported["account_id"]: host for host, reported in (self.summary or {}).items()
                    if reported.get("account_id")}
        shown = {}
        block, unowned = [], []

        def keep(host, lines):
            shown[host] = shown.get(host, "") + "\n".join(lines) + "\n"

        def close(block):
            owner = hosts_of.get(_DIFF_HEADER_LINE.match(block[0]).group("account")) if block else None
            if owner:
                keep(owner, block)
            else:
                unowned.extend(block)

        for line in self.output.splitlines():
            result = _RESULT_LINE.match(line)
            if _DIFF_HEADER_LINE.match(line):
                close(block)
                block = [line]
            elif _TASK_LINE.match(line):
                close(block)
                block, unowned = [], []
            elif result:
                close(block)
                block = []
                if unowned:
                    keep(result.group("host"), unowned)
                    unowned = []
            elif block:
                block.append(line)
        return shown

    def failures(self):
        """{host: its fatal/failed result lines with the indented details that follow them}."""
        failed = {}
        host = None
        for line in self.output.splitlines():
            match = _RESULT_LINE.match(line)
            if match:
                host = match.group("host") if match.group("status") in ("fatal", "failed") else None
            elif not line.startswith(" "):
                host = None
                continue
            if host:
                failed[host] = failed.get(host, "") + line + "\n"
        return failed

    def changed_hosts(self):
        return sorted(host for host, counts in self.recap.items() if counts["changed"])

    def __repr__(self):
        # pytest shows this on a failed assertion: the whole output is what explains it.
        return "<ansible-playbook exit %s: %s>\n%s" % (self.returncode, " ".join(self.command), self.output)


def run_playbook(playbook, inventory, report_dir=None, extra_args=(), stream=False, env=None):
    """Run ``playbook`` (a name in playbooks/ or a path) on ``inventory``; ``stream`` echoes the output.

    ``env`` changes ansible_env(): a value replaces the variable, None removes it.
    """
    path = playbook if os.path.isabs(playbook) else os.path.join(PLAYBOOKS, playbook)
    command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, path]
    if report_dir:
        command += ["-e", "mw_report_dir=%s" % report_dir]
    command += list(extra_args)
    environment = ansible_env()
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    process = subprocess.Popen(command, env=environment, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if stream:
            sys.stdout.write(line)
            sys.stdout.flush()
    process.wait()
    return PlaybookRun(command, process.returncode, "".join(lines), report_dir)


class Fleet(object):
    """An inventory of accounts in ``workdir`` and the runs made on it, each with its report dir."""

    def __init__(self, workdir, endpoint_url, accounts, group_vars=None, host_vars=None, organization=None):
        """``accounts`` {host: account id}; ``host_vars`` {host: more variables of that host};
        ``organization`` {host: its variables}, the host of mw_organization."""
        self.workdir = str(workdir)
        self.endpoint_url = endpoint_url
        self.accounts = dict(accounts)
        hosts = {host: account_host(account, **(host_vars or {}).get(host, {}))
                 for host, account in self.accounts.items()}
        self.inventory = write_inventory(os.path.join(self.workdir, "inventory.yml"), endpoint_url,
                                         hosts=hosts, group_vars=group_vars, organization=organization)

    def run(self, step, playbook="setup.yml", *extra_args, env=None):
        """Run ``playbook`` on the fleet; ``step`` names the run's report directory; ``env`` as in run_playbook."""
        return run_playbook(playbook, self.inventory, os.path.join(self.workdir, "reports", step), extra_args,
                            env=env)
