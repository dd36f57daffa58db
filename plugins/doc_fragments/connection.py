# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The connection options shared by every module (see module_utils/arguments.py).
    DOCUMENTATION = r"""
options:
  profile:
    description:
      - A named profile from the AWS shared config and credentials files.
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
    description: AWS secret access key. Never shown in output.
    type: str
    aliases: [aws_secret_access_key]
  session_token:
    description: AWS session token for temporary credentials. Never shown in output.
    type: str
    aliases: [aws_session_token]
  region:
    description:
      - The AWS region for STS and to tell the partition. IAM itself is global.
      - Defaults to C(AWS_REGION), C(AWS_DEFAULT_REGION), the profile's region, then C(us-east-1).
    type: str
    aliases: [aws_region]
  endpoint_url:
    description:
      - A custom endpoint for every AWS service called (for example a local test AWS).
      - C(AWS_ENDPOINT_URL) and C(AWS_ENDPOINT_URL_IAM) work as well when this is not set.
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
      - Assume this role first and act in its account, so that one identity can reach a
        whole fleet. The role's account is the account acted in.
      - Malformed ARNs (for example C(arn:aws::iam::...)) are rejected before any call.
    type: str
  external_id:
    description: The external id the assumed role's trust policy asks for. Never shown in output.
    type: str
  role_session_name:
    description: The session name for O(assume_role_arn); it appears in CloudTrail.
    type: str
    default: fleetiam-maintenance-windows
  account_id:
    description:
      - The 12-digit account acted in, when already known (for example from
        M(fleetiam.maintenance_windows.aws_account_info)). Saves an STS call; ARNs are
        computed from it instead of being looked up.
    type: str
  partition:
    description:
      - The AWS partition, when already known. Otherwise taken from O(assume_role_arn),
        the caller's ARN or the region.
    type: str
    choices: [aws, aws-cn, aws-us-gov]
requirements:
  - python >= 3.9
  - botocore >= 1.31.0
"""
