"""How the fleet tests read a --diff run: each diff goes to the account it names."""

from __future__ import annotations

import json

from tests.support.fleet import PlaybookRun

# What the default callback printed in a CI run: another host's item result came, from the
# results thread, between web-prod's diff and web-prod's own result line.
INTERLEAVED = """\
TASK [fleetiam.maintenance_windows.permissions : Task 4 | Inline policy DenyRegister] ***
--- before: account 111111111111: inline policy DenyRegister on group contractors
+++ after: account 111111111111: inline policy DenyRegister on group contractors
@@ -0,0 +1,3 @@
+Statement:
+- Action: ssm:RegisterTaskWithMaintenanceWindow

ok: [sandbox] => (item=group contractors)
changed: [web-prod] => (item=group contractors)
--- before
+++ after
@@ -1 +1 @@
-old
+new

changed: [payments-prod]
"""


def run_of(tmp_path, output):
    summary = [dict(host="web-prod", account_id="111111111111"), dict(host="sandbox", account_id="222222222222"),
               dict(host="payments-prod", account_id="333333333333")]
    (tmp_path / "latest").mkdir()
    (tmp_path / "latest" / "setup-apply.json").write_text(json.dumps(dict(run=dict(name="setup apply"), accounts=summary)))
    return PlaybookRun(["ansible-playbook"], 0, output, str(tmp_path))


def test_a_diff_that_names_its_account_goes_to_that_account_whatever_comes_between(tmp_path):
    shown = run_of(tmp_path, INTERLEAVED).diffs()
    assert "ssm:RegisterTaskWithMaintenanceWindow" in shown["web-prod"]
    assert "sandbox" not in shown


def test_a_diff_without_an_account_goes_to_the_result_line_after_it(tmp_path):
    shown = run_of(tmp_path, INTERLEAVED).diffs()
    assert "+new" in shown["payments-prod"]
    assert "+new" not in shown.get("web-prod", "")
