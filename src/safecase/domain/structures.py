"""Composite field types: lists, and objects made of named properties with cross-field rules."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from safecase.domain.fields import ABSENT, LIST_MAX, At, FieldType, Reference
from safecase.domain.kinds import Kind

_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class ListOf(FieldType):
    """A list of one item type. Empty items are dropped, and an empty list is dropped."""

    item: FieldType
    max_items: int = LIST_MAX
    min_items: int = 0
    unique: bool = False

    def validate(self, value: object, at: At) -> object:
        if not isinstance(value, list):
            raise at.error(f"must be {self.describe()}")
        if len(value) > self.max_items:
            raise at.error(f"has {len(value):,} items; the limit is {self.max_items:,}")
        result: list[object] = []
        seen: set[str] = set()
        for position, raw in enumerate(value):
            item = self.item.validate(raw, at.index(position))
            if item is ABSENT:
                continue
            if self.unique:
                key = json.dumps(item, sort_keys=True)
                if key in seen:
                    raise at.index(position).error("repeats an earlier item; remove the duplicate")
                seen.add(key)
            result.append(item)
        if not result:
            return ABSENT
        if len(result) < self.min_items:
            raise at.error(f"needs at least {self.min_items} items")
        return result

    def describe(self) -> str:
        return f"a list where each item is {self.item.describe()}"

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "array",
            "items": self.item.schema(),
            "minItems": max(1, self.min_items),
            "maxItems": self.max_items,
        }
        if self.unique:
            schema["uniqueItems"] = True
        return schema

    def references(self, value: object, at: At) -> Iterator[Reference]:
        if isinstance(value, list):
            for position, item in enumerate(value):
                yield from self.item.references(item, at.index(position))

    def target_kinds(self) -> frozenset[Kind]:
        return self.item.target_kinds()


@dataclass(frozen=True)
class Prop:
    """A named field of an object. `missing` replaces the default "is required (...)" message."""

    name: str
    type: FieldType
    required: bool = False
    default: object = ABSENT
    title: str = ""
    description: str = ""
    missing: str = ""

    def missing_message(self) -> str:
        return self.missing or f"is required ({self.type.describe()})"

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"title": self.title or self.name.replace("_", " ").capitalize()}
        if self.description:
            schema["description"] = self.description
        schema.update(self.type.schema())
        if self.default is not ABSENT:
            schema["default"] = self.default
        return schema


class Rule(ABC):
    """A check across the fields of one object, run after each field is valid on its own."""

    @abstractmethod
    def check(self, obj: Mapping[str, Any], at: At) -> None:
        """Raise ValidationError (via ``at.key(...).error``) naming the field to fix."""

    @abstractmethod
    def schema(self) -> dict[str, Any]:
        """The rule in JSON Schema, or {} if JSON Schema cannot say it (then a description should)."""


@dataclass(frozen=True)
class Obj(FieldType):
    """An object with declared properties and nothing else. Keys come out in declaration order.

    A nested object left empty is dropped (`empty_is_absent`); a record body is never dropped.
    """

    props: tuple[Prop, ...]
    rules: tuple[Rule, ...] = ()
    empty_is_absent: bool = True
    _names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names", frozenset(prop.name for prop in self.props))

    def validate(self, value: object, at: At) -> object:
        if not isinstance(value, dict):
            raise at.error(f"must be {self.describe()}")
        for key in value:
            if not isinstance(key, str) or key not in self._names:
                # Name the field only when it looks like a field name: a stray value in a key must not be echoed.
                shown = (
                    key if isinstance(key, str) and _FIELD_NAME.fullmatch(key) else "(a field with an unexpected name)"
                )
                raise at.key(shown).error(f"unknown field; see `safecase record schema {at.kind}`")
        result: dict[str, Any] = {}
        for prop in self.props:
            item = prop.type.validate(value[prop.name], at.key(prop.name)) if prop.name in value else ABSENT
            if item is ABSENT:
                item = prop.default
            if item is not ABSENT:
                result[prop.name] = item
            elif prop.required:
                raise at.key(prop.name).error(prop.missing_message())
        for rule in self.rules:
            rule.check(result, at)
        if not result and self.empty_is_absent:
            return ABSENT
        return result

    def describe(self) -> str:
        return "an object with the fields " + ", ".join(prop.name for prop in self.props)

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {prop.name: prop.schema() for prop in self.props},
            "additionalProperties": False,
        }
        required = [prop.name for prop in self.props if prop.required]
        if required:
            schema["required"] = required
        elif self.empty_is_absent:
            schema["minProperties"] = 1
        rule_schemas = [rule_schema for rule in self.rules if (rule_schema := rule.schema())]
        if rule_schemas:
            schema["allOf"] = rule_schemas
        return schema

    def references(self, value: object, at: At) -> Iterator[Reference]:
        if isinstance(value, dict):
            for prop in self.props:
                if prop.name in value:
                    yield from prop.type.references(value[prop.name], at.key(prop.name))

    def target_kinds(self) -> frozenset[Kind]:
        return frozenset().union(*(prop.type.target_kinds() for prop in self.props))
