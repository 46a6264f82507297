"""Routing and request validation driven by the trimmed OpenAPI description.

Every rule here comes from ``openapi-subset.json`` (a cut of GitHub's official
description), with one deliberate tightening: a request body's top-level object may not
carry fields the description does not list. GitHub silently ignores such fields, which
is exactly how a misspelt field goes unnoticed, so the fake refuses them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

from .errors import RejectedError

SUBSET_FILE = Path(__file__).with_name("openapi-subset.json")

# The resource name GitHub puts in validation errors, by operation.
RESOURCES = {
    "issues/create": "Issue",
    "issues/update": "Issue",
    "issues/create-comment": "IssueComment",
    "issues/add-labels": "Label",
    "issues/create-label": "Label",
    "git/create-ref": "Reference",
    "git/update-ref": "Reference",
    "repos/create-or-update-file-contents": "Content",
    "pulls/create": "PullRequest",
    "pulls/update": "PullRequest",
}


@dataclass(frozen=True)
class Parameter:
    """One path or query parameter of an operation."""

    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    multi_segment: bool


@dataclass(frozen=True)
class Operation:
    """One method on one path template, with what it accepts."""

    operation_id: str
    method: str
    template: str
    parameters: tuple[Parameter, ...]
    body_schema: dict[str, Any] | None
    body_required: bool

    def parameters_in(self, location: str) -> list[Parameter]:
        """The parameters that travel in ``location`` ("path" or "query")."""
        return [p for p in self.parameters if p.location == location]

    @property
    def resource(self) -> str:
        """The resource name for validation errors about this operation."""
        return RESOURCES.get(self.operation_id, "")


@dataclass(frozen=True)
class Route:
    """A path template and the operations GitHub has on it.

    An operation of ``None`` is one GitHub has but the fake does not serve.
    """

    template: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    literal_segments: int
    operations: dict[str, Operation | None]


@dataclass(frozen=True)
class Match:
    """The operation a request reached, with its path parameters converted."""

    operation: Operation
    params: dict[str, Any]


def openapi_to_json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema (draft 4).

    The one construct JSON Schema lacks is ``nullable``; it becomes an ``anyOf`` with
    null, so a nullable enum still refuses every other value.
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "nullable":
            continue
        if key == "properties":
            out[key] = {name: openapi_to_json_schema(sub) for name, sub in value.items()}
        elif key in ("oneOf", "anyOf", "allOf"):
            out[key] = [openapi_to_json_schema(sub) for sub in value]
        elif key in ("items", "not", "additionalProperties"):
            out[key] = openapi_to_json_schema(value)
        else:
            out[key] = value
    if len(out.get("oneOf", ())) == 1 and set(out) == {"oneOf"}:
        # A one-way choice reads better in errors as the alternative itself.
        out = dict(out["oneOf"][0])
    if schema.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def close_top_level(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with unlisted fields refused in its top-level object(s)."""
    out = dict(schema)
    for key in ("oneOf", "anyOf"):
        if key in out:
            out[key] = [close_top_level(alt) for alt in out[key]]
    if out.get("type") == "object" and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def _route_pattern(template: str, multi: set[str]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A regex for ``template``; parameters in ``multi`` may span several segments."""
    parts: list[str] = []
    names: list[str] = []
    for segment in template.split("/"):
        found = re.fullmatch(r"\{([^}]+)\}", segment)
        if found:
            names.append(found.group(1))
            parts.append("(.+)" if found.group(1) in multi else "([^/]+)")
        else:
            parts.append(re.escape(segment))
    return re.compile("/".join(parts)), tuple(names)


def _operation(method: str, template: str, raw: dict[str, Any]) -> Operation:
    """An ``Operation`` from its entry in the subset."""
    parameters = tuple(
        Parameter(
            name=p["name"],
            location=p["in"],
            required=bool(p.get("required", False)),
            schema=openapi_to_json_schema(p.get("schema", {})),
            multi_segment=bool(p.get("x-multi-segment", False)),
        )
        for p in raw.get("parameters", [])
    )
    body = raw.get("requestBody")
    body_schema = None
    if body is not None:
        schema = body["content"]["application/json"]["schema"]
        body_schema = close_top_level(openapi_to_json_schema(schema))
    return Operation(
        operation_id=raw["operationId"],
        method=method.upper(),
        template=template,
        parameters=parameters,
        body_schema=body_schema,
        body_required=bool(body and body.get("required")),
    )


class Spec:
    """The subset of GitHub's description the fake serves, ready to route and validate."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        meta = document["x-fakegithub"]
        self.package_version: str = meta["package_version"]
        self.routes = self._build_routes(document["paths"], meta["other_operations"])
        self._validators: dict[str, Draft4Validator] = {}

    @staticmethod
    def _build_routes(
        served: dict[str, dict[str, Any]], others: dict[str, list[str]]
    ) -> list[Route]:
        """Every route, most specific first (literal segments beat parameters)."""
        routes: list[Route] = []
        for template in sorted(set(served) | set(others)):
            operations: dict[str, Operation | None] = {
                m.upper(): _operation(m, template, raw)
                for m, raw in served.get(template, {}).items()
            }
            for method in others.get(template, []):
                operations.setdefault(method.upper(), None)
            multi = {
                p.name
                for op in operations.values()
                if op is not None
                for p in op.parameters
                if p.multi_segment
            }
            pattern, names = _route_pattern(template, multi)
            literal = sum(1 for s in template.split("/") if s and not s.startswith("{"))
            routes.append(Route(template, pattern, names, literal, operations))
        routes.sort(key=lambda r: (-r.literal_segments, r.template))
        return routes

    def operations(self) -> Iterator[Operation]:
        """Every operation the fake serves."""
        for route in self.routes:
            yield from (op for op in route.operations.values() if op is not None)

    def match(self, method: str, path: str) -> Match:
        """The operation ``method path`` reaches, or the rejection GitHub's routing gives."""
        for route in self.routes:
            found = route.pattern.fullmatch(path)
            if found is None:
                continue
            if method not in route.operations:
                raise RejectedError(
                    404,
                    "Not Found",
                    kind="unknown_method",
                    reason=f"GitHub has no {method} on {route.template}",
                )
            operation = route.operations[method]
            if operation is None:
                raise RejectedError(
                    501,
                    f"fakegithub does not implement {method} {route.template}",
                    kind="not_served",
                    reason=f"GitHub has {method} {route.template}, the fake does not serve it",
                )
            raw = dict(zip(route.names, found.groups(), strict=True))
            return Match(operation, self._path_params(operation, raw))
        raise RejectedError(
            404, "Not Found", kind="unknown_route", reason=f"no GitHub route matches {path}"
        )

    @staticmethod
    def _path_params(operation: Operation, raw: dict[str, str]) -> dict[str, Any]:
        """Path parameters decoded and converted; a wrong type is a 404 as on GitHub."""
        params: dict[str, Any] = {}
        for parameter in operation.parameters_in("path"):
            text = unquote(raw[parameter.name])
            try:
                params[parameter.name] = _convert(text, parameter.schema)
            except ValueError:
                raise RejectedError(
                    404,
                    "Not Found",
                    kind="path_param",
                    reason=f"path parameter {parameter.name}={text!r} is not "
                    f"of type {parameter.schema.get('type')}",
                ) from None
        return params

    def query(self, operation: Operation, pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
        """Query parameters checked against the description, with defaults filled in.

        Unknown and repeated parameters are refused: GitHub ignores them, which hides
        misspellings such as ``per-page``.
        """
        declared = {p.name: p for p in operation.parameters_in("query")}
        seen: dict[str, str] = {}
        for name, value in pairs:
            if name not in declared:
                raise _query_error(f"unknown query parameter {name!r}")
            if name in seen:
                raise _query_error(f"query parameter {name!r} given more than once")
            seen[name] = value
        values: dict[str, Any] = {}
        for name, parameter in declared.items():
            if name in seen:
                values[name] = _query_value(parameter, seen[name])
            elif parameter.required:
                raise _query_error(f"required query parameter {name!r} is missing")
            elif "default" in parameter.schema:
                values[name] = parameter.schema["default"]
        return values

    def body(self, operation: Operation, raw: bytes) -> Any:
        """The parsed JSON body, checked against the operation's request-body schema."""
        if operation.body_schema is None:
            if raw.strip():
                raise _body_error(f"{operation.operation_id} takes no request body")
            return None
        if not raw.strip():
            if operation.body_required:
                raise _body_error("a request body is required", status=422)
            return {}
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise RejectedError(
                400, "Problems parsing JSON", kind="body", reason="the body is not JSON"
            ) from None
        errors = list(self._validator(operation).iter_errors(body))
        if errors:
            described = _describe(errors, operation.resource)
            raise RejectedError(
                422,
                "Validation Failed",
                kind="body",
                reason="; ".join(e["message"] for e in described),
                errors=described,
            )
        return body

    def _validator(self, operation: Operation) -> Draft4Validator:
        """A validator for the operation's body schema, built once."""
        key = f"{operation.method} {operation.template}"
        if key not in self._validators:
            self._validators[key] = Draft4Validator(operation.body_schema or {})
        return self._validators[key]


def _convert(text: str, schema: dict[str, Any]) -> Any:
    """``text`` as the scalar type ``schema`` names; ValueError when it is not one."""
    kind = schema.get("type", "string")
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", text):
            raise ValueError(text)
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError(text)
        return text == "true"
    return text


def _query_value(parameter: Parameter, text: str) -> Any:
    """One query value converted and checked (type, enum)."""
    try:
        value = _convert(text, parameter.schema)
    except ValueError:
        raise _query_error(
            f"query parameter {parameter.name}={text!r} is not of type "
            f"{parameter.schema.get('type')}"
        ) from None
    problems = list(Draft4Validator(parameter.schema).iter_errors(value))
    if problems:
        raise _query_error(f"query parameter {parameter.name}: {problems[0].message}")
    return value


def _query_error(reason: str) -> RejectedError:
    """A 422 for a query string the description does not allow."""
    error = {"resource": "", "code": "invalid", "message": reason}
    return RejectedError(
        422, "Validation Failed", kind="query_param", reason=reason, errors=[error]
    )


def _body_error(reason: str, status: int = 422) -> RejectedError:
    """A 422 for a body the description does not allow, with no schema error to cite."""
    error = {"resource": "", "code": "invalid", "message": reason}
    return RejectedError(status, "Validation Failed", kind="body", reason=reason, errors=[error])


def _describe(errors: list[ValidationError], resource: str) -> list[dict[str, Any]]:
    """jsonschema errors as GitHub-style ``errors`` entries (resource, field, code)."""
    out: list[dict[str, Any]] = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        where = "/".join(str(p) for p in error.absolute_path)
        instance: Any = error.instance
        if error.validator == "required":
            required: list[str] = list(cast(list[str], error.validator_value))
            for name in (n for n in required if n not in instance):
                field = f"{where}/{name}" if where else name
                out.append(_entry(resource, field, "missing_field", f"{field} is required"))
        elif error.validator == "additionalProperties":
            schema = cast(dict[str, Any], error.schema)
            listed = set(schema.get("properties", {}))
            for name in sorted(set(instance) - listed):
                field = f"{where}/{name}" if where else name
                message = f"{field} is not a field of this request body"
                out.append(_entry(resource, field, "invalid", message))
        else:
            label = where or "body"
            out.append(_entry(resource, label, "invalid", f"{label}: {error.message}"))
    return _dedupe(out)


def _entry(resource: str, field: str, code: str, message: str) -> dict[str, Any]:
    """One ``errors`` entry."""
    return {"resource": resource, "field": field, "code": code, "message": message}


def _dedupe(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``entries`` without repeats (jsonschema reports a missing field once per rule)."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        key = json.dumps(entry, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


@cache
def load_spec() -> Spec:
    """The subset shipped beside this module, parsed once per test run."""
    return Spec(json.loads(SUBSET_FILE.read_text(encoding="utf-8")))
