from __future__ import annotations

import pytest

from safecase.domain.kinds import Kind
from safecase.domain.presentation import TITLE_MAX
from safecase.domain.records import display_title, search_document, validate_body
from tests.factories import make_body

SECRET = "+86 138 0000 0042"


def test_contact_values_never_reach_search_or_titles() -> None:
    for contact_type in ("phone", "messenger", "email", "address", "relative", "other"):
        body = make_body(Kind.CONTACT, type=contact_type, value=SECRET, relation=f"sister {SECRET}", notes=SECRET)
        document = search_document(Kind.CONTACT, validate_body(Kind.CONTACT, body))
        assert document.text == ""
        assert SECRET not in document.title and "sister" not in document.title
        assert SECRET not in display_title(Kind.CONTACT, body) and SECRET not in display_title(
            Kind.CONTACT, body, lang="ko"
        )


def test_contact_title_is_the_type_label() -> None:
    assert display_title(Kind.CONTACT, make_body(Kind.CONTACT, type="phone")) == "Phone"
    assert display_title(Kind.CONTACT, make_body(Kind.CONTACT, type="phone"), lang="ko") == "전화"


def test_contact_search_is_empty_even_when_kind_is_given_as_text() -> None:
    assert search_document("contact", make_body(Kind.CONTACT, value=SECRET)).text == ""  # type: ignore[arg-type]


def test_person_search_covers_every_script_aliases_and_pseudonym() -> None:
    text = search_document(Kind.PERSON, make_body(Kind.PERSON)).text
    for expected in ("P-0042", "김영희", "Kim Yeong-hui", "金英姬", "Yeong-hui", "Hoeryong", "강제송환됨"):
        assert expected in text


def test_testimony_search_covers_the_interview_texts() -> None:
    body = make_body(Kind.TESTIMONY)
    text = search_document(Kind.TESTIMONY, body).text
    for field in ("original_text", "translation", "summary", "interviewer", "interpreter", "place"):
        assert body[field] in text


def test_event_search_covers_labels_in_both_languages_and_acts() -> None:
    body = make_body(
        Kind.EVENT,
        acts=[{"type": "torture_or_ill_treatment", "perpetrator_unit": "Onsong MSS interrogators"}],
    )
    text = search_document(Kind.EVENT, body).text
    for expected in (
        "Forced repatriation",
        "강제송환",
        "고문",
        "Onsong MSS interrogators",
        "중국 공안",
        body["perpetrator_unit"],
        body["description"],
    ):
        assert expected in text
    assert body["title"] in search_document(Kind.EVENT, body).title


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Kind.CASE, ["Forced returns through Tumen", "Escapees caught in Yanbian"]),
        (
            Kind.LOCATION,
            ["온성 집결소", "Onsong holding centre", "Onsong jipkyulso", "North Hamgyong", "집결소"],
        ),
        (Kind.TAG, ["Tumen crossing", "투먼 월경", "Returns via Tumen."]),
        (Kind.OBSERVATION, ["People held", "Seen by a released detainee."]),
        (Kind.ROUTE, ["Tumen to Onsong"]),
        (Kind.CONSENT, ["Interviewer A", "the interviewee"]),
    ],
)
def test_search_text_of_other_kinds(kind: Kind, expected: list[str]) -> None:
    text = search_document(kind, make_body(kind)).text
    for fragment in expected:
        assert fragment in text


def test_search_text_has_no_duplicate_lines() -> None:
    text = search_document(Kind.TESTIMONY, make_body(Kind.TESTIMONY, summary="same", notes="same")).text
    assert text.split("\n").count("same") == 1


@pytest.mark.parametrize(
    ("kind", "overrides", "english", "korean"),
    [
        (Kind.PERSON, {}, "P-0042 · Kim Yeong-hui", "P-0042 · 김영희"),
        (Kind.PERSON, {"names": {"chinese": "金英姬"}}, "P-0042 · 金英姬", "P-0042 · 金英姬"),
        (
            Kind.PERSON,
            {"is_group": True, "group_estimated_count": 40, "group_count_source": "P-0042", "names": {}},
            "P-0042 · group of about 40",
            "P-0042 · 약 40명 집단",
        ),
        (
            Kind.EVENT,
            {},
            "Forced repatriation · ~2019-04 · Handed over at the Tumen bridge",
            "강제송환 · ~2019-04 · Handed over at the Tumen bridge",
        ),
        (
            Kind.EVENT,
            {"title": "", "end_date": "2019-06"},
            "Forced repatriation · ~2019-04 – 2019-06",
            "강제송환 · ~2019-04 – 2019-06",
        ),
        (Kind.LOCATION, {}, "Onsong holding centre (Holding centre)", "온성 집결소 (집결소)"),
        (Kind.TESTIMONY, {}, "Testimony · 2019-08-14 · Seoul", "증언 · 2019-08-14 · Seoul"),
        (Kind.CONSENT, {}, "Consent · 2019-08-14", "동의 · 2019-08-14"),
        (Kind.OBSERVATION, {}, "People held · 2019-04", "수용 인원 · 2019-04"),
        (Kind.ROUTE, {"title": ""}, "Route of 1 events", "이동 경로 (사건 1건)"),
        (Kind.TAG, {}, "Tumen crossing", "투먼 월경"),
        (
            Kind.CASE,
            {},
            "Forced returns through Tumen, spring 2019",
            "Forced returns through Tumen, spring 2019",
        ),
    ],
)
def test_display_titles(kind: Kind, overrides: dict[str, object], english: str, korean: str) -> None:
    body = validate_body(kind, make_body(kind, **overrides))
    assert display_title(kind, body) == english
    assert display_title(kind, body, lang="ko") == korean


def test_display_title_without_pseudonym_and_truncation() -> None:
    assert display_title(Kind.PERSON, {}) == "(no pseudonym)"
    assert display_title(Kind.PERSON, {"pseudonym": "G-0001", "is_group": True}) == "G-0001 · group"
    title = display_title(Kind.CASE, {"title": "가" * 1_000})
    assert len(title) == TITLE_MAX and title.endswith("…")


def test_withdrawal_has_its_own_title() -> None:
    body = make_body(Kind.CONSENT, withdraws_consent_id="0b6f3a52-9c1e-4d7a-8f20-5e4b1c9d7a63")
    assert display_title(Kind.CONSENT, body) == "Consent withdrawal · 2019-08-14"
