# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: aws_accounts
short_description: The accounts of an AWS Organization, one inventory host per account
version_added: 0.1.0
description:
  - Lists the accounts of an AWS Organization with the Organizations API, from the
    management account or a delegated administrator, and makes one inventory host per
    account for the collection's playbooks.
  - Every host is in O(account_group) and has the variables of the collection's role
    C(mw_account_id), C(mw_account_name) and C(mw_assume_role_arn) (from
    O(member_role_arn_template)), and C(aws_account_email), C(aws_account_state),
    C(aws_account_tags), C(aws_account_ou_id) (the unit or root the account is in) and
    C(aws_account_ou_path) (the names of the units above it, joined by C(/)). The role
    refuses C(mw_) variables it does not know, hence the other prefix.
  - "Every host also has C(ansible_connection=local) and C(ansible_python_interpreter) set
    to C({{ ansible_playbook_python }}): accounts are API targets, and interpreter discovery
    on the controller can pick a Python without botocore."
  - Accounts are grouped by organizational unit (O(ou_groups)); a child unit's group is a
    child of its parent unit's group. Tag groups such as C(tag_Env_prod) come from
    O(keyed_groups) on C(aws_account_tags).
  - The inventory file name must end in C(aws_accounts.yml) or C(aws_accounts.yaml).
  - "AWS calls: C(organizations:ListRoots) (without O(organizational_unit_ids)), per
    organizational unit walked C(ListAccountsForParent) and C(ListOrganizationalUnitsForParent),
    C(DescribeOrganizationalUnit) per unit in O(organizational_unit_ids), and
    C(ListTagsForResource) per account kept when tags are read, C(DescribeOrganization) and
    C(DescribeAccount) for O(organization_host). With O(cache), a cached
    inventory makes no call at all."
