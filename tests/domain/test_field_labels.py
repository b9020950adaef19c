"""Field labels: every field of every kind has English and Korean labels, and no label outlives its field."""

from __future__ import annotations

import re

import pytest

from safecase.domain.field_labels import FIELD_LABELS, field_help, field_label, field_paths, iter_props
from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.domain.structures import Prop

HANGUL = re.compile("[\uac00-\ud7a3]")


def _props(kind: Kind) -> list[tuple[str, Prop]]:
    return list(iter_props(RECORD_TYPES[kind].body))


def test_field_paths_walk_nested_objects_and_lists_of_objects_in_declaration_order() -> None:
    paths = field_paths(Kind.EVENT)
    assert paths.index("acts") < paths.index("acts.type") < paths.index("acts.description")
    assert paths.index("acts.description") < paths.index("perpetrator_institution")
    assert field_paths(Kind.PERSON)[:5] == ("pseudonym", "names", "names.hangul", "names.romanized", "names.chinese")
    assert "scopes.share_with_un" in field_paths(Kind.CONSENT)
    assert [prop.name for prop in RECORD_TYPES[Kind.TAG].body.props] == list(field_paths(Kind.TAG))


@pytest.mark.parametrize("kind", list(Kind))
def test_every_field_has_english_and_korean_labels(kind: Kind) -> None:
    for path in field_paths(kind):
        label = FIELD_LABELS.get((kind, path))
        assert label is not None, f"{kind}.{path} has no label"
        assert label.en.strip(), f"{kind}.{path}"
        assert HANGUL.search(label.ko), f"{kind}.{path} has no Korean label"


def test_no_label_names_a_field_that_does_not_exist() -> None:
    real = {(kind, path) for kind in Kind for path in field_paths(kind)}
    assert set(FIELD_LABELS) - real == set()


@pytest.mark.parametrize("kind", list(Kind))
def test_english_label_is_the_declared_title_where_there_is_one(kind: Kind) -> None:
    for path, prop in _props(kind):
        if prop.title:
            assert FIELD_LABELS[kind, path].en == prop.title, f"{kind}.{path}"


@pytest.mark.parametrize("kind", list(Kind))
def test_help_is_given_in_both_languages_wherever_the_field_has_a_description(kind: Kind) -> None:
    for path, prop in _props(kind):
        label = FIELD_LABELS[kind, path]
        if prop.description:
            assert label.help_en.strip(), f"{kind}.{path} has no English help"
            assert HANGUL.search(label.help_ko), f"{kind}.{path} has no Korean help"
        if label.help_en:
            assert label.help_ko, f"{kind}.{path} has English help only"


def test_label_lookup_ignores_list_indices() -> None:
    assert field_label(Kind.EVENT, "acts[2].type") == "Act type"
    assert field_label(Kind.EVENT, "acts[2].type", "ko") == "행위 유형"
    assert field_label(Kind.EVENT, "acts[0].perpetrator_institution", "ko") == "가해 기관"


def test_labels_read_naturally() -> None:
    assert field_label(Kind.PERSON, "pseudonym", "ko") == "가명 코드"
    assert field_label(Kind.PERSON, "names.hangul") == "Name in Hangul"
    assert field_label(Kind.TESTIMONY, "interviewee_id", "ko") == "면담 대상자"
    assert field_label(Kind.TESTIMONY, "original_text", "ko") == "원문"
    assert field_label(Kind.CONSENT, "scopes.share_with_un") == "May be shared with the UN"


def test_unknown_path_falls_back_to_its_last_segment_made_readable() -> None:
    assert field_label(Kind.EVENT, "acts[3].future_field_name") == "Future field name"
    assert field_label(Kind.CASE, "new_thing", "ko") == "New thing"
    assert field_help(Kind.CASE, "new_thing", "ko") == ""


def test_help_is_looked_up_by_language() -> None:
    assert field_help(Kind.PERSON, "names.hangul") == "e.g. 김영희"
    assert field_help(Kind.PERSON, "names.hangul", "ko") == "예: 김영희"
    assert field_help(Kind.TESTIMONY, "interviewer") == ""
