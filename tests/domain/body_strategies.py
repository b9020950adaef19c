"""Hypothesis strategies derived from the field specs: raw bodies that are mostly valid, with the mess users
type (surrounding spaces, decomposed Hangul, CR LF, upper-case ids, empty strings)."""

from __future__ import annotations

import math
from datetime import date, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from safecase.domain.fields import (
    Boolean,
    Choice,
    CountryCode,
    FieldType,
    Integer,
    Number,
    PartialDateType,
    Ref,
    Text,
    Timestamp,
)
from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.domain.rules import AllFalseWhen, AtLeastOne, Requires, When
from safecase.domain.structures import ListOf, Obj, Rule

# Fragments that normalisation changes: decomposed Hangul (ᄀ+ᅡ -> 가), e + combining acute, spaces.
_TRICKY = ["\u1100\u1161", "e\u0301", " ", "\u3000", "김", "金", "Onsong", "~", "\u200b"]
_CHARS = st.characters(exclude_categories=("Cs", "Cc"))


def _text(field: Text) -> st.SearchStrategy[str]:
    if field.pattern is not None:
        return st.from_regex(field.pattern, fullmatch=True)
    pieces = st.one_of(_CHARS, st.sampled_from(_TRICKY + (["\n", "\r\n", "\t"] if field.multiline else [])))
    return st.lists(pieces, max_size=12).map("".join)


def _partial_date() -> st.SearchStrategy[str]:
    return st.builds(
        lambda day, precision, approximate, pad: (
            pad + ("~" if approximate else "") + day.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]]
        ),
        st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
        st.sampled_from(["year", "month", "day"]),
        st.booleans(),
        st.sampled_from(["", " "]),
    )


def _timestamp() -> st.SearchStrategy[str]:
    offsets = st.integers(-12 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
    return st.builds(lambda moment, tz: moment.replace(tzinfo=tz).isoformat(), st.datetimes(), offsets)


def _ref() -> st.SearchStrategy[str]:
    return st.builds(lambda uid, upper: str(uid).upper() if upper else str(uid), st.uuids(), st.booleans())


def _number(field: Number) -> st.SearchStrategy[object]:
    floats = st.floats(field.minimum, field.maximum, allow_nan=False, allow_infinity=False)
    return floats | st.integers(math.ceil(field.minimum), math.floor(field.maximum))


def _list(field: ListOf) -> st.SearchStrategy[list[Any]]:
    return st.lists(
        for_field(field.item), min_size=field.min_items, max_size=max(field.min_items, 3), unique=field.unique
    )


def _object(field: Obj) -> st.SearchStrategy[dict[str, Any]]:
    required = {prop.name: for_field(prop.type) for prop in field.props if prop.required}
    optional = {prop.name: for_field(prop.type) for prop in field.props if not prop.required}
    return st.fixed_dictionaries(required, optional=optional)


def for_field(field: FieldType) -> st.SearchStrategy[Any]:
    """Values for one field type, mostly valid before normalisation."""
    match field:
        case Text():
            return _text(field)
        case CountryCode():
            return st.from_regex("[A-Za-z]{2}", fullmatch=True)
        case Integer():
            return st.integers(field.minimum, field.maximum)
        case Number():
            return _number(field)
        case Boolean():
            return st.booleans()
        case Choice():
            return st.sampled_from(field.vocabulary.codes)
        case PartialDateType():
            return _partial_date()
        case Timestamp():
            return _timestamp()
        case Ref():
            return _ref()
        case ListOf():
            return _list(field)
        case Obj():
            return _object(field)
    raise NotImplementedError(f"no strategy for {type(field).__name__}")


@st.composite
def raw_bodies(draw: st.DrawFn, kind: Kind) -> dict[str, Any]:
    """Bodies for `kind` built from its field specs, nudged towards its cross-field rules.

    Values that normalise away (blank text) can still break a rule, so some bodies remain invalid.
    """
    spec = RECORD_TYPES[kind].body
    body = draw(_object(spec))
    for _ in range(3):
        for rule in spec.rules:
            _nudge(draw, spec, rule, body)
    return body


def _nudge(draw: st.DrawFn, spec: Obj, rule: Rule, body: dict[str, Any]) -> None:
    types = {prop.name: prop.type for prop in spec.props}
    match rule:
        case Requires() if rule.field in body and any(need not in body for need in rule.needs):
            del body[rule.field]
        case When() if body.get(rule.field) == rule.equals:
            for name in rule.requires:
                body.setdefault(name, draw(for_field(types[name])))
        case When():
            for name in rule.only_then:
                body.pop(name, None)
        case AtLeastOne() if not any(name in body for name in rule.fields):
            name = draw(st.sampled_from(rule.fields))
            body[name] = draw(for_field(types[name]))
        case AllFalseWhen() if rule.trigger in body:
            body[rule.target] = dict.fromkeys(rule.flags, False)


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value (what a hostile or broken import file might hold)."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
        max_leaves=8,
    )
