"""The schema of a call definition file, and its validation with line numbers.

The documented form is calls/SCHEMA.md at the project root. Dates without a
time zone are read in the call's `timezone`.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Text = dict[str, str]


class CallFileError(Exception):
    """A call file that cannot be loaded; each problem names the field and the line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Item(Strict):
    code: Code
    name: Text
    description: Text = Field(default_factory=dict)


class FormatItem(Item):
    number: int = Field(ge=1)
    hosts_competition: bool = False


class CriterionItem(Item):
    number: int = Field(ge=1)


class TrlLevel(Strict):
    level: int = Field(ge=1, le=9)
    name: Text


class MilestoneItem(Strict):
    code: Code
    name: Text
    starts_at: datetime | date
    ends_at: datetime | date | None = None
    when: Text = Field(default_factory=dict)
    # Execution follow-up: labelled challenges report at this milestone, reminded before it is due.
    report: Literal["interim", "final"] | None = None
    due_at: datetime | date | None = None
    reminder_days_before: int = Field(default=7, ge=0, le=60)


class FaqEntry(Strict):
    question: Text
    answer: Text


class CallDefinition(Strict):
    slug: Code
    languages: list[str] = Field(min_length=1)
    timezone: str = "Europe/Paris"
    title: Text
    tagline: Text = Field(default_factory=dict)
    purpose: Text
    audience: Text = Field(default_factory=dict)
    applications_open: datetime | date
    applications_close: datetime
    receipt_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{2,32}$")]
    summary_max_length: int = Field(default=1000, ge=100, le=10000)
    max_themes: int = Field(default=2, ge=1)
    minimum_criteria: int = Field(default=1, ge=0)
    themes: list[Item] = Field(min_length=1)
    priority_domains: list[Item] = Field(default_factory=list)
    formats: list[FormatItem] = Field(min_length=1)
    criteria: list[CriterionItem] = Field(min_length=1)
    additional_examination: Item | None = None
    trl_scale: list[TrlLevel] = Field(default_factory=list)
    milestones: list[MilestoneItem] = Field(default_factory=list)
    faq: list[FaqEntry] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @model_validator(mode="after")
    def consistent(self) -> CallDefinition:
        if self.languages[0] != self.languages[0].lower():
            raise ValueError("language codes are lower case, e.g. fr, en")
        texts = [self.title, self.purpose]
        for text in texts:
            missing = [language for language in self.languages if not text.get(language)]
            if missing:
                raise ValueError(f"title and purpose need a text in every language of the call; missing: {missing}")
        for field in ("themes", "priority_domains", "formats", "criteria", "milestones"):
            codes = [item.code for item in getattr(self, field)]
            duplicates = sorted({code for code in codes if codes.count(code) > 1})
            if duplicates:
                raise ValueError(f"{field}: duplicate codes {duplicates}")
        if self.minimum_criteria > len(self.criteria):
            raise ValueError("minimum_criteria is larger than the number of criteria")
        if self.max_themes > len(self.themes):
            raise ValueError("max_themes is larger than the number of themes")
        if self.aware(self.applications_close) <= self.aware(self.applications_open):
            raise ValueError("applications_close must come after applications_open")
        return self

    def aware(self, value: datetime | date) -> datetime:
        """A file date or datetime as an aware datetime in the call's time zone."""
        if not isinstance(value, datetime):
            value = datetime.combine(value, time.min)
        if value.tzinfo is None:
            value = value.replace(tzinfo=zoneinfo.ZoneInfo(self.timezone))
        return value


def _line_of(node: yaml.Node | None, location: tuple) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a line number."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in location:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def parse_call_definition(text: str, source: str = "call file") -> CallDefinition:
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise CallFileError([f"{source}{where}: not valid YAML ({getattr(error, 'problem', error)})"]) from error
    if not isinstance(data, dict):
        raise CallFileError([f"{source} line 1: the file must be a mapping of fields"])
    try:
        return CallDefinition.model_validate(data)
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            location = tuple(
                part for part in detail["loc"] if not (isinstance(part, str) and part.startswith("function-"))
            )
            field = ".".join(str(part) for part in location) or "(file)"
            line = _line_of(root, location)
            problems.append(f"{source} line {line}: {field}: {detail['msg']}")
        raise CallFileError(problems) from error
