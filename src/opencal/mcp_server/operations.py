"""API operations read from an OpenAPI document, and how a tool call becomes an HTTP request.

Nothing here knows any particular operation: path and query parameters and the JSON body become
the tool's arguments, and the `cal-api-version` the operation declares is sent for the caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from opencal.core.versioning import HEADER as VERSION_HEADER
from opencal.mcp_server.naming import alias_names, tool_name
from opencal.mcp_server.schema import JsonSchema, SchemaResolver, is_plain_object

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
BODY_ARGUMENT = "body"


class ArgumentError(ValueError):
    """The tool arguments cannot make a request; the message says what to change."""


@dataclass(frozen=True)
class ApiOperation:
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    api_version: str | None
    input_schema: JsonSchema
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    # Body fields that are tool arguments of their own; empty when the body is the `body` argument.
    body_fields: frozenset[str] = field(default_factory=frozenset)
    has_body: bool = False
    body_required: bool = False

    @property
    def name(self) -> str:
        return tool_name(self.operation_id)

    @property
    def aliases(self) -> list[str]:
        return alias_names(self.operation_id)

    @property
    def accepted_arguments(self) -> list[str]:
        return list(self.input_schema.get("properties", {}))

    def tool_description(self) -> str:
        parts = [self.summary]
        if self.description and self.description != self.summary:
            parts.append(self.description)
        parts.append(f"{self.method.upper()} {self.path}")
        return "\n\n".join(part for part in parts if part)

    def build_request(self, arguments: Mapping[str, Any]) -> tuple[str, dict[str, Any], Any]:
        """(url path, query parameters, JSON body or None) for these arguments."""
        unknown = sorted(set(arguments) - set(self.accepted_arguments))
        if unknown:
            accepted = ", ".join(self.accepted_arguments) or "none"
            raise ArgumentError(f"Unknown argument(s): {', '.join(unknown)}. This tool accepts: {accepted}.")
        missing = [name for name in self.path_params if arguments.get(name) in (None, "")]
        if missing:
            raise ArgumentError(f"Missing required argument(s): {', '.join(missing)}.")
        path = self.path
        for name in self.path_params:
            path = path.replace("{" + name + "}", quote(_scalar(arguments[name]), safe=""))
        query = {
            name: _query_value(arguments[name])
            for name in self.query_params
            if name in arguments and arguments[name] is not None
        }
        body: Any = None
        if self.body_fields:
            body = {name: value for name, value in arguments.items() if name in self.body_fields}
            if not body and not self.body_required:
                body = None
        elif self.has_body:
            body = arguments.get(BODY_ARGUMENT)
            if body is None and self.body_required:
                body = {}
        return path, query, body

    async def invoke(
        self, http: httpx.AsyncClient, arguments: Mapping[str, Any], credentials: Mapping[str, str]
    ) -> httpx.Response:
        path, query, body = self.build_request(arguments)
        headers = dict(credentials)
        if self.api_version:
            headers[VERSION_HEADER] = self.api_version
        if body is None:
            return await http.request(self.method.upper(), path, params=query, headers=headers)
        return await http.request(self.method.upper(), path, params=query, headers=headers, json=body)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _query_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_scalar(item) for item in value]
    if isinstance(value, dict):
        return json.dumps(value)
    return _scalar(value)


def read_operations(openapi: Mapping[str, Any]) -> list[ApiOperation]:
    """Every operation of the document that has an operationId, in document order."""
    components = openapi.get("components", {})
    operations = []
    for path, item in openapi.get("paths", {}).items():
        shared_parameters = item.get("parameters", [])
        for method in HTTP_METHODS:
            spec = item.get(method)
            if spec and spec.get("operationId"):
                operations.append(_operation(path, method, spec, shared_parameters, components))
    return operations


def _operation(
    path: str, method: str, spec: Mapping[str, Any], shared: list[Any], components: Mapping[str, Any]
) -> ApiOperation:
    resolver = SchemaResolver(components.get("schemas", {}))
    properties: dict[str, JsonSchema] = {}
    required: list[str] = []
    path_params: list[str] = []
    query_params: list[str] = []
    api_version: str | None = None
    for parameter in [*shared, *spec.get("parameters", [])]:
        parameter = _deref(parameter, components)
        name, where = parameter.get("name"), parameter.get("in")
        if not isinstance(name, str):
            continue
        if where == "header":
            # Headers are not arguments: credentials come from the caller, the version from here.
            if name.lower() == VERSION_HEADER:
                api_version = _declared_version(parameter)
            continue
        if where not in ("path", "query"):
            continue
        schema = resolver.resolve(parameter.get("schema", {}))
        if parameter.get("description") and "description" not in schema:
            schema["description"] = parameter["description"]
        properties[name] = schema
        if where == "path" or parameter.get("required"):
            required.append(name)
        (path_params if where == "path" else query_params).append(name)

    body_fields: frozenset[str] = frozenset()
    has_body = body_required = False
    request_body = _deref(spec.get("requestBody") or {}, components)
    json_body = request_body.get("content", {}).get("application/json")
    if json_body is not None:
        has_body = True
        body_required = bool(request_body.get("required"))
        body_schema = resolver.resolve(json_body.get("schema", {}))
        fields = body_schema.get("properties", {}) if is_plain_object(body_schema) else {}
        if fields and not set(fields) & set(properties) and BODY_ARGUMENT not in properties:
            properties.update(fields)
            body_fields = frozenset(fields)
            if body_required:
                required.extend(name for name in body_schema.get("required", []) if name in fields)
        else:
            if request_body.get("description") and "description" not in body_schema:
                body_schema["description"] = request_body["description"]
            properties[BODY_ARGUMENT] = body_schema
            if body_required:
                required.append(BODY_ARGUMENT)

    input_schema: JsonSchema = {"type": "object", "properties": properties}
    if required:
        input_schema["required"] = list(dict.fromkeys(required))
    if resolver.defs:
        input_schema["$defs"] = resolver.defs
    return ApiOperation(
        operation_id=spec["operationId"],
        method=method,
        path=path,
        summary=str(spec.get("summary") or ""),
        description=str(spec.get("description") or ""),
        api_version=api_version,
        input_schema=input_schema,
        path_params=tuple(path_params),
        query_params=tuple(query_params),
        body_fields=body_fields,
        has_body=has_body,
        body_required=body_required,
    )


def _deref(node: Any, components: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters and request bodies may themselves be `$ref`s into a components section."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        section, _, name = node["$ref"].removeprefix("#/components/").partition("/")
        target = components.get(section, {}).get(name)
        return target if isinstance(target, dict) else {}
    return node if isinstance(node, dict) else {}


def _declared_version(parameter: Mapping[str, Any]) -> str | None:
    schema = parameter.get("schema") or {}
    default = schema.get("default")
    if isinstance(default, str):
        return default
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and isinstance(enum[0], str):
        return enum[0]
    return None
