from __future__ import annotations

import re

import pytest

from safecase.domain import vocabulary as v
from safecase.domain.kinds import Kind, parse_kind
from safecase.errors import ValidationError

REQUIRED_CODES = {
    v.EVENT_TYPES: "arrest detention interrogation torture_or_ill_treatment forced_labour sexual_violence "
    "forced_repatriation transfer border_crossing disappearance death_in_custody release escape "
    "family_punishment other",
    v.LOCATION_TYPES: "detention_centre holding_centre border_crossing border_post prison_camp "
    "political_prison_camp police_station state_security_office labour_training_camp hospital city village "
    "safe_house other",
    v.PERSON_STATUSES: "escaped in_hiding detained repatriated imprisoned disappeared released resettled "
    "deceased unknown",
    v.SEXES: "female male other unknown",
    v.CONSENT_SCOPES: "names_to_governments names_in_public_reports recontact share_with_un",
    v.CONSENT_METHODS: "written oral_recorded oral_witnessed electronic",
    v.TRANSPORTS: "public_security_van bus_under_armed_guard train truck on_foot other",
    v.OBSERVATION_TYPES: "people_held person_status last_contact",
    v.CONFIDENCE: "low medium high",
    v.CASE_STATUSES: "open under_review closed archived",
    v.SENSITIVITIES: "normal high critical",
    v.CONTACT_TYPES: "phone messenger email address relative other",
    v.COORDINATE_PRECISIONS: "exact approximate town region",
    v.LANGUAGES: "ko en zh ja ru other",
    v.PERPETRATOR_INSTITUTIONS: "ministry_of_state_security ministry_of_social_security korean_peoples_army "
    "chinese_public_security chinese_border_defence other",
}
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.mark.parametrize("vocabulary", list(REQUIRED_CODES), ids=lambda vocab: vocab.name)
def test_vocabulary_has_the_agreed_codes(vocabulary: v.Vocabulary) -> None:
    assert set(REQUIRED_CODES[vocabulary].split()) <= set(vocabulary.codes)
    assert v.VOCABULARIES[vocabulary.name] is vocabulary


@pytest.mark.parametrize("vocabulary", list(v.VOCABULARIES.values()), ids=lambda vocab: vocab.name)
def test_every_term_has_a_code_an_english_and_a_korean_label(vocabulary: v.Vocabulary) -> None:
    assert HANGUL.search(vocabulary.ko)
    for term in vocabulary:
        assert re.fullmatch("[a-z][a-z_]*", term.code)
        assert term.en and term.en[0].isupper()
        assert HANGUL.search(term.ko), term


@pytest.mark.parametrize(
    ("vocabulary", "code", "korean"),
    [
        (v.LOCATION_TYPES, "holding_centre", "집결소"),
        (v.LOCATION_TYPES, "detention_centre", "구금시설"),
        (v.LOCATION_TYPES, "labour_training_camp", "노동단련대"),
        (v.PERPETRATOR_INSTITUTIONS, "ministry_of_state_security", "국가보위성"),
        (v.PERPETRATOR_INSTITUTIONS, "ministry_of_social_security", "사회안전성"),
        (v.EVENT_TYPES, "forced_repatriation", "강제송환"),
        (v.EVENT_TYPES, "disappearance", "실종"),
    ],
)
def test_key_korean_labels(vocabulary: v.Vocabulary, code: str, korean: str) -> None:
    assert korean in vocabulary.get(code).ko
    assert vocabulary.label(code, "ko") == vocabulary.get(code).ko


def test_lookup_by_vocabulary_name_and_code() -> None:
    assert v.lookup("event_type", "arrest") == v.Term("arrest", "Arrest", "체포")
    assert "arrest" in v.EVENT_TYPES and "Arrest" not in v.EVENT_TYPES and 3 not in v.EVENT_TYPES
    with pytest.raises(KeyError):
        v.lookup("event_type", "picnic")


def test_label_of_an_unknown_code_is_the_code() -> None:
    assert v.EVENT_TYPES.label("retired_code") == "retired_code"


def test_kinds_parse_and_carry_labels() -> None:
    assert parse_kind(" Person ") is Kind.PERSON
    assert Kind.EVENT.label("ko") == "사건"
    with pytest.raises(ValidationError, match="is not a record kind; use one of: case, person"):
        parse_kind("victim")
