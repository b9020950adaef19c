"""A tiny JSON Schema (2020-12) checker for exactly the keywords that ``records.json_schema`` uses.

No runtime dependency on ``jsonschema``; a keyword outside the subset fails loudly, so the schema cannot
grow a rule that this checker silently ignores.
"""

from __future__ import annotations

import json
import re
from typing import Any

ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "default", "format"})
_CHECKED = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "enum",
        "const",
        "allOf",
        "anyOf",
        "if",
        "then",
        "else",
        "dependentRequired",
    }
)
SUPPORTED = ANNOTATIONS | _CHECKED


class SchemaViolation(AssertionError):
    pass


def check(instance: Any, schema: Any, path: str = "$") -> None:
    """Raise SchemaViolation if `instance` does not match `schema`."""
    problems = errors(instance, schema, path)
    if problems:
        raise SchemaViolation("; ".join(problems))


def is_valid(instance: Any, schema: Any) -> bool:
    return not errors(instance, schema, "$")


def errors(instance: Any, schema: Any, path: str) -> list[str]:
    if schema is True:
        return []
    if schema is False:
        return [f"{path}: not allowed"]
    unknown = {key for key in schema if key not in SUPPORTED and not key.startswith("x-")}
    if unknown:
        raise NotImplementedError(f"unsupported keywords {sorted(unknown)} at {path}")
    found: list[str] = []
    for keywords, checker in _CHECKERS:
        if keywords & schema.keys():
            found.extend(checker(instance, schema, path))
    return found


def _is_type(instance: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(instance, int) and not isinstance(instance, bool)
    if name == "number":
        return isinstance(instance, int | float) and not isinstance(instance, bool)
    kinds: dict[str, type | tuple[type, ...]] = {
        "string": str,
        "boolean": bool,
        "object": dict,
        "array": list,
        "null": type(None),
    }
    return isinstance(instance, kinds[name])


def _type(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return [] if any(_is_type(instance, name) for name in names) else [f"{path}: not of type {names}"]


def _object(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    if not isinstance(instance, dict):
        return []
    found: list[str] = []
    properties = schema.get("properties", {})
    for key, value in instance.items():
        if key in properties:
            found.extend(errors(value, properties[key], f"{path}.{key}"))
        elif "additionalProperties" in schema:
            found.extend(errors(value, schema["additionalProperties"], f"{path}.{key}"))
    found.extend(f"{path}: missing {key}" for key in schema.get("required", []) if key not in instance)
    if len(instance) < schema.get("minProperties", 0):
        found.append(f"{path}: too few properties")
    for key, needs in schema.get("dependentRequired", {}).items():
        if key in instance:
            found.extend(f"{path}: {need} required with {key}" for need in needs if need not in instance)
    return found


def _array(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    if not isinstance(instance, list):
        return []
    found: list[str] = []
    if "items" in schema:
        for position, item in enumerate(instance):
            found.extend(errors(item, schema["items"], f"{path}[{position}]"))
    if len(instance) < schema.get("minItems", 0) or len(instance) > schema.get("maxItems", len(instance)):
        found.append(f"{path}: wrong number of items")
    if schema.get("uniqueItems") and len({json.dumps(i, sort_keys=True) for i in instance}) != len(instance):
        found.append(f"{path}: items not unique")
    return found


def _string(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    if not isinstance(instance, str):
        return []
    found: list[str] = []
    if not schema.get("minLength", 0) <= len(instance) <= schema.get("maxLength", len(instance)):
        found.append(f"{path}: wrong length")
    if "pattern" in schema and re.search(schema["pattern"], instance) is None:
        found.append(f"{path}: does not match {schema['pattern']}")
    return found


def _range(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    if not _is_type(instance, "number"):
        return []
    low, high = schema.get("minimum", instance), schema.get("maximum", instance)
    return [] if low <= instance <= high else [f"{path}: out of range"]


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _enum(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    return [] if any(_same(instance, option) for option in schema["enum"]) else [f"{path}: not in enum"]


def _const(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    return [] if _same(instance, schema["const"]) else [f"{path}: not {schema['const']!r}"]


def _all_of(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    return [problem for sub in schema["allOf"] for problem in errors(instance, sub, path)]


def _any_of(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    if any(not errors(instance, sub, path) for sub in schema["anyOf"]):
        return []
    return [f"{path}: matches none of anyOf"]


def _if(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    branch = "then" if not errors(instance, schema["if"], path) else "else"
    return errors(instance, schema[branch], path) if branch in schema else []


_CHECKERS = (
    (frozenset({"type"}), _type),
    (
        frozenset({"properties", "required", "additionalProperties", "minProperties", "dependentRequired"}),
        _object,
    ),
    (frozenset({"items", "minItems", "maxItems", "uniqueItems"}), _array),
    (frozenset({"minLength", "maxLength", "pattern"}), _string),
    (frozenset({"minimum", "maximum"}), _range),
    (frozenset({"enum"}), _enum),
    (frozenset({"const"}), _const),
    (frozenset({"allOf"}), _all_of),
    (frozenset({"anyOf"}), _any_of),
    (frozenset({"if"}), _if),
)
