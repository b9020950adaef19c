"""What lists show for a record (display titles) and what full-text search indexes (search documents).

Contacts are the most sensitive records: their search document has no text and their title is only the contact
type label, so a contact's value never reaches the search index, a list, a window title or a log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from safecase.domain import vocabulary as v
from safecase.domain.kinds import Kind

TITLE_MAX = 120
_SEP = " · "


@dataclass(frozen=True)
class SearchDocument:
    title: str
    text: str


Body = Mapping[str, Any]


def display_title(kind: Kind, body: Body, *, lang: str = "en") -> str:
    """A short label for lists, e.g. ``P-0042 · Kim Yeong-hui`` or ``Forced repatriation · 2019-03``."""
    title = _TITLES[kind](body, lang)
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def search_document(kind: Kind, body: Body) -> SearchDocument:
    """The title and text full-text search indexes for a record (a normalised body)."""
    title = display_title(kind, body)
    if kind is Kind.CONTACT:
        return SearchDocument(title, "")
    parts = dict.fromkeys(part for part in _SEARCH_TEXTS[kind](body) if part)
    return SearchDocument(title, "\n".join(parts))


def _text(body: Body, name: str) -> str:
    value = body.get(name)
    return value if isinstance(value, str) else ""


def _texts(body: Body, *names: str) -> Iterator[str]:
    for name in names:
        value = body.get(name)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value if isinstance(item, str))
        elif isinstance(value, dict):
            yield from (item for item in value.values() if isinstance(item, str))


def _labels(vocabulary: v.Vocabulary, body: Body, name: str) -> Iterator[str]:
    code = body.get(name)
    if isinstance(code, str) and code in vocabulary:
        term = vocabulary.get(code)
        yield from (term.en, term.ko)


def _label(vocabulary: v.Vocabulary, body: Body, name: str, lang: str) -> str:
    code = body.get(name)
    return vocabulary.label(code, lang) if isinstance(code, str) else ""


def _join(*parts: str) -> str:
    return _SEP.join(part for part in parts if part)


def _first_name(names: object, order: tuple[str, ...]) -> str:
    if not isinstance(names, dict):
        return ""
    return next((names[key] for key in order if isinstance(names.get(key), str)), "")


# --- display titles ---


def _case_title(body: Body, lang: str) -> str:
    return _text(body, "title") or Kind.CASE.label(lang)


def _person_title(body: Body, lang: str) -> str:
    pseudonym = _text(body, "pseudonym") or ("(가명 없음)" if lang == "ko" else "(no pseudonym)")
    if body.get("is_group") is True:
        count = body.get("group_estimated_count")
        if not isinstance(count, int):
            return _join(pseudonym, "집단" if lang == "ko" else "group")
        return _join(pseudonym, f"약 {count}명 집단" if lang == "ko" else f"group of about {count}")
    order = ("hangul", "romanized", "chinese") if lang == "ko" else ("romanized", "hangul", "chinese")
    return _join(pseudonym, _first_name(body.get("names"), order))


def _contact_title(body: Body, lang: str) -> str:
    return _label(v.CONTACT_TYPES, body, "type", lang) or Kind.CONTACT.label(lang)


def _testimony_title(body: Body, lang: str) -> str:
    return _join(Kind.TESTIMONY.label(lang), _text(body, "date"), _text(body, "place"))


def _consent_title(body: Body, lang: str) -> str:
    if "withdraws_consent_id" in body:
        label = "동의 철회" if lang == "ko" else "Consent withdrawal"
    else:
        label = Kind.CONSENT.label(lang)
    return _join(label, _text(body, "given_on"))


def _event_title(body: Body, lang: str) -> str:
    when = _text(body, "date")
    if when and _text(body, "end_date"):
        when = f"{when} – {_text(body, 'end_date')}"
    return _join(_label(v.EVENT_TYPES, body, "type", lang) or Kind.EVENT.label(lang), when, _text(body, "title"))


def _route_title(body: Body, lang: str) -> str:
    events = body.get("event_ids")
    count = len(events) if isinstance(events, list) else 0
    fallback = f"이동 경로 (사건 {count}건)" if lang == "ko" else f"Route of {count} events"
    return _text(body, "title") or fallback


def _location_title(body: Body, lang: str) -> str:
    order = ("ko", "en", "romanized", "zh") if lang == "ko" else ("en", "romanized", "ko", "zh")
    name = _first_name(body.get("names"), order) or Kind.LOCATION.label(lang)
    kind = _label(v.LOCATION_TYPES, body, "type", lang)
    return f"{name} ({kind})" if kind else name


def _observation_title(body: Body, lang: str) -> str:
    label = _label(v.OBSERVATION_TYPES, body, "type", lang) or Kind.OBSERVATION.label(lang)
    return _join(label, _text(body, "date"))


def _tag_title(body: Body, lang: str) -> str:
    return (lang == "ko" and _text(body, "label_ko")) or _text(body, "label") or Kind.TAG.label(lang)


def _attachment_title(body: Body, lang: str) -> str:
    role = body.get("copy_role")
    suffix = "" if role in (None, "original") else f" ({_label(v.COPY_ROLES, body, 'copy_role', lang)})"
    return (_text(body, "file_name") or Kind.ATTACHMENT.label(lang)) + suffix


_TITLES: Mapping[Kind, Callable[[Body, str], str]] = {
    Kind.CASE: _case_title,
    Kind.PERSON: _person_title,
    Kind.CONTACT: _contact_title,
    Kind.TESTIMONY: _testimony_title,
    Kind.CONSENT: _consent_title,
    Kind.EVENT: _event_title,
    Kind.ROUTE: _route_title,
    Kind.LOCATION: _location_title,
    Kind.OBSERVATION: _observation_title,
    Kind.TAG: _tag_title,
    Kind.ATTACHMENT: _attachment_title,
}


# --- search text ---


def _case_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "title", "summary")


def _person_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "pseudonym", "names", "aliases", "origin", "group_count_source", "notes")
    yield from _labels(v.PERSON_STATUSES, body, "status")


def _testimony_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "interviewer", "interpreter", "place", "summary", "original_text", "translation")
    yield from _texts(body, "notes")


def _consent_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "given_by", "recorded_by", "notes")


def _act_text(act: Body) -> Iterator[str]:
    yield from _labels(v.EVENT_TYPES, act, "type")
    yield from _labels(v.PERPETRATOR_INSTITUTIONS, act, "perpetrator_institution")
    yield from _texts(act, "perpetrator_unit", "description")


def _event_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "title")
    yield from _labels(v.EVENT_TYPES, body, "type")
    yield from _labels(v.PERPETRATOR_INSTITUTIONS, body, "perpetrator_institution")
    yield from _texts(body, "perpetrator_unit", "people_count_source", "description")
    acts = body.get("acts")
    for act in acts if isinstance(acts, list) else ():
        if isinstance(act, dict):
            yield from _act_text(act)


def _route_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "title", "notes")


def _location_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "names", "admin_area", "country", "notes")
    yield from _labels(v.LOCATION_TYPES, body, "type")


def _observation_text(body: Body) -> Iterator[str]:
    yield from _labels(v.OBSERVATION_TYPES, body, "type")
    yield from _labels(v.PERSON_STATUSES, body, "person_status")
    yield from _texts(body, "source_note", "notes")


def _tag_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "label", "label_ko", "description")


def _attachment_text(body: Body) -> Iterator[str]:
    yield from _texts(body, "file_name", "derivation", "description")


def _no_text(body: Body) -> Iterator[str]:
    return iter(())


_SEARCH_TEXTS: Mapping[Kind, Callable[[Body], Iterator[str]]] = {
    Kind.CASE: _case_text,
    Kind.PERSON: _person_text,
    Kind.CONTACT: _no_text,
    Kind.TESTIMONY: _testimony_text,
    Kind.CONSENT: _consent_text,
    Kind.EVENT: _event_text,
    Kind.ROUTE: _route_text,
    Kind.LOCATION: _location_text,
    Kind.OBSERVATION: _observation_text,
    Kind.TAG: _tag_text,
    Kind.ATTACHMENT: _attachment_text,
}
