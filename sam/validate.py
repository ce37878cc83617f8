#!/usr/bin/env python3
"""`sam validate --lint` and plain `sam validate`, without the SAM CLI.

What the SAM CLI runs (aws/aws-sam-cli 1.164, samcli/commands/validate/validate.py), with the
Python modules it bundles:

- `--lint`: cfn-lint's API on the template's text, `lint(text, config=ManualArgs(regions=[region]))`
  (`_lint`); the command fails on any match, warnings included.
- plain: the SAM translator on the parsed template, whatever its Transform
  (samcli/lib/translate/sam_template_validator.py), after every local CodeUri is replaced by an
  S3 URI (the translator accepts no local path).

Usage: python3 sam/validate.py [--region us-east-1] [--translated] TEMPLATE...
Prints one JSON object per template, {"template", "findings": [{"source", "rule", "message"}]},
with --translated also "translated": the template the SAM translator made (what CloudFormation
deploys, before it resolves parameters and conditions), and exits 1 if any template has a
finding. Needs cfn-lint and aws-sam-translator (the SAM CLI
bundles both; or `pip install cfn-lint aws-sam-translator`).
"""

import argparse
import json
import sys

import boto3
from cfnlint.api import ManualArgs, lint
from samtranslator.public.exceptions import InvalidDocumentException
from samtranslator.public.parser import Parser
from samtranslator.public.translator import Translator
from samtranslator.yaml_helper import yaml_parse

# SamTemplateValidator._update_to_s3_uri
PLACEHOLDER_S3_URI = "s3://bucket/value"


def lint_findings(text, region):
    return [
        {"source": "cfn-lint", "rule": match.rule.id, "message": f"line {match.linenumber}: {match.message}"}
        for match in lint(text, config=ManualArgs(regions=[region]))
    ]


def with_s3_code_uris(template):
    """As SamTemplateValidator._replace_local_codeuri does, for the zip functions used here."""
    function_globals = template.get("Globals", {}).get("Function")
    if isinstance(function_globals, dict) and isinstance(function_globals.get("CodeUri", "."), str):
        function_globals["CodeUri"] = PLACEHOLDER_S3_URI
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(properties.get("CodeUri", "."), str):
            properties["CodeUri"] = PLACEHOLDER_S3_URI
    return template


def managed_policy_map():
    # SAM CLI asks IAM (ListPolicies) only when a policy is named rather than given by ARN or as
    # a document; offline, that has to be an error rather than a silent pass.
    raise RuntimeError("a managed policy named by name: sam validate would ask IAM for its ARN")


def translate(text, region):
    """The translated template and no findings, or None and the translator's findings."""
    template = yaml_parse(text)
    translator = Translator(
        managed_policy_map=None,
        sam_parser=Parser(),
        plugins=[],
        boto_session=boto3.session.Session(region_name=region),
    )
    try:
        translated = translator.translate(
            sam_template=with_s3_code_uris(template),
            parameter_values={},
            get_managed_policy_map=managed_policy_map,
        )
    except InvalidDocumentException as error:
        return None, [{"source": "sam-translator", "rule": "InvalidDocument", "message": str(cause)} for cause in error.causes]
    return translated, []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--translated", action="store_true")
    parser.add_argument("templates", nargs="+")
    args = parser.parse_args()
    failed = False
    for path in args.templates:
        with open(path, encoding="utf-8") as file:
            text = file.read()
        translated, translator_findings = translate(text, args.region)
        findings = lint_findings(text, args.region) + translator_findings
        failed = failed or bool(findings)
        report = {"template": path, "findings": findings}
        if args.translated:
            report["translated"] = translated
        print(json.dumps(report, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
