"""Regenerate ``openapi-subset.json`` from GitHub's official OpenAPI description.

The fake GitHub validates every request against this subset, so the subset has to come
from the real description rather than be written by hand. Run it against the
dereferenced file of the ``@octokit/openapi`` npm package::

    python tests/fakegithub/trim_openapi.py \\
        node_modules/@octokit/openapi/generated/api.github.com.deref.json \\
        > tests/fakegithub/openapi-subset.json

Only the operations the fake serves are kept, with their parameters and request-body
schemas. Responses, examples and prose are dropped to keep the file small. Every other
operation of the description is listed by method and path only, so the fake can tell
"GitHub has this route, the fake does not serve it" from "GitHub has no such route".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# (method, path template) of every operation the fake serves.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("get", "/repos/{owner}/{repo}"),
    ("get", "/repos/{owner}/{repo}/issues"),
    ("post", "/repos/{owner}/{repo}/issues"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("patch", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    ("get", "/repos/{owner}/{repo}/labels"),
    ("post", "/repos/{owner}/{repo}/labels"),
    ("get", "/repos/{owner}/{repo}/git/ref/{ref}"),
    ("post", "/repos/{owner}/{repo}/git/refs"),
    ("patch", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("delete", "/repos/{owner}/{repo}/git/refs/{ref}"),
    ("get", "/repos/{owner}/{repo}/contents/{path}"),
    ("put", "/repos/{owner}/{repo}/contents/{path}"),
    ("get", "/repos/{owner}/{repo}/commits"),
    ("get", "/repos/{owner}/{repo}/pulls"),
    ("post", "/repos/{owner}/{repo}/pulls"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    ("patch", "/repos/{owner}/{repo}/pulls/{pull_number}"),
)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Schema keywords that only annotate; validation never reads them.
ANNOTATIONS = frozenset({"description", "example", "examples", "title", "externalDocs"})

# Parameter keys worth keeping: the rest is prose.
PARAMETER_KEYS = ("name", "in", "required", "schema", "style", "explode", "x-multi-segment")


def trim_schema(schema: Any) -> Any:
    """``schema`` without annotations, recursing only where subschemas live.

    Property names are kept even when they look like keywords (``title`` and
    ``description`` are real fields of issues and labels).
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ANNOTATIONS or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {name: trim_schema(sub) for name, sub in value.items()}
        elif key in ("oneOf", "anyOf", "allOf"):
            out[key] = [trim_schema(sub) for sub in value]
        elif key in ("items", "not", "additionalProperties"):
            out[key] = trim_schema(value)
        else:
            out[key] = value
    return out


def trim_parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    """The parts of a parameter that routing and validation use."""
    kept = {key: parameter[key] for key in PARAMETER_KEYS if key in parameter}
    if "schema" in kept:
        kept["schema"] = trim_schema(kept["schema"])
    return kept


def trim_operation(operation: dict[str, Any]) -> dict[str, Any]:
    """An operation reduced to its id, parameters and JSON request body."""
    out: dict[str, Any] = {"operationId": operation["operationId"]}
    out["parameters"] = [trim_parameter(p) for p in operation.get("parameters", [])]
    body = operation.get("requestBody")
    if body is not None:
        content = body["content"]["application/json"]
        out["requestBody"] = {
            "required": bool(body.get("required", False)),
            "content": {"application/json": {"schema": trim_schema(content["schema"])}},
        }
    return out


def other_operations(paths: dict[str, Any]) -> dict[str, list[str]]:
    """Every operation the fake does not serve, as path -> methods."""
    served = set(OPERATIONS)
    out: dict[str, list[str]] = {}
    for path, item in sorted(paths.items()):
        methods = [m for m in HTTP_METHODS if m in item and (m, path) not in served]
        if methods:
            out[path] = methods
    return out


def package_version(description_file: Path) -> str:
    """The npm package version, read from ``package.json`` above ``generated/``."""
    package_json = description_file.resolve().parent.parent / "package.json"
    data = json.loads(package_json.read_text(encoding="utf-8"))
    return str(data["version"])


def build_subset(description: dict[str, Any], version: str) -> dict[str, Any]:
    """The subset document written to ``openapi-subset.json``."""
    paths: dict[str, dict[str, Any]] = {}
    for method, path in OPERATIONS:
        paths.setdefault(path, {})[method] = trim_operation(description["paths"][path][method])
    return {
        "openapi": description["openapi"],
        "info": {"title": description["info"]["title"], "version": description["info"]["version"]},
        "x-fakegithub": {
            "source": "npm package @octokit/openapi, generated/api.github.com.deref.json",
            "package_version": version,
            "regenerate": "python tests/fakegithub/trim_openapi.py PATH/api.github.com.deref.json",
            "other_operations": other_operations(description["paths"]),
        },
        "paths": paths,
    }


def main(argv: list[str]) -> int:
    """Print the subset of the description named on the command line."""
    if len(argv) != 2:
        print(f"usage: {argv[0]} PATH/api.github.com.deref.json", file=sys.stderr)
        return 2
    source = Path(argv[1])
    description = json.loads(source.read_text(encoding="utf-8"))
    subset = build_subset(description, package_version(source))
    json.dump(subset, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
