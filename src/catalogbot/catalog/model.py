"""The catalog's schema: what a maintainer may write in catalog.yaml, and what it means.

Resources are defined once at the top level and referenced by id from each strategy,
because the same guide appears on several strategy pages of the same site.

The types are frozen, slotted dataclasses validated by pydantic rather than pydantic
models: a shared catalog can hold 100,000 resources, and a model instance (its
``__dict__`` and its set of explicitly given fields) costs about 1.2 KB more than a
slotted dataclass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
)
from pydantic.dataclasses import dataclass
from pydantic.fields import FieldInfo

from catalogbot.catalog.urls import url_problem

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""What a resource id may be: lowercase letters, digits and single hyphens."""
MAX_ID_LENGTH = 80


def _check_id(value: str) -> str:
    if not ID.match(value) or len(value) > MAX_ID_LENGTH:
        raise ValueError(
            "an id is lowercase letters, digits and single hyphens, such as 'naloxone-saves'"
        )
    return value


def _check_url(value: str, info: ValidationInfo) -> str:
    # Reading a catalog finds every URL's problem once beforehand (``url_facts``).
    known = info.context.get("url_problems") if isinstance(info.context, dict) else None
    problem = known[value] if known is not None and value in known else url_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"not a valid regular expression: {error}") from None
    return value


def _check_selector(value: str) -> str:
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    try:
        LexborHTMLParser("<p></p>").css(value)
    except (SelectolaxError, ValueError):
        raise ValueError(f"not a valid CSS selector: {value!r}") from None
    return value


