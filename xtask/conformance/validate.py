"""Validates payloads against the schemas of an OpenAPI 3.0 or Swagger 2.0
document with openapi-schema-validator: the oracle `cargo xtask conformance`
asks which of a spec's examples are valid before it decodes them.

Reads {"spec": PATH, "cases": [{"schema": POINTER, "direction": "request" |
"response" | "either", "value": ANY}, ...]} on standard input and writes one
list per case of what is wrong with its value (empty when it is valid).
"""

import copy
import json
import sys

import yaml
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30Validator,
    OAS30WriteValidator,
    oas30_format_checker,
)
from referencing import Registry
from referencing.jsonschema import DRAFT4

VALIDATORS = {
    "request": OAS30WriteValidator,
    "response": OAS30ReadValidator,
    "either": OAS30Validator,
}


def as_openapi3_schemas(node):
    """A Swagger 2.0 document's schemas in the form OpenAPI 3.0's validator
    reads: `x-nullable` as `nullable`, no `type: file`, discriminators as
    objects."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "x-nullable":
                out["nullable"] = value
            elif key == "type" and value == "file":
                continue
            elif key == "discriminator" and isinstance(value, str):
                out[key] = {"propertyName": value}
            else:
                out[key] = as_openapi3_schemas(value)
        return out
    if isinstance(node, list):
        return [as_openapi3_schemas(item) for item in node]
    return node


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    if "swagger" in doc:
        doc = as_openapi3_schemas(copy.deepcopy(doc))
    return doc


def main():
    request = json.load(sys.stdin)
    doc = load(request["spec"])
    registry = Registry().with_resource("urn:spec", DRAFT4.create_resource(doc))
    results = []
    for case in request["cases"]:
        validator = VALIDATORS[case["direction"]](
            {"$ref": "urn:spec#" + case["schema"]},
            registry=registry,
            format_checker=oas30_format_checker,
        )
        try:
            errors = sorted(validator.iter_errors(case["value"]), key=lambda e: list(e.path))
            found = [
                "/" + "/".join(str(p) for p in e.path) + ": " + e.message[:200]
                for e in errors[:3]
            ]
        except Exception as e:  # an unresolvable schema is the spec's problem
            found = ["the schema cannot be used: " + str(e)[:200]]
        results.append(found)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
