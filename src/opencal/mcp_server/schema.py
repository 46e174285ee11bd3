"""OpenAPI schemas turned into self-contained JSON Schema for tool inputs.

`$ref`s into `#/components/schemas` are inlined; a schema that refers to itself (directly or
through others) is emitted once under the tool schema's `$defs` and referenced from there, so
the result never points outside itself. OpenAPI-only keywords are translated or dropped.
"""

from __future__ import annotations

from typing import Any

JsonSchema = dict[str, Any]

_COMPONENT_PREFIX = "#/components/schemas/"
# Keywords whose value is a schema, a list of schemas, or a map of name -> schema.
_SCHEMA_VALUED = frozenset({"additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties"})
# OpenAPI annotations with no JSON Schema meaning.
_DROPPED = frozenset({"discriminator", "xml", "externalDocs", "nullable", "example"})


class SchemaResolver:
    """Resolves schemas of one OpenAPI document; `$defs` collects the recursive ones of one tool."""

    def __init__(self, components: dict[str, Any]) -> None:
        self._components = components
        self.defs: dict[str, JsonSchema] = {}

    def resolve(self, schema: Any) -> JsonSchema:
        resolved = self._walk(schema, ())
        return resolved if isinstance(resolved, dict) else {}

    def _walk(self, schema: Any, stack: tuple[str, ...]) -> Any:
        if isinstance(schema, bool) or not isinstance(schema, dict):
            return schema
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref(ref, {k: v for k, v in schema.items() if k != "$ref"}, stack)
        out: JsonSchema = {}
        for key, value in schema.items():
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {name: self._walk(sub, stack) for name, sub in value.items()}
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                out[key] = [self._walk(sub, stack) for sub in value]
            elif key in _SCHEMA_VALUED:
                out[key] = self._walk(value, stack)
            elif key == "example" and "examples" not in schema:
                out["examples"] = [value]
            elif key not in _DROPPED:
                out[key] = value
        if schema.get("nullable") is True:
            out = _nullable(out)
        return out

    def _ref(self, ref: str, siblings: JsonSchema, stack: tuple[str, ...]) -> JsonSchema:
        if not ref.startswith(_COMPONENT_PREFIX):
            return self._walk(siblings, stack) if siblings else {}
        name = ref[len(_COMPONENT_PREFIX) :]
        target = self._components.get(name)
        if target is None:
            return self._walk(siblings, stack) if siblings else {}
        if name in stack:
            # A cycle: define the schema once and point at it.
            if name not in self.defs:
                self.defs[name] = {}
                self.defs[name] = self._walk(target, (name,))
            resolved: JsonSchema = {"$ref": f"#/$defs/{name}"}
        else:
            resolved = dict(self._walk(target, (*stack, name)))
        if siblings:
            resolved.update(self._walk(siblings, stack))
        return resolved


def _nullable(schema: JsonSchema) -> JsonSchema:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def is_plain_object(schema: JsonSchema) -> bool:
    """An object schema with named properties only: its fields can stand beside the parameters."""
    if any(key in schema for key in ("allOf", "anyOf", "oneOf", "$ref")):
        return False
    if schema.get("type", "object") != "object" or not isinstance(schema.get("properties"), dict):
        return False
    extra = schema.get("additionalProperties", False)
    return extra is False or extra == {}
