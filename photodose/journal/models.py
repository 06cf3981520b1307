"""ORM models of the journal (SQLAlchemy 2 typed mapping). The schema is created by Alembic migrations
(``migrations/versions``), never by ``create_all``; these classes describe the head revision.

Times are naive local wall-clock datetimes, as the person typed them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime}


class Profile(Base):
    __tablename__ = "profiles"
    # rev 0004: a name is unique per owner (web account, or the local user), not across the journal
    __table_args__ = (Index("uq_profiles_owner_name", func.coalesce(text("owner"), ""), "name", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    skin_phototype: Mapped[str | None] = mapped_column(String(8))
    body_measurements: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    contraindication_answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    contraindications_answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    owner: Mapped[str | None] = mapped_column(String(100), index=True)  # web account; None = local user
    # rev 0006: the body a whole-body hyperthermia plan heats (JOS-3, photodose.hyperthermia); None: not given
    height_m: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    age_years: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(8))  # "male" or "female" (JOS-3's two body models)

    devices: Mapped[list[DeviceInUse]] = relationship(back_populates="profile", cascade="all, delete-orphan",
                                                      passive_deletes=True, order_by="DeviceInUse.id")
    plans: Mapped[list[Plan]] = relationship(back_populates="profile", cascade="all, delete-orphan",
                                             passive_deletes=True, order_by="Plan.id")
    sessions: Mapped[list[TherapySession]] = relationship(back_populates="profile", cascade="all, delete-orphan",
                                                          passive_deletes=True, order_by="TherapySession.start_at")
    outcomes: Mapped[list[Outcome]] = relationship(back_populates="profile", cascade="all, delete-orphan",
                                                   passive_deletes=True, order_by="Outcome.recorded_at")


class DeviceInUse(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(String(200))  # id in photodose's device catalog
    nickname: Mapped[str | None] = mapped_column(String(200))
    added_at: Mapped[datetime]

    profile: Mapped[Profile] = relationship(back_populates="devices")


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)  # as produced by the planner
    created_at: Mapped[datetime]
    course_start: Mapped[datetime | None]  # rev 0005: ``log plan --start`` (midnight); None: the first session

    profile: Mapped[Profile] = relationship(back_populates="plans")


class TherapySession(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_profile_site_start", "profile_id", "site", "start_at"),)  # rev 0002

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    start_at: Mapped[datetime]
    duration_s: Mapped[float] = mapped_column(Float)
    site: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[str] = mapped_column(String(200))
    channels: Mapped[list[Any] | None] = mapped_column(JSON)
    distance_mm: Mapped[float] = mapped_column(Float)
    planned_seconds: Mapped[float | None] = mapped_column(Float)
    surface_irradiance_mw_cm2: Mapped[float] = mapped_column(Float)
    surface_fluence_j_cm2: Mapped[float] = mapped_column(Float)
    target_depth_mm: Mapped[float | None] = mapped_column(Float)
    target_fluence_j_cm2: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
    warmth_0_10: Mapped[int | None] = mapped_column(Integer)
    comfort: Mapped[str | None] = mapped_column(Text)
    # rev 0005: one session over several sites is one row per site sharing a group id; side effects reported
    session_group: Mapped[str | None] = mapped_column(String(64))
    side_effects: Mapped[list[Any] | None] = mapped_column(JSON)  # [{"effect": ..., "severity": ...}]

    profile: Mapped[Profile] = relationship(back_populates="sessions")


class Outcome(Base):
    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    instrument: Mapped[str] = mapped_column(String(50))
    item_scores: Mapped[list[Any] | None] = mapped_column(JSON)
    total: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(50))
    site: Mapped[str | None] = mapped_column(String(100))
    recorded_at: Mapped[datetime]
    notes: Mapped[str | None] = mapped_column(Text)
    # revision 0002: custom metrics
    metric_name: Mapped[str | None] = mapped_column(String(200))
    metric_value: Mapped[float | None] = mapped_column(Float)
    metric_unit: Mapped[str | None] = mapped_column(String(50))
    file_path: Mapped[str | None] = mapped_column(Text)

    profile: Mapped[Profile] = relationship(back_populates="outcomes")


class WebSession(Base):
    """A web login (rev 0004): the cookie carries a random token, this row its sha256. Logout deletes the row;
    a password change or a removed user no longer matches ``credential``. Not part of a profile's export."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(String(100), index=True)
    credential: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]


TABLES: tuple[type[Base], ...] = (Profile, DeviceInUse, Plan, TherapySession, Outcome)


class HeatSession(Base):
    """A whole-body hyperthermia session (rev 0007): heating minutes in a sauna dome, its chamber settings (degC,
    % RH) and the peak core temperature (degC) and minutes to target when the person measured them."""

    __tablename__ = "heat_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    start_at: Mapped[datetime]
    heating_minutes: Mapped[float] = mapped_column(Float)
    device_id: Mapped[str] = mapped_column(String(200))
    air_temperature_c: Mapped[float | None] = mapped_column(Float)
    mean_radiant_temperature_c: Mapped[float | None] = mapped_column(Float)
    relative_humidity_percent: Mapped[float | None] = mapped_column(Float)
    core_temperature_c: Mapped[float | None] = mapped_column(Float)
    minutes_to_target: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
