"""Request bodies of the JSON API (validated by pydantic: bad input is a 422 naming the field)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_ID = 2 ** 31 - 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ProfileIn(_Strict):
    name: str = Field(min_length=1, max_length=200, description="name or pseudonym, unique in the journal")
    skin_phototype: Literal["I", "II", "III", "IV", "V", "VI"] | None = None


class PlanIn(_Strict):
    plan: dict[str, Any] = Field(description="a plan as produced by POST /api/plan or `photodose plan --json`")


class SessionIn(_Strict):
    plan_id: int = Field(ge=1, le=MAX_ID, description="a plan saved for this profile")
    minutes: float = Field(gt=0, le=24 * 60, description="minutes actually done")
    warmth_0_10: int | None = Field(default=None, ge=0, le=10)
    notes: str | None = Field(default=None, max_length=2000)


class OutcomeIn(_Strict):
    instrument: str = Field(min_length=1, max_length=50, description="phq9, qids16, hamd17 or pain")
    items: list[int] | None = Field(default=None, max_length=50, description="item scores (phq9, qids16)")
    total: float | None = Field(default=None, description="entered total (hamd17, pain)")
    site: str | None = Field(default=None, max_length=100, description="body site (pain)")
    notes: str | None = Field(default=None, max_length=2000)
