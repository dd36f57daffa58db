"""make bench: playbooks/setup.yml against the same four tasks written with amazon.aws.

For each fleet size N and each tool, on a fresh moto (127.0.0.1) behind the counting proxy
with a fixed latency per call: preview on the fresh fleet, cold apply, warm re-run, preview
on the converged fleet. Each run is measured for wall time, CPU time of the
ansible-playbook process tree (getrusage of reaped children), peak memory of that tree
(RSS and PSS summed over its processes, polled from /proc) and API calls per account by
action (the proxy's counts). Then Ansible's own settings (forks, strategy, pipelining) are
measured for our playbook at one N. Prints a table, writes JSON and a PNG plot to
benchmarks/results/.

amazon.aws comes from the `ansible` package, installed with boto3 and matplotlib into
benchmarks/.venv-amazon-aws on first use (the same ansible-core as .venv).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path[:0] = [os.path.join(REPO, ".build"), REPO]

from tests.support import aws, fleet  # noqa: E402
from tests.support.aws_proxy import AwsProxy, FaultPlan  # noqa: E402
from tests.support.moto_server import MotoServer  # noqa: E402

AMAZON_AWS_VENV = os.path.join(BENCH, ".venv-amazon-aws")
# ansible 12 bundles amazon.aws 10 on ansible-core 2.19, the core of .venv: only the
# collections differ between the two tools.
AMAZON_AWS_REQUIREMENTS = ["ansible>=12,<13", "boto3", "matplotlib"]
RESULTS = os.path.join(BENCH, "results")
HUB_KEY = aws.HUB_CREDENTIALS["aws_access_key_id"]

# Each tool: its playbook, the bin/ of its ansible-playbook, and the tree whose ansible.cfg
# it runs with (also its working directory): the repository's, or a snapshot (--ref).
TOOLS = {
    "amazon.aws": dict(playbook=os.path.join(BENCH, "amazon_aws", "setup.yml"),
                       bin=os.path.join(AMAZON_AWS_VENV, "bin"), root=REPO),
    "ours": dict(playbook=os.path.join(fleet.PLAYBOOKS, "setup.yml"), bin=fleet.BIN, root=REPO),
    "floor": dict(playbook=os.path.join(BENCH, "floor.yml"), bin=fleet.BIN, root=REPO),
}
# name, ansible-playbook arguments; in this order on one fleet.
PHASES = [
    ("preview cold", ["--check", "--diff"]),
    ("apply cold", []),
    ("apply warm", []),
    ("preview warm", ["--check", "--diff"]),
]
# Ansible settings measured for our playbook, against the comparison's own warm re-run
# (forks --forks, linear, no pipelining): name -> environment.
SETTINGS = collections.OrderedDict([
    ("forks 25, linear", dict(ANSIBLE_FORKS="25")),
    ("forks 50, linear", dict(ANSIBLE_FORKS="50")),
    ("forks 10, free", dict(ANSIBLE_FORKS="10", ANSIBLE_STRATEGY="free")),
    ("forks 10, linear, pipelining", dict(ANSIBLE_FORKS="10", ANSIBLE_PIPELINING="true")),
])
# The Ansible floor: the same inventory, FLOOR_TASKS tasks per host that call nothing.
FLOOR_TASKS = 20


# -- the amazon.aws environment ------------------------------------------------------------
def ensure_amazon_aws_venv():
    stamp = os.path.join(AMAZON_AWS_VENV, ".installed")
    wanted = "\n".join(AMAZON_AWS_REQUIREMENTS)
    if os.path.exists(stamp) and open(stamp).read() == wanted:
        return
    print("Installing %s into %s" % (", ".join(AMAZON_AWS_REQUIREMENTS), AMAZON_AWS_VENV), flush=True)
    subprocess.check_call([sys.executable, "-m", "venv", "--clear", AMAZON_AWS_VENV])
    pip = [os.path.join(AMAZON_AWS_VENV, "bin", "python"), "-m", "pip", "install", "--quiet"]
    subprocess.check_call(pip + ["--upgrade", "pip"])
    subprocess.check_call(pip + AMAZON_AWS_REQUIREMENTS)
    with open(stamp, "w") as handle:
        handle.write(wanted)


def use_snapshot(ref, workdir):
    """Benchmark our collection as committed at ``ref``, not the working tree (which other
    work may change during a run): its files go to ``workdir``, linked as ansible.cfg expects."""
    commit = subprocess.run(["git", "rev-parse", "--verify", ref + "^{commit}"], cwd=REPO, capture_output=True,
                            text=True, check=True).stdout.strip()
    tree = os.path.join(workdir, "ours-" + commit[:12])
    os.makedirs(tree)
    archive = subprocess.Popen(["git", "archive", "--format=tar", commit], cwd=REPO, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", tree], stdin=archive.stdout, check=True)
    if archive.wait():
        raise SystemExit("git archive %s failed" % commit)
    link = os.path.join(tree, ".build", "ansible_collections", "fleetiam", "maintenance_windows")
    os.makedirs(os.path.dirname(link))
    os.symlink(tree, link)
    TOOLS["ours"].update(playbook=os.path.join(tree, "playbooks", "setup.yml"), root=tree)
    return commit


def tool_versions():
    versions = {}
    for name, tool in TOOLS.items():
        output = subprocess.run([os.path.join(tool["bin"], "python"), "-c", (
            "import ansible.release, botocore, importlib.metadata as m\n"
            "try: aws = m.version('ansible')\n"
            "except m.PackageNotFoundError: aws = None\n"
            "print(ansible.release.__version__, botocore.__version__, aws)")],
            capture_output=True, text=True, check=True).stdout.split()
        versions[name] = dict(ansible_core=output[0], botocore=output[1])
        if output[2] != "None":
            versions[name]["ansible"] = output[2]
    manifest = os.path.join(AMAZON_AWS_VENV, "lib", "python%d.%d" % sys.version_info[:2], "site-packages",
                            "ansible_collections", "amazon", "aws", "MANIFEST.json")
    if os.path.exists(manifest):
        with open(manifest) as handle:
            versions["amazon.aws"]["amazon.aws"] = json.load(handle)["collection_info"]["version"]
    return versions


def python_start_cost(bin_dir, imports):
    """Wall and CPU seconds of a new Python that imports ``imports``: what each module pays."""
    before = _children_cpu()
    started = time.perf_counter()
    subprocess.run([os.path.join(bin_dir, "python"), "-c", "import %s" % imports], check=True)
    return dict(wall=time.perf_counter() - started, cpu=_children_cpu() - before)


# -- measuring one ansible-playbook run ----------------------------------------------------
def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _descendants(root):
    """``root`` and every process below it, from the parent ids in /proc/*/stat."""
    children = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields after its last ")".
        children[int(stat.rpartition(")")[2].split()[1])].append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _cpu_s(pid):
    """User + system CPU seconds of one process so far (0 once it is gone)."""
    try:
        with open("/proc/%d/stat" % pid) as handle:
            fields = handle.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))


def _memory_kb(pid):
    """(RSS, PSS) of one process in kB; PSS shares the pages a fork still shares with its parent."""
    values = {}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as handle:
            for line in handle:
                key, colon, rest = line.partition(":")
                if key in ("Rss", "Pss"):
                    values[key] = int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return values.get("Rss", 0), values.get("Pss", 0)


class TreeMemorySampler(threading.Thread):
    """Polls the memory of a process tree; keeps the peaks of its summed RSS and PSS."""

    def __init__(self, pid, interval=0.2):
        super(TreeMemorySampler, self).__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_processes = 0
        self.peak_main_rss_kb = 0  # ansible-playbook's main process alone: what grows with N
        # The main process runs the strategy, every callback and every include for all hosts:
        # the one part that cannot use more forks. Its CPU against wall time says if it is the limit.
        self.main_cpu_s = 0.0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            pids = _descendants(self.pid)
            sizes = [_memory_kb(pid) for pid in pids]
            self.peak_rss_kb = max(self.peak_rss_kb, sum(rss for rss, pss in sizes))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(pss for rss, pss in sizes))
            self.peak_processes = max(self.peak_processes, len(pids))
            self.peak_main_rss_kb = max(self.peak_main_rss_kb, sizes[0][0])
            self.main_cpu_s = max(self.main_cpu_s, _cpu_s(self.pid))
            self.done.wait(self.interval)

    def stop(self):
        self.done.set()
        self.join()


def bench_env(root, extra=None):
    env = fleet.ansible_env()
    env.update(ANSIBLE_CONFIG=os.path.join(root, "ansible.cfg"),
               ANSIBLE_CALLBACK_PLUGINS=os.path.join(BENCH, "callback_plugins"),
               ANSIBLE_CALLBACKS_ENABLED="task_timing,host_facts",
               ANSIBLE_DEPRECATION_WARNINGS="false")
    env.update(extra or {})
    return env


def run_measured(tool, inventory, workdir, label, args, proxy, accounts, env=None):
    """One ansible-playbook run of ``tool``, measured; its output goes to a log file."""
    os.makedirs(workdir, exist_ok=True)
    log_path = os.path.join(workdir, "%s.log" % label)
    timing_path = os.path.join(workdir, "%s.tasks.jsonl" % label)
    report_dir = os.path.join(workdir, "reports", label)
    command = [os.path.join(TOOLS[tool]["bin"], "ansible-playbook"), "-i", inventory, TOOLS[tool]["playbook"],
               "-e", "mw_report_dir=%s" % report_dir] + list(args)
    environment = bench_env(TOOLS[tool]["root"], env)
    environment["BENCH_TASK_TIMING_FILE"] = timing_path
    facts_path = os.path.join(workdir, "%s.host-facts.json" % label)
    environment["BENCH_HOST_FACTS_FILE"] = facts_path
    proxy.reset_counts()
    cpu_before = _children_cpu()
    started = time.perf_counter()
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, env=environment, cwd=TOOLS[tool]["root"], stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        sampler = TreeMemorySampler(process.pid)
        sampler.start()
        process.wait()
        wall = time.perf_counter() - started
        sampler.stop()
    cpu = _children_cpu() - cpu_before
    with open(log_path) as log:
        output = log.read()
    run = fleet.PlaybookRun(command, process.returncode, output, report_dir)
    recap = run.recap
    result = dict(
        tool=tool, label=label, args=list(args), env=env or {}, exit_code=process.returncode,
        wall_s=round(wall, 2), cpu_s=round(cpu, 2),
        peak_rss_mb=round(sampler.peak_rss_kb / 1024.0, 1), peak_pss_mb=round(sampler.peak_pss_kb / 1024.0, 1),
        peak_processes=sampler.peak_processes, peak_main_rss_mb=round(sampler.peak_main_rss_kb / 1024.0, 1),
        main_cpu_s=round(sampler.main_cpu_s, 2),
        hosts=len(recap), hosts_failed=sorted(h for h, c in recap.items() if c["failed"] or c["unreachable"]),
        hosts_changed=sum(1 for c in recap.values() if c["changed"]),
        log=os.path.relpath(log_path, REPO),
        host_facts=_read_json(facts_path),
    )
    result.update(api_calls(proxy, accounts))
    result["tasks"] = task_breakdown(timing_path, accounts)
    if result["hosts_failed"]:
        failures = run.failures()
        first = sorted(failures)[0] if failures else None
        result["first_failure"] = failures[first].strip().splitlines()[:6] if first else output.strip().splitlines()[-6:]
    return result


def api_calls(proxy, accounts):
    """Calls per account by action. Each tool makes one session per account and run; the
    hub's own calls (AssumeRole) are spread over the accounts."""
    with proxy.lock:
        by_key = dict(proxy.calls_by_key)
    per_action = collections.Counter()
    per_session = collections.Counter()
    for (key, action), count in by_key.items():
        per_action[action] += count
        if key != HUB_KEY:
            per_session[key] += count
    per_account = {action: round(count / float(accounts), 2) for action, count in sorted(per_action.items())}
    return dict(calls_per_account=per_account, calls_per_account_total=round(sum(per_action.values()) / float(accounts), 2),
                sessions=len(per_session), max_calls_per_session=max(per_session.values()) if per_session else 0,
                min_calls_per_session=min(per_session.values()) if per_session else 0)


def task_breakdown(timing_path, accounts):
    """Where the accounts' time goes, from the task_timing callback: seconds per account
    in AWS tasks (modules of amazon.aws or of this collection that ran: they make the API
    calls), in the other per-host tasks (assert, set_fact, include_tasks, skipped ones), in tasks run
    once per run (the fleet summary); the AWS tasks' count per account; seconds per account
    by task name."""
    if not os.path.exists(timing_path):
        return {}
    with open(timing_path) as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    per_task_hosts = collections.Counter(record["task"] for record in records)
    breakdown = dict(aws_task_s=0.0, aws_tasks=0, ansible_task_s=0.0, once_per_run_s=0.0, by_task={})
    for record in records:
        seconds = record["end"] - record["start"]
        if per_task_hosts[record["task"]] == 1 and accounts > 1:
            breakdown["once_per_run_s"] += seconds
        elif (record["action"].startswith(("amazon.aws.", "fleetiam.maintenance_windows."))
              and record["status"] != "skipped"):
            breakdown["aws_task_s"] += seconds / accounts
            breakdown["aws_tasks"] += 1.0 / accounts
        else:
            breakdown["ansible_task_s"] += seconds / accounts
        breakdown["by_task"][record["task"]] = breakdown["by_task"].get(record["task"], 0.0) + seconds / accounts
    rounded = {key: round(value, 3) for key, value in breakdown.items() if key != "by_task"}
    rounded["by_task"] = {task: round(value, 3) for task, value in breakdown["by_task"].items()}
    return rounded


# -- fleets ----------------------------------------------------------------------------------
class BenchFleet(object):
    """A fresh moto with N member accounts and the default principals, behind the proxy."""

    def __init__(self, size, latency, workdir):
        self.size = size
        self.workdir = workdir
        self.moto = MotoServer()
        self.proxy = AwsProxy(self.moto.url, FaultPlan(latency=latency))

    def __enter__(self):
        self.moto.start()
        self.proxy.start()
        started = time.perf_counter()
        # Set up directly on moto: neither counted nor delayed.
        account_ids = aws.create_member_accounts(self.moto.url, self.size, prefix="bench")
        for account_id in account_ids:
            aws.create_principals(self.moto.url, account_id,
                                  groups=[fleet.OPERATORS_GROUP, fleet.CONTRACTORS_GROUP])
        hosts = {"account-%03d" % index: fleet.account_host(account_id)
                 for index, account_id in enumerate(account_ids)}
        os.makedirs(self.workdir, exist_ok=True)
        self.inventory = fleet.write_inventory(os.path.join(self.workdir, "inventory.yml"), self.proxy.url,
                                               hosts=hosts, group_vars=fleet.OPERATORS_AND_CONTRACTORS)
        self.setup_s = time.perf_counter() - started
        return self

    def __exit__(self, *exc):
        self.proxy.stop()
        self.moto.stop()


def measure_tool(tool, size, latency, forks, workdir, log, settings=False, phases=None):
    """The four phases (or those in ``phases``) of one tool on one fresh fleet of ``size`` accounts; with
    ``settings``, then the warm re-run under each of SETTINGS and the Ansible floor."""
    env = dict(ANSIBLE_FORKS=str(forks))
    runs = []
    with BenchFleet(size, latency, workdir) as bench:
        log("  %s, N=%d: fleet ready in %.1f s" % (tool, size, bench.setup_s))
        for phase, args in PHASES:
            if phases and phase not in phases:
                continue
            if tool == "amazon.aws" and phase.startswith("preview"):
                # As written first (see amazon_aws/setup.yml), then with the user's fix.
                as_written = run_measured(tool, bench.inventory, workdir, _slug(phase + " as written"), args,
                                          bench.proxy, size, env)
                as_written.update(phase=phase + " (as written)", size=size)
                runs.append(as_written)
                log(_progress(as_written))
                args = args + ["-e", "preview_assumes_role=true"]
            result = run_measured(tool, bench.inventory, workdir, _slug(phase), args, bench.proxy, size, env)
            result.update(phase=phase, size=size)
            runs.append(result)
            log(_progress(result))
        if settings:
            log("  Ansible settings, ours, N=%d, apply warm" % size)
            for name, setting_env in SETTINGS.items():
                result = run_measured(tool, bench.inventory, workdir, _slug("apply warm " + name), [], bench.proxy,
                                      size, setting_env)
                result.update(phase="apply warm", size=size, setting=name)
                runs.append(result)
                log(_progress(result))
            result = run_measured("floor", bench.inventory, workdir, "floor", [], bench.proxy, size, env)
            result.update(phase="floor", size=size, setting="Ansible floor: %d no-op tasks per host" % FLOOR_TASKS)
            runs.append(result)
            log(_progress(result))
    return runs


def _read_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return json.load(handle)


def _slug(text):
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _progress(result):
    failed = " FAILED on %d hosts" % len(result["hosts_failed"]) if result["hosts_failed"] else ""
    facts = (result.get("host_facts") or {}).get("mean_bytes")
    return ("    %-10s %-26s %-22s wall %6.1f s  cpu %6.1f s  pss %6.0f MB  main %5.1f MB  facts/host %5.1f KB  "
            "calls/account %5.1f  changed %d/%d%s"
            % (result["tool"], result["phase"], result.get("setting", ""), result["wall_s"], result["cpu_s"],
               result["peak_pss_mb"], result["peak_main_rss_mb"], (facts or 0) / 1024.0,
               result["calls_per_account_total"], result["hosts_changed"], result["hosts"], failed))


# -- report ------------------------------------------------------------------------------------
def comparison_table(runs):
    lines = ["| N | phase | tool | wall s | CPU s | peak RSS MB (tree) | peak PSS MB (tree) | calls/account | "
             "calls per account by action | hosts failed |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for run in runs:
        if run.get("setting"):
            continue
        actions = ", ".join("%s %g" % (action, count) for action, count in run["calls_per_account"].items())
        lines.append("| %d | %s | %s | %.1f | %.1f | %.0f | %.0f | %g | %s | %d |" % (
            run["size"], run["phase"], run["tool"], run["wall_s"], run["cpu_s"], run["peak_rss_mb"],
            run["peak_pss_mb"], run["calls_per_account_total"], actions, len(run["hosts_failed"])))
    return "\n".join(lines)


def ratio_table(runs):
    by_key = {(r["size"], r["phase"], r["tool"]): r for r in runs if not r.get("setting")}
    lines = ["| N | phase | wall ours/amazon.aws | CPU ours/amazon.aws | calls ours/amazon.aws | "
             "wall target (<= 0.5 at N=50) |", "|---|---|---|---|---|---|"]
    phase_order = [name for name, args in PHASES]

    def in_order(key):
        return key[0], phase_order.index(key[1]) if key[1] in phase_order else 99

    for size, phase, tool in sorted(by_key, key=in_order):
        if tool != "ours" or (size, phase, "amazon.aws") not in by_key:
            continue
        ours, theirs = by_key[(size, phase, "ours")], by_key[(size, phase, "amazon.aws")]
        wall = ours["wall_s"] / theirs["wall_s"]
        lines.append("| %d | %s | %.2f | %.2f | %.2f | %s |" % (
            size, phase, wall, ours["cpu_s"] / max(theirs["cpu_s"], 0.01),
            ours["calls_per_account_total"] / max(theirs["calls_per_account_total"], 0.01),
            ("met" if wall <= 0.5 else "NOT met") if size == 50 else "-"))
    return "\n".join(lines)


def scaling_table(runs):
    """Cost per account and fixed cost per tool and phase, from the smallest and largest N."""
    lines = ["| tool | phase | wall s per account | fixed wall s | CPU s per account | fixed CPU s | "
             "peak PSS MB by N | peak RSS MB of the main process by N | main process CPU / wall by N |",
             "|---|---|---|---|---|---|---|---|---|"]
    groups = collections.OrderedDict()
    for run in runs:
        if not run.get("setting"):
            groups.setdefault((run["tool"], run["phase"]), []).append(run)
    for (tool, phase), group in groups.items():
        group.sort(key=lambda r: r["size"])
        small, large = group[0], group[-1]
        if large["size"] == small["size"]:
            continue
        span = float(large["size"] - small["size"])
        wall_slope = (large["wall_s"] - small["wall_s"]) / span
        cpu_slope = (large["cpu_s"] - small["cpu_s"]) / span
        lines.append("| %s | %s | %.3f | %.1f | %.3f | %.1f | %s | %s | %s |" % (
            tool, phase, wall_slope, small["wall_s"] - wall_slope * small["size"], cpu_slope,
            small["cpu_s"] - cpu_slope * small["size"],
            ", ".join("%d: %.0f" % (r["size"], r["peak_pss_mb"]) for r in group),
            ", ".join("%d: %.0f" % (r["size"], r["peak_main_rss_mb"]) for r in group),
            ", ".join("%d: %s" % (r["size"], "%.2f" % (r["main_cpu_s"] / r["wall_s"]) if "main_cpu_s" in r else "-")
                      for r in group)))
    return "\n".join(lines)


def settings_table(runs, size, forks):
    lines = ["| setting | phase | wall s | CPU s | peak PSS MB | calls/account |", "|---|---|---|---|---|---|"]
    for run in runs:
        if run["tool"] == "ours" and run["size"] == size and run["phase"] == "apply warm" and not run.get("setting"):
            lines.append("| forks %d, linear (the comparison's run) | apply warm | %.1f | %.1f | %.0f | %g |" % (
                forks, run["wall_s"], run["cpu_s"], run["peak_pss_mb"], run["calls_per_account_total"]))
        elif run.get("setting"):
            lines.append("| %s | %s | %.1f | %.1f | %.0f | %g |" % (
                run["setting"], run["phase"], run["wall_s"], run["cpu_s"], run["peak_pss_mb"],
                run["calls_per_account_total"]))
    return "\n".join(lines)


def time_per_account(runs, latency):
    """Where an account's time goes: AWS tasks (of which API latency), Ansible's own tasks."""
    lines = ["| N | phase | tool | AWS tasks per account | their s per account | of which API latency "
             "(calls x latency) | rest per AWS task | Ansible-only tasks s per account | once-per-run tasks s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for run in runs:
        tasks = run["tasks"]
        if run.get("setting") or not tasks:
            continue
        api = run["calls_per_account_total"] * latency
        lines.append("| %d | %s | %s | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f |" % (
            run["size"], run["phase"], run["tool"], tasks["aws_tasks"], tasks["aws_task_s"], api,
            (tasks["aws_task_s"] - api) / max(tasks["aws_tasks"], 1), tasks["ansible_task_s"],
            tasks["once_per_run_s"]))
    return "\n".join(lines)


def plot(results_path, png_path):
    """Wall time against N, one line per tool and phase (matplotlib of the amazon.aws venv)."""
    subprocess.run([os.path.join(AMAZON_AWS_VENV, "bin", "python"), os.path.join(BENCH, "plot.py"),
                    results_path, png_path], check=True)


def write_report(results, workdir):
    """results.json, the plot and report.md of ``results`` in ``workdir``; prints the report."""
    results_path = os.path.join(workdir, "results.json")
    with open(results_path, "w") as handle:
        json.dump(results, handle, indent=1)
    shutil.copyfile(results_path, os.path.join(RESULTS, "latest.json"))
    png_path = os.path.join(workdir, "wall-time.png")
    plot(results_path, png_path)
    shutil.copyfile(png_path, os.path.join(RESULTS, "latest-wall-time.png"))

    runs, forks, latency = results["runs"], results["forks"], results["latency_s"]
    settings_size = next((run["size"] for run in runs if run.get("setting")), 0)
    sections = [
        "## Tools (forks %d, %.0f ms per call, %d CPUs)\n\n%s" % (
            forks, latency * 1000, results["cpus"], comparison_table(runs)),
        "## Ratios\n\n" + ratio_table(runs),
        "## Scaling (from the smallest and largest N)\n\n" + scaling_table(runs),
        "## Time per account\n\n" + time_per_account(runs, latency),
    ]
    if settings_size:
        sections.append("## Ansible settings, ours, N=%d\n\n%s" % (settings_size,
                                                                   settings_table(runs, settings_size, forks)))
    sections.append("## Python start-up\n\n" + "\n".join(
        "- %s: wall %.2f s, CPU %.2f s" % (name, cost["wall"], cost["cpu"]) for name, cost in results["python_start"].items()))
    report = "\n\n".join(sections)
    with open(os.path.join(workdir, "report.md"), "w") as handle:
        handle.write(report + "\n")
    print("\n" + report)
    print("\nResults: %s, %s (%.0f s of measuring in all)" % (
        os.path.relpath(results_path, REPO), os.path.relpath(png_path, REPO), results["total_s"]))


def merged(paths):
    """One result from several invocations' results.json (for example N=200 measured on its
    own): their runs together; the latency and forks must agree."""
    parts = []
    for path in paths:
        with open(path) as handle:
            parts.append(json.load(handle))
    first = parts[0]
    for part in parts[1:]:
        for key in ("latency_s", "forks", "cpus", "ours"):
            if part[key] != first[key]:
                raise SystemExit("cannot merge %s: its %s is %r, not %r" % (path, key, part[key], first[key]))
    result = dict(first, merged_from=[os.path.relpath(path, REPO) for path in paths], runs=[],
                  sizes=sorted({size for part in parts for size in part["sizes"]}),
                  total_s=round(sum(part["total_s"] for part in parts), 1))
    for part in parts:
        result["runs"] += part["runs"]
    result["runs"].sort(key=lambda run: run["size"])  # stable: each size keeps its order of runs
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,50",
                        help="fleet sizes N, comma-separated (default 10,50; 200 is opt-in: --sizes 10,50,200)")
    parser.add_argument("--tools", default="amazon.aws,ours", help="amazon.aws, ours, or both (default)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every API call (default 0.05)")
    parser.add_argument("--forks", type=int, default=10, help="forks of the tool comparison (default 10)")
    parser.add_argument("--ref", help="benchmark our collection as committed at this git ref, e.g. HEAD "
                                      "(default: the working tree)")
    parser.add_argument("--settings-size", type=int, default=50,
                        help="the N (one of --sizes) at which our playbook's warm re-run is also measured "
                             "under each Ansible setting (default 50; 0 skips them)")
    parser.add_argument("--phases", help="only these phases, comma-separated, in their usual order (default: "
                                         "all of %s)" % ", ".join(name for name, args in PHASES))
    parser.add_argument("--merge", nargs="+", metavar="RESULTS_JSON",
                        help="measure nothing: one report from the results.json of earlier runs (same latency, "
                             "forks and collection), e.g. --sizes 10,50 and --sizes 200 run apart")
    args = parser.parse_args()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    workdir = os.path.join(RESULTS, stamp)
    if args.merge:
        results = merged(args.merge)
        os.makedirs(workdir, exist_ok=True)
        write_report(results, workdir)
        return
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    tools = [tool.strip() for tool in args.tools.split(",") if tool.strip()]
    if args.settings_size and (args.settings_size not in sizes or "ours" not in tools):
        parser.error("--settings-size must be one of --sizes, with ours among --tools (or 0)")
    phases = [phase.strip() for phase in (args.phases or "").split(",") if phase.strip()]
    if set(phases) - set(dict(PHASES)):
        parser.error("unknown phases: %s" % ", ".join(sorted(set(phases) - set(dict(PHASES)))))
    unknown = sorted(set(tools) - set(TOOLS) | ({"floor"} & set(tools)))
    if unknown:
        parser.error("unknown tools: %s (choose from %s)" % (", ".join(unknown), ", ".join(TOOLS)))

    ensure_amazon_aws_venv()
    os.makedirs(workdir, exist_ok=True)
    started = time.perf_counter()
    ours_commit = use_snapshot(args.ref, workdir) if args.ref else None

    def log(line):
        print(line, flush=True)

    results = dict(started=stamp, ours=ours_commit or "working tree", sizes=sizes, tools=tools, latency_s=args.latency,
                   forks=args.forks, cpus=os.cpu_count(), versions=tool_versions(),
                   runs=[])
    results["python_start"] = {
        "amazon.aws module (python + boto3 import)": python_start_cost(TOOLS["amazon.aws"]["bin"], "boto3"),
        "ansible-playbook (python + ansible import)": python_start_cost(fleet.BIN, "ansible.cli.playbook"),
    }
    log("Benchmark: sizes %s, tools %s, %.0f ms per call, forks %d, ours from %s; work in %s"
        % (sizes, tools, args.latency * 1000, args.forks, results["ours"], os.path.relpath(workdir, REPO)))
    for size in sizes:
        for tool in tools:
            results["runs"] += measure_tool(tool, size, args.latency, args.forks,
                                            os.path.join(workdir, "%s-n%d" % (_slug(tool), size)), log,
                                            settings=tool == "ours" and size == args.settings_size, phases=phases)
    results["total_s"] = round(time.perf_counter() - started, 1)
    write_report(results, workdir)


if __name__ == "__main__":
    main()
