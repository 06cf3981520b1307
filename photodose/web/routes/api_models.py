"""Request bodies of the JSON API (validated by pydantic: bad input is a 422 naming the field)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

MAX_ID = 2 ** 31 - 1


def _phototype(value):
    """The one skin-type parser (I-VI or 1-6); anything else is left for the Literal to refuse."""
    from ...optics.phototypes import normalise_skin_type

    if value is None or not isinstance(value, (str, int)) or isinstance(value, bool):
        return value
    try:
        return normalise_skin_type(value)
    except ValueError:
        return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ProfileIn(_Strict):
    name: str = Field(min_length=1, max_length=200, description="name or pseudonym, unique in the journal")
    skin_phototype: Annotated[Literal["I", "II", "III", "IV", "V", "VI"] | None, BeforeValidator(_phototype)] = Field(
        default=None, description="Fitzpatrick I-VI (or 1-6)")


class PlanIn(_Strict):
    plan: dict[str, Any] = Field(description="a plan as produced by POST /api/plan or `photodose plan --json`")
    schedule: Literal["steady", "ramp-up", "daily-then-taper"] = Field(
        default="steady", description="the plan's own schedule, or a ramp-up / daily-then-taper built on it")
    start: date | None = Field(default=None, description="day the course starts; omitted: the first session")


class SessionIn(_Strict):
    plan_id: int = Field(ge=1, le=MAX_ID, description="a plan saved for this profile")
    minutes: float = Field(gt=0, le=24 * 60, description="minutes actually done")
    warmth_0_10: int | None = Field(default=None, ge=0, le=10)
    notes: str | None = Field(default=None, max_length=2000)
    ended_at: datetime | None = Field(default=None, description="local time the session ended (a past session); "
                                                                "omitted: now")
    side_effects: list[Annotated[str, Field(max_length=200)]] | None = Field(
        default=None, max_length=10, description='"EFFECT[:SEVERITY]": warmth, redness, swelling, headache, fatigue, '
                                                 "irritation or other; mild, moderate or severe")


class SessionEdit(_Strict):
    """A correction: only the fields sent are changed (null clears warmth or notes)."""

    start_at: datetime | None = Field(default=None, description="local start time; not in the future")
    minutes: float | None = Field(default=None, gt=0, le=24 * 60,
                                  description="minutes done; the stored dose is rescaled (irradiance x time)")
    warmth_0_10: int | None = Field(default=None, ge=0, le=10)
    notes: str | None = Field(default=None, max_length=2000)


class OutcomeEdit(_Strict):
    """A correction: only the fields sent are changed; ``items`` or ``total`` re-scores it (same instrument)."""

    recorded_at: datetime | None = None
    items: list[int] | None = Field(default=None, max_length=50)
    total: float | None = None
    site: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=2000)


class OutcomeIn(_Strict):
    instrument: str = Field(min_length=1, max_length=50, description="phq9, qids16, hamd17 or pain")
    items: list[int] | None = Field(default=None, max_length=50, description="item scores (phq9, qids16)")
    total: float | None = Field(default=None, description="entered total (hamd17, pain)")
    site: str | None = Field(default=None, max_length=100, description="body site (pain)")
    notes: str | None = Field(default=None, max_length=2000)


class PlanQuery(_Strict):
    device: str = Field(min_length=1, max_length=200, description="catalog device id (GET /api/devices)")
    site: str | None = Field(default=None, max_length=100,
                             description="body site (GET /api/sites); omitted: the condition's own site")
    skin_type: str | None = Field(default=None, max_length=4,
                                  description="Fitzpatrick phototype I-VI (default: the profile's, else III)")
    condition: str = Field(min_length=1, max_length=100, description="protocol id (GET /api/protocols)")
    distance: str | None = Field(default=None, max_length=50, description='distance with a unit, e.g. "15 cm"; '
                                                                          "omitted: photodose chooses")
    minutes: float | None = Field(default=None, gt=0, le=240, description="session length (fixed)")
    max_minutes: float | None = Field(default=None, gt=0, le=240)
    goggles: bool = False
    eye_distance: str | None = Field(default=None, max_length=50,
                                     description='where the eyes are from the device\'s face, e.g. "70 cm" (sites away '
                                                 "from the head); omitted: photodose's stated default")
    profile_id: int | None = Field(default=None, ge=1, le=MAX_ID,
                                   description="plan for this profile: its phototype, measured fat, screening "
                                               "answers and earlier sessions")
    transport: str = Field(default="fast", max_length=20,
                           description="light transport for the target dose: fast (flat layer stack) or head3d (the "
                                       "3-D head's cortex, transcranial plans; voxel Monte Carlo, about half a minute)")


class ReadingIn(_Strict):
    distance_mm: float = Field(ge=0, le=3000)
    irradiance_mw_cm2: float = Field(gt=0, le=1e6)


class CalibrationIn(_Strict):
    readings: list[ReadingIn] = Field(min_length=1, max_length=50)


class ScreeningIn(_Strict):
    answers: dict[str, bool] = Field(description="question id -> true for yes (GET /api/screening/questions)")
    site: str = Field(min_length=1, max_length=100)
    transcranial: bool = False
    pulsed_visible: bool = False
    profile_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="store the answers with this profile")


class MonteCarloIn(_Strict):
    site: str = Field(min_length=1, max_length=100)
    wavelength_nm: float = Field(ge=400, le=1400)
    skin_type: str = Field(default="III", max_length=4)
    photons: int = Field(ge=1_000, le=2_000_000)
    seed: int = Field(default=1, ge=1, le=2**31 - 1)