author: fleetiam maintainers (@fleetiam)
requirements:
  - python >= 3.9
  - botocore >= 1.31.0
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin; it marks the file as this plugin's.
    type: str
    required: true
    choices: [fleetiam.maintenance_windows.aws_accounts]
  profile:
    description:
      - A named profile from the AWS shared config and credentials files, for the
        Organizations calls.
      - When no credentials or profile are given, the standard AWS environment variables
        and files are used (C(AWS_PROFILE), C(AWS_ACCESS_KEY_ID), C(AWS_SECRET_ACCESS_KEY),
        C(AWS_SESSION_TOKEN), C(AWS_ENDPOINT_URL), instance or container credentials).
    type: str
    aliases: [aws_profile]
  access_key:
    description: AWS access key id. Given together with O(secret_key).
    type: str
    aliases: [aws_access_key_id]
  secret_key:
    description: AWS secret access key.
    type: str
    aliases: [aws_secret_access_key]
  session_token:
    description: AWS session token for temporary credentials.
    type: str
    aliases: [aws_session_token]
  region:
    description:
      - The region of the Organizations and STS endpoints; it also tells the partition
        (for example C(cn-northwest-1) for C(aws-cn), C(us-gov-west-1) for C(aws-us-gov)).
      - Defaults to C(AWS_REGION), C(AWS_DEFAULT_REGION), the profile's region, then C(us-east-1).
    type: str
    aliases: [aws_region]
  endpoint_url:
    description:
      - A custom endpoint for the Organizations and STS calls (for example a local test AWS).
      - It is not passed on to the hosts; set C(mw_endpoint_url) with O(compose) for that.
    type: str
    aliases: [aws_endpoint_url]
  validate_certs:
    description: Whether to verify the endpoint's TLS certificate.
    type: bool
    default: true
  ca_bundle:
    description: A CA bundle to verify the endpoint's TLS certificate with.
    type: path
    aliases: [aws_ca_bundle]
  assume_role_arn:
    description:
      - A role to assume first for the Organizations calls, typically a read-only role in
        the management account or in a delegated administrator account.
    type: str
  external_id:
    description: The external id the trust policy of O(assume_role_arn) asks for.
    type: str
  role_session_name:
    description: The session name for O(assume_role_arn); it appears in CloudTrail.
    type: str
    default: fleetiam-maintenance-windows-inventory
  organizational_unit_ids:
    description:
      - Only the accounts in these organizational units (C(ou-...)), or under this root
        (C(r-...)). All accounts of the organization when empty.
    type: list
    elements: str
    default: []
  include_child_units:
    description:
      - Whether the accounts of the units below O(organizational_unit_ids) are included,
        at any depth. Without it only the accounts directly in those units are.
    type: bool
    default: true
  account_states:
    description:
      - The account states listed. Suspended and closed accounts cannot be acted in, so
        by default only active ones are.
      - The state is the account's C(State), or its older C(Status) where AWS gives no C(State).
    type: list
    elements: str
    default: [ACTIVE]
    choices: [ACTIVE, PENDING_ACTIVATION, SUSPENDED, PENDING_CLOSURE, CLOSED]
  include_account_ids:
    description: Only these account ids, when given (after the other filters).
    type: list
    elements: str
    default: []
  exclude_account_ids:
    description:
      - Never these account ids, for example the management account, which has no
        C(OrganizationAccountAccessRole).
    type: list
    elements: str
    default: []
  tag_filters:
    description:
      - Only accounts with every one of these tags. A value is the tag's value, a list of
        accepted values, or null for any value.
      - Setting it reads the accounts' tags even when O(read_tags) is false.
    type: dict
    default: {}
  read_tags:
    description:
      - Whether each account's tags are read (one C(ListTagsForResource) call per account)
        into C(aws_account_tags), for O(keyed_groups), O(groups) and O(compose).
    type: bool
    default: true
  hostname_source:
    description:
      - The inventory host name of an account, its name or its 12-digit id.
      - Account names that more than one account has get C(-<account id>) appended, with a warning.
    type: str
    choices: [name, id]
    default: name
  account_group:
    description:
      - The group every account is in; the collection's playbooks act on C(mw_accounts).
        No such group when empty.
    type: str
    default: mw_accounts
  organization_host:
    description:
      - The inventory host of the organisation steps (role C(fleetiam.maintenance_windows.organization),
        run by the fleet playbooks on the group O(organization_group)); no such host when empty.
      - It is a host of its own, also when its account is one of the listed accounts - each host
        keeps one summary - with the variables of an account host for the account
        O(organization_account_id), and the same O(compose).
    type: str
    default: ""
  organization_group:
    description: The group of O(organization_host).
    type: str
    default: mw_organization
  organization_account_id:
    description:
      - The account of O(organization_host) - a delegated administrator's id; the management account
        of the organisation when empty (one C(organizations:DescribeOrganization) call).
    type: str
    default: ""
  organization_role_name:
    description:
      - The role O(organization_host) assumes in its account (through O(member_role_arn_template)).
      - The management account has no C(OrganizationAccountAccessRole) unless one was made there.
    type: str
    default: OrganizationAccountAccessRole
  ou_groups:
    description:
      - Whether each organizational unit is a group (O(ou_group_prefix) and its name, with
        characters not valid in group names replaced by C(_)), containing the group of each
        unit below it and the accounts directly in it. Units with the same name share a group.
      - The topmost unit groups are children of O(account_group).
    type: bool
    default: true
  ou_group_prefix:
    description: The prefix of the organizational unit groups.
    type: str
    default: ou_
  member_role_name:
    description: The role the playbooks assume in each account, for O(member_role_arn_template).
    type: str
    default: OrganizationAccountAccessRole
  member_role_arn_template:
    description:
      - The C(mw_assume_role_arn) of each account, a Python format string with the fields
        C({partition}) (from the account's ARN), C({account_id}), C({account_name}) and C({role_name})
        (O(member_role_name)).
    type: str
    default: "arn:{partition}:iam::{account_id}:role/{role_name}"
"""

EXAMPLES = r"""
# inventory/fleet.aws_accounts.yml: the active accounts of two units and everything below
# them, grouped by unit and by the Env tag, from a read-only role in the management account.
plugin: fleetiam.maintenance_windows.aws_accounts
assume_role_arn: arn:aws:iam::111111111111:role/OrganizationsReadOnly
organizational_unit_ids: [ou-ab12-workload1, ou-ab12-sandbox1]
exclude_account_ids: ["111111111111"]
keyed_groups:
  - key: aws_account_tags
    prefix: tag
    parent_group: mw_accounts
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/fleetiam-inventory
cache_timeout: 3600

---
# Only production accounts with a Team tag, named by account id, with another role in each
# account; each team's operators may register maintenance window tasks in its accounts.
plugin: fleetiam.maintenance_windows.aws_accounts
tag_filters:
  Env: [prod, production]
  Team:
hostname_source: id
member_role_name: MaintenanceWindowsAdmin
compose:
  mw_pass_role_groups: "[aws_account_tags.Team ~ '-operators']"
"""

import re

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.arns import partition_of_arn
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.aws_sdk import require_botocore
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.context import AwsContext
from ansible_collections.fleetiam.maintenance_windows.plugins.module_utils.errors import (
    AwsApiError,
    MaintenanceWindowError,
)

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 templates every inventory string
    def trust_as_template(value):
        return value

# The connection options, passed on to module_utils.context.AwsContext as they are.
CONNECTION_OPTIONS = ("profile", "access_key", "secret_key", "session_token", "region", "endpoint_url",
                      "validate_certs", "ca_bundle", "assume_role_arn", "external_id", "role_session_name")
# The options that decide what is read from AWS: a cached inventory read with other values
# is read again.
QUERY_OPTIONS = ("profile", "region", "endpoint_url", "assume_role_arn", "organizational_unit_ids",
                 "include_child_units", "account_states", "include_account_ids", "exclude_account_ids",
                 "organization_host", "organization_account_id")
CACHE_FORMAT = 2
_INVALID_GROUP_CHARACTERS = re.compile(r"[^A-Za-z0-9_]")

ORGANIZATIONS_READ_FIX = ("grant organizations:ListRoots, ListAccountsForParent, ListOrganizationalUnitsForParent, "
                          "DescribeOrganizationalUnit and ListTagsForResource, from the management account or a "
                          "delegated administrator")
ERROR_FIXES = {
    "AccessDeniedException": ORGANIZATIONS_READ_FIX,
    "AWSOrganizationsNotInUseException": "use the credentials of an account of the organization: its management "
                                         "account or a delegated administrator (assume_role_arn)",
    "ParentNotFoundException": "check organizational_unit_ids: ou-... units or the r-... root of this organization",
    "OrganizationalUnitNotFoundException": "check organizational_unit_ids: ou-... units of this organization",
}


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "fleetiam.maintenance_windows.aws_accounts"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(
            ("aws_accounts.yml", "aws_accounts.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache=cache)
        self._read_config_data(path)
        query = {name: self.get_option(name) for name in QUERY_OPTIONS}
        query["read_tags"] = self._reads_tags()

        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        organization = None
        if use_cache:
            cached = self._cache.get(cache_key)
            if cached and cached.get("format") == CACHE_FORMAT and cached.get("query") == query:
                organization = cached["organization"]
        if organization is None:
            organization = self._read_organization()
            if self.get_option("cache"):
                self._cache[cache_key] = dict(format=CACHE_FORMAT, query=query, organization=organization)
        self._populate(organization)

    def _reads_tags(self):
        return bool(self.get_option("read_tags") or self.get_option("tag_filters"))

    # -- reading the organization --------------------------------------------------------
    def _read_organization(self):
        """The units walked and the accounts kept, as plain data for the cache."""
        try:
            require_botocore()
            ctx = AwsContext({name: self.get_option(name) for name in CONNECTION_OPTIONS})
            units, accounts = self._walk(ctx)
            accounts = [account for account in accounts if self._kept(account)]
            if self._reads_tags():
                for account in accounts:
                    tags = ctx.pages("organizations", "list_tags_for_resource", "Tags", "account %s" % account["id"],
                                     ResourceId=account["id"])
                    account["tags"] = {tag["Key"]: tag["Value"] for tag in tags}
            organization_account = self._organization_account(ctx) if self.get_option("organization_host") else None
        except AwsApiError as err:
            if err.operation is None:  # not an answer of the Organizations API
                raise AnsibleParserError("aws_accounts inventory: %s" % err.message())
            fix = ERROR_FIXES.get(err.code)
            raise AnsibleParserError("aws_accounts inventory: organizations:%s failed: %s: %s%s" % (
                err.operation, err.code, err.detail, (". Fix: %s" % fix) if fix else ""))
        except MaintenanceWindowError as err:
            raise AnsibleParserError("aws_accounts inventory: %s" % err.message())
        return dict(units=units, accounts=accounts, organization_account=organization_account)

    def _organization_account(self, ctx):
        """The account of the organisation's host: the one named, or the management account."""
        account_id = self.get_option("organization_account_id")
        organization = None
        if not account_id:
            organization = ctx.read("organizations", "describe_organization", "the organization")["Organization"]
            account_id = organization["MasterAccountId"]
        account = ctx.read("organizations", "describe_account", "account %s" % account_id, none_on="not_found",
                           AccountId=account_id)
        if account is None:
            raise AnsibleParserError("aws_accounts inventory: organization_account_id %s is not an account of this "
                                     "organization. Fix: give a delegated administrator's account id, or leave it "
                                     "empty for the management account" % account_id)
        account = account["Account"]
        return dict(id=account_id, name=account.get("Name", ""), partition=partition_of_arn(account["Arn"]))

    def _walk(self, ctx):
        """Walk the organization from the given units (or its root) down: units and accounts."""
        units = {}  # unit id -> {name, parent_id}; roots are not units
        start_ids = self.get_option("organizational_unit_ids")
        if start_ids:
            for unit_id in start_ids:
                if not unit_id.startswith("r-"):
                    unit = ctx.read("organizations", "describe_organizational_unit", "organizational unit %s" % unit_id,
                                    OrganizationalUnitId=unit_id)["OrganizationalUnit"]
                    units[unit_id] = dict(name=unit["Name"], parent_id=None)
            descend = self.get_option("include_child_units")
        else:
            start_ids = [root["Id"] for root in ctx.pages("organizations", "list_roots", "Roots", "the organization")]
            descend = True

        accounts = []
        visited = set()
        pending = list(start_ids)
        while pending:
            parent_id = pending.pop(0)
            if parent_id in visited:  # a unit given together with a unit above it
                continue
            visited.add(parent_id)
            for account in ctx.pages("organizations", "list_accounts_for_parent", "Accounts", parent_id,
                                     ParentId=parent_id):
                accounts.append(dict(
                    id=account["Id"], name=account["Name"], email=account.get("Email", ""),
                    state=account.get("State") or account.get("Status"), parent_id=parent_id,
                    partition=partition_of_arn(account["Arn"]), tags={}))
            if descend:
                for unit in ctx.pages("organizations", "list_organizational_units_for_parent", "OrganizationalUnits",
                                      parent_id, ParentId=parent_id):
                    units[unit["Id"]] = dict(name=unit["Name"], parent_id=parent_id)
                    pending.append(unit["Id"])
        return units, accounts

    def _kept(self, account):
        include = self.get_option("include_account_ids")
        return (account["state"] in self.get_option("account_states")
                and (not include or account["id"] in include)
                and account["id"] not in self.get_option("exclude_account_ids"))

    # -- the inventory -------------------------------------------------------------------
    def _populate(self, organization):
        units = organization["units"]
        accounts = [account for account in organization["accounts"] if self._tags_match(account["tags"])]
        account_group = self.get_option("account_group")
        if account_group:
            self.inventory.add_group(account_group)
        unit_groups = self._add_unit_groups(units, account_group) if self.get_option("ou_groups") else {}
        names = self._host_names(accounts)
        strict = self.get_option("strict")
        for account in accounts:
            host = self.inventory.add_host(names[account["id"]], group=account_group or None)
            if account["parent_id"] in unit_groups:
                self.inventory.add_child(unit_groups[account["parent_id"]], host)
            host_vars = self._host_vars(account, units)
            for name, value in host_vars.items():
                self.inventory.set_variable(host, name, value)
            self._set_composite_vars(self.get_option("compose"), host_vars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), host_vars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), host_vars, host, strict=strict)
        if organization.get("organization_account"):
            self._add_organization_host(organization["organization_account"], strict)

    def _add_organization_host(self, account, strict):
        group = self.inventory.add_group(self.get_option("organization_group"))
        host = self.inventory.add_host(self.get_option("organization_host"), group=group)
        host_vars = dict(
            mw_account_id=account["id"],
            mw_account_name=account["name"],
            mw_assume_role_arn=self._role_arn(account, self.get_option("organization_role_name")),
            ansible_connection="local",
            ansible_python_interpreter=trust_as_template("{{ ansible_playbook_python }}"),
        )
        for name, value in host_vars.items():
            self.inventory.set_variable(host, name, value)
        self._set_composite_vars(self.get_option("compose"), host_vars, host, strict=strict)

    def _tags_match(self, tags):
        for key, accepted in self.get_option("tag_filters").items():
            if key not in tags:
                return False
            if accepted is None:
                continue
            values = accepted if isinstance(accepted, list) else [accepted]
            if tags[key] not in [str(value) for value in values]:
                return False
        return True

    def _add_unit_groups(self, units, account_group):
        """A group per unit, nested like the units; returns unit id -> group name."""
        prefix = self.get_option("ou_group_prefix")
        groups = {unit_id: self.inventory.add_group(_INVALID_GROUP_CHARACTERS.sub("_", prefix + unit["name"]))
                  for unit_id, unit in units.items()}
        for unit_id, unit in units.items():
            parent_group = groups.get(unit["parent_id"]) or account_group
            if parent_group and parent_group != groups[unit_id]:
                self.inventory.add_child(parent_group, groups[unit_id])
        return groups

    def _host_names(self, accounts):
        if self.get_option("hostname_source") == "id":
            return {account["id"]: account["id"] for account in accounts}
        seen = {}
        for account in accounts:
            seen.setdefault(account["name"], []).append(account["id"])
        names = {}
        for name, ids in seen.items():
            if len(ids) > 1:
                self.display.warning("aws_accounts inventory: accounts %s share the name %r; their hosts are "
                                     "named <name>-<account id>" % (", ".join(ids), name))
            for account_id in ids:
                names[account_id] = name if len(ids) == 1 else "%s-%s" % (name, account_id)
        return names

    def _host_vars(self, account, units):
        path = []
        unit_id = account["parent_id"]
        while unit_id in units:
            path.insert(0, units[unit_id]["name"])
            unit_id = units[unit_id]["parent_id"]
        role_arn = self._role_arn(account, self.get_option("member_role_name"))
        return dict(
            mw_account_id=account["id"],
            mw_account_name=account["name"],
            aws_account_email=account["email"],
            aws_account_state=account["state"],
            aws_account_tags=account["tags"],
            aws_account_ou_id=account["parent_id"],
            aws_account_ou_path="/".join(path),
            mw_assume_role_arn=role_arn,
            ansible_connection="local",
            ansible_python_interpreter=trust_as_template("{{ ansible_playbook_python }}"),
        )

    def _role_arn(self, account, role_name):
        try:
            return self.get_option("member_role_arn_template").format(
                partition=account["partition"], account_id=account["id"], account_name=account["name"],
                role_name=role_name)
        except (KeyError, IndexError, ValueError) as exc:
            raise AnsibleParserError("aws_accounts inventory: member_role_arn_template %r cannot be filled: %s. "
                                     "Fix: use only {partition}, {account_id}, {account_name} and {role_name}"
                                     % (self.get_option("member_role_arn_template"), exc))
