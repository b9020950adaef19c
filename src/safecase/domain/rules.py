"""Cross-field rules for objects: fields that need each other, conditions on a field's value, date order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safecase.domain.fields import At
from safecase.domain.partial_date import PartialDate
from safecase.domain.structures import Rule


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Requires(Rule):
    """When `field` is present, every field in `needs` must be present too."""

    field: str
    needs: tuple[str, ...]

    def check(self, obj: Mapping[str, Any], at: At) -> None:
        if self.field not in obj:
            return
        for name in self.needs:
            if name not in obj:
                raise at.key(name).error(f"is required when {self.field} is given")

    def schema(self) -> dict[str, Any]:
        return {"dependentRequired": {self.field: list(self.needs)}}


@dataclass(frozen=True)
class When(Rule):
    """If `field` equals `equals`, the `requires` fields must be there; if not, `only_then` must be absent."""

    field: str
    equals: str | bool
    requires: tuple[str, ...] = ()
    only_then: tuple[str, ...] = ()

    def check(self, obj: Mapping[str, Any], at: At) -> None:
        value = obj.get(self.field)
        condition = f"{self.field} is {_show(self.equals)}"
        if type(value) is type(self.equals) and value == self.equals:
            for name in self.requires:
                if name not in obj:
                    raise at.key(name).error(f"is required when {condition}")
            return
        for name in self.only_then:
            if name in obj:
                raise at.key(name).error(f"only applies when {condition}; remove it or change {self.field}")

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "if": {"properties": {self.field: {"const": self.equals}}, "required": [self.field]},
        }
        if self.requires:
            schema["then"] = {"required": list(self.requires)}
        if self.only_then:
            schema["else"] = {"properties": {name: False for name in self.only_then}}
        return schema


@dataclass(frozen=True)
class AtLeastOne(Rule):
    """At least one of `fields` must be present."""

    fields: tuple[str, ...]

    def check(self, obj: Mapping[str, Any], at: At) -> None:
        if not any(name in obj for name in self.fields):
            raise at.key(self.fields[0]).error(f"give at least one of {' or '.join(self.fields)}")

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"required": [name]} for name in self.fields]}


@dataclass(frozen=True)
class NotBefore(Rule):
    """Partial date `field` must not end before partial date `start` begins (JSON Schema cannot say this)."""

    field: str
    start: str

    def check(self, obj: Mapping[str, Any], at: At) -> None:
        if self.field not in obj or self.start not in obj:
            return
        if PartialDate.parse(obj[self.field]).latest() < PartialDate.parse(obj[self.start]).earliest():
            raise at.key(self.field).error(f"must not be before {self.start}; check both dates")

    def schema(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class AllFalseWhen(Rule):
    """When `trigger` is present, every flag in the nested object `target` must be false."""

    trigger: str
    target: str
    flags: tuple[str, ...]

    def check(self, obj: Mapping[str, Any], at: At) -> None:
        if self.trigger not in obj:
            return
        target = obj.get(self.target, {})
        for flag in self.flags:
            if target.get(flag) is not False:
                raise at.key(self.target).key(flag).error(f"must be false when {self.trigger} is set")

    def schema(self) -> dict[str, Any]:
        flags = {flag: {"const": False} for flag in self.flags}
        return {
            "if": {"required": [self.trigger]},
            "then": {"properties": {self.target: {"properties": flags}}},
        }
