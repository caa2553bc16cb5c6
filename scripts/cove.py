"""Run libcovebods (the BODS community's validator) offline on one file.

libcovebods fetches the org-id.guide prefix list from the network for its
identifier check; here the network is closed, so the list is fixed to the
schemes boardroom and the official examples use. Prints a JSON summary:
schema errors and additional-check findings. Exit 0 when both are empty.

Usage: python scripts/cove.py FILE.json
"""

import json
import sys

import libcovebods.config
import libcovebods.data_reader
import libcovebods.jsonschemavalidate
import libcovebods.run_tasks
import libcovebods.schema
import libcovebods.tasks.checks.legacy_checks as legacy_checks
import libcovebods.tasks.checks.record_based_checks as record_based_checks

PREFIXES = ["GB-COH", "XI-LEI", "US-DOS", "FI-PRO", "MD-IDNO", "SK-ORSR", "DK-CVR", "US-EIN", "UA-EDR", "IRL-TAXID", "MX-RFC", "IRL-BAU"]


def fixed_prefixes(*_args, **_kwargs):
    return PREFIXES


legacy_checks.get_orgids_prefixes = fixed_prefixes
record_based_checks.get_orgids_prefixes = fixed_prefixes


def main(path):
    reader = libcovebods.data_reader.DataReader(path)
    config = libcovebods.config.LibCoveBODSConfig()
    schema = libcovebods.schema.SchemaBODS(reader, config)
    schema_errors = [e.json() for e in libcovebods.jsonschemavalidate.JSONSchemaValidator(schema).validate(reader)]
    checks = libcovebods.run_tasks.process_additional_checks(
        reader, config, schema, libcovebods.run_tasks.TASK_CLASSES
    )
    findings = checks.get("additional_checks", [])
    print(json.dumps({"schema_errors": schema_errors, "additional_checks": findings}, indent=1, default=str))
    return 0 if not schema_errors and not findings else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
