# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument spec every module shares (documented in doc_fragments/connection.py)."""

from __future__ import annotations


def connection_argument_spec():
    """The options every module shares: credentials, endpoint, assume-role, account hints."""
    return dict(
        profile=dict(type="str", aliases=["aws_profile"]),
        access_key=dict(type="str", aliases=["aws_access_key_id"], no_log=True),
        secret_key=dict(type="str", aliases=["aws_secret_access_key"], no_log=True),
        session_token=dict(type="str", aliases=["aws_session_token"], no_log=True),
        region=dict(type="str", aliases=["aws_region"]),
        endpoint_url=dict(type="str", aliases=["aws_endpoint_url"]),
        validate_certs=dict(type="bool", default=True),
        ca_bundle=dict(type="path", aliases=["aws_ca_bundle"]),
        assume_role_arn=dict(type="str"),
        external_id=dict(type="str", no_log=True),
        role_session_name=dict(type="str", default="fleetiam-maintenance-windows"),
        account_id=dict(type="str"),
        partition=dict(type="str", choices=["aws", "aws-cn", "aws-us-gov"]),
    )


def build_argument_spec(resource_options):
    """One function builds every module's spec: the shared connection options plus its own."""
    spec = connection_argument_spec()
    spec.update(resource_options)
    return spec