def _reason_not_flag(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(
            'give the reason instead of true/false, e.g. skip: "blocks automated checks"'
        )
    return value


ResourceId = Annotated[
    str,
    AfterValidator(_check_id),
    Field(json_schema_extra={"pattern": "^" + ID.pattern.removesuffix(r"\Z") + "$"}),
]
Url = Annotated[
    str,
    AfterValidator(_check_url),
    Field(json_schema_extra={"format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}),
]
Text = Annotated[str, AfterValidator(_check_text), Field(max_length=10_000)]
ShortText = Annotated[str, AfterValidator(_check_text), Field(max_length=500)]
Tag = ResourceId


class Format(StrEnum):
    """What a link leads to, as the catalog declares it, for people."""

    # Drift does not read it: a PDF replaced by a web page is noticed by comparing the
    # kind of content the link serves now with the kind its accepted baseline recorded.

    WEBPAGE = "webpage"
    WEBSITE = "website"
    PDF = "pdf"
    VIDEO = "video"
    DOCUMENT = "document"
    DATASET = "dataset"
    AUDIO = "audio"
    OTHER = "other"


class Level(StrEnum):
    """How much a reader is expected to know already."""

    INTRODUCTORY = "introductory"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Confidence(StrEnum):
    """How sure the curators are that the URL is the resource the catalog means."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=False)


@dataclass(frozen=True, slots=True, kw_only=True, config=_STRICT)
class CheckSettings:
    """How the checker treats one resource; every field is optional."""

    skip: Annotated[str | None, BeforeValidator(_reason_not_flag)] = Field(
        default=None,
        description="Do not check this link; the text says why (shown in every report).",
        min_length=3,
        max_length=500,
    )
    accept_status: list[Annotated[int, Field(ge=100, le=599)]] = Field(
        default_factory=list,
        description="HTTP status codes that count as healthy for this link, besides 2xx.",
        max_length=20,
    )
    selector: Annotated[str, AfterValidator(_check_selector)] | None = Field(
        default=None,
        description="CSS selector of the part of the page whose text is compared for drift.",
        max_length=200,
    )
    ignore: list[Annotated[str, AfterValidator(_check_regex), Field(max_length=200)]] = Field(
        default_factory=list,
        description="Regular expressions; matching text is left out of the drift comparison.",
        max_length=20,
    )
    threshold: float | None = Field(
        default=None,
        gt=0.0,
        le=1.0,
        description="Similarity (0-1) below which the page counts as drifted; default 0.5.",
    )


NO_SETTINGS = CheckSettings()
"""The settings of a resource that gives none; one frozen instance shared by all of them."""


@dataclass(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Resource:
    """One link in the catalog."""

    id: ResourceId = Field(description="Stable name: lowercase letters, digits and hyphens.")
    title: ShortText = Field(description="The title as the catalog publishes it.")
    url: Url = Field(description="Where the resource lives (http or https).")
    description: Text | None = Field(default=None, description="The catalog's description.")
    format: Format | None = Field(default=None, description="What the link leads to.")
    publisher: ShortText | None = Field(default=None, description="Who publishes the resource.")
    tags: list[Tag] = Field(default_factory=list, max_length=30, description="Topic labels.")
    confidence: Confidence | None = Field(
        default=None, description="How sure the curators are that the URL is right."
    )
    note: Text | None = Field(default=None, description="Notes for maintainers.")
    check: CheckSettings = Field(
        default_factory=lambda: NO_SETTINGS, description="How the checker treats this link."
    )


@dataclass(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Highlight:
    """A call-out at the top of a strategy page that points to one resource."""

    text: ShortText
    resource: ResourceId


@dataclass(frozen=True, slots=True, kw_only=True, config=_STRICT)
class LevelLists:
    """A strategy's resources, by level, each list in the order the page shows them."""

    introductory: list[ResourceId] = Field(default_factory=list)
    intermediate: list[ResourceId] = Field(default_factory=list)
    advanced: list[ResourceId] = Field(default_factory=list)

    def by_level(self) -> dict[Level, list[str]]:
        """Each level with its resource ids."""
        return {level: getattr(self, level.value) for level in Level}


@dataclass(frozen=True, slots=True, kw_only=True, config=_STRICT)
class Strategy:
    """One strategy page: what the strategy is, why it matters, and its resources."""

    id: ResourceId
    title: ShortText
    url: Url | None = Field(default=None, description="The published strategy page.")
    what: Text | None = Field(default=None, description="What is this strategy?")
    why: Text | None = Field(default=None, description="Why does it matter?")
    highlights: list[Highlight] = Field(default_factory=list)
    introduction: Text | None = Field(
        default=None, description="The text above the list of resources."
    )
    resources: LevelLists = Field(default_factory=LevelLists)


@dataclass(
    frozen=True,
    slots=True,
    kw_only=True,
    config=ConfigDict(
        extra="forbid",
        str_strip_whitespace=False,
        title="catalogbot catalog",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    ),
)
class Catalog:
    """The whole catalog file."""

    version: Literal[1] = Field(description="Format version of this file; always 1 so far.")
    title: ShortText | None = Field(default=None, description="Name of the catalog.")
    publisher: ShortText | None = Field(default=None, description="Who publishes the catalog.")
    homepage: Url | None = Field(default=None, description="Where the catalog is published.")
    resources: list[Resource] = Field(description="Every link, each defined once.")
    strategies: list[Strategy] = Field(
        default_factory=list, description="Pages that group resources by level."
    )

    def resource(self, resource_id: str) -> Resource:
        """The resource with this id (KeyError when there is none)."""
        for resource in self.resources:
            if resource.id == resource_id:
                return resource
        raise KeyError(resource_id)


_CATALOG = TypeAdapter(Catalog)


def validate_catalog(data: Any, url_problems: Mapping[str, str | None] | None = None) -> Catalog:
    """The catalog that plain data (as read from YAML) describes; pydantic's
    ValidationError lists everything wrong with it. ``url_problems`` holds what
    ``url_problem`` says of URLs already looked at."""
    context = {"url_problems": url_problems} if url_problems is not None else None
    return _CATALOG.validate_python(data, context=context)


def catalog_schema() -> dict[str, Any]:
    """The JSON Schema of a catalog file."""
    return _CATALOG.json_schema()


def nested_type(owner: type, name: str) -> type | None:
    """The catalog type held by field ``name`` of ``owner`` (directly, in a list or as
    an optional value), or None when the field holds none or does not exist."""
    fields: dict[str, FieldInfo] = getattr(owner, "__pydantic_fields__", {})
    found = fields.get(name)
    if found is None:
        return None
    annotation = found.annotation
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and hasattr(candidate, "__pydantic_fields__"):
            return candidate
    return None


def field_names(owner: type) -> list[str]:
    """The fields of a catalog type, in the order they are declared."""
    fields: dict[str, FieldInfo] = getattr(owner, "__pydantic_fields__", {})
    return list(fields)
