"""Where the eye is during a session: in the beam (head sites, head-worn devices) or where the person is.

Rules (issue 12):

- A site on the face, forehead, scalp or neck, or a device worn on the head (mask, headset), puts the eye IN the
  beam at the treatment distance: its exposure is the spatial peak of the irradiance on the treatment plane (the
  eye may sit anywhere under the device), which is at least the average over any measurement aperture there.
- Every other site: the eye is where the person is, a stated viewing geometry (distance from the centre of the
  device's face and angle off its axis), ``DEFAULT_EYE_DISTANCE_MM`` at ``DEFAULT_OFF_AXIS_DEG`` unless the person
  gives the eye distance. The irradiance there is computed with the device's own emitter model off axis
  (:func:`photodose.safety.from_device.eye_channels`).

The default viewing geometry is a photodose assumption (unsourced): no standard or study gives where a person's
eyes are while a panel treats the knee. IEC 62471 classifies a lamp at 200 mm on its axis; that risk group is
reported separately and does not decide the session.

Goggles: an in-beam session needs goggles rated for the device's wavelengths. "Eyes closed" is not offered: no
source found gives eyelid transmittance at the near-infrared wavelengths of these devices (adult eyelids pass
14.5 % at 700 nm, Robinson et al. 1991, Vision Res 31(10):1837-40; the measurements stop there).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..bibliography import UNSOURCED

IN_BEAM_SITES = frozenset({"face", "forehead", "scalp", "neck"})
HEAD_WORN_KINDS = frozenset({"mask", "headset"})
DEFAULT_EYE_DISTANCE_MM = 600.0  # photodose assumption (unsourced): eye about 0.6 m from the device's face
DEFAULT_OFF_AXIS_DEG = 45.0      # photodose assumption (unsourced): and 45 degrees off its axis
EYELID_NOTE = ("closing the eyes is not offered as protection: no source gives eyelid transmittance at these "
               "wavelengths (adult eyelids pass 14.5 % at 700 nm; Robinson et al. 1991, Vision Res 31:1837)")


class EyeGeometry(BaseModel):
    """Where the eye is assumed during the session.

    ``in_beam``: the eye is in the treatment beam (goggles needed). ``distance_mm``: from the centre of the
    device's face to the eye (in the beam: the treatment distance, or the eye distance given). ``off_axis_deg``:
    angle between the device's axis and the line to the eye (0 in the beam). ``assumption``: the geometry in
    words, with its source ("photodose assumption (unsourced)" or "given").
    """

    model_config = ConfigDict(frozen=True)
    in_beam: bool
    distance_mm: float = Field(ge=0)
    off_axis_deg: float = Field(0.0, ge=0, lt=90)
    assumption: str
    reason: str = ""  # in the beam: why ("the face is treated", "a headset worn on the head")


def canonical_site(site: str | None) -> str:
    """Lower-case site with photodose's aliases resolved (head -> forehead); "unspecified" when not given."""
    if not site or site.strip().lower() == "unspecified":
        return "unspecified"
    from ..optics.sites import resolve_site_name

    return resolve_site_name(site)


def eye_in_beam(site: str | None, device_kind: str) -> bool:
    """True for head sites (face, forehead, scalp, neck) and head-worn devices (mask, headset)."""
    return canonical_site(site) in IN_BEAM_SITES or device_kind in HEAD_WORN_KINDS


def eye_geometry(site: str | None, device_kind: str, distance_mm: float,
                 eye_distance_mm: float | None = None) -> EyeGeometry:
    """The eye geometry of a session at ``site`` with a device of ``device_kind`` at ``distance_mm``.

    ``eye_distance_mm`` (the person's ``--eye-distance``) replaces the assumed distance from the device's face.
    """
    site_name = canonical_site(site)
    if eye_in_beam(site_name, device_kind):
        why = (f"a {device_kind} worn on the head" if device_kind in HEAD_WORN_KINDS
               else f"the {site_name} is treated")
        if eye_distance_mm is None:
            return EyeGeometry(in_beam=True, distance_mm=distance_mm, reason=why,
                               assumption=f"eye in the beam at the treatment distance ({why}); exposure at the "
                                          "beam's peak")
        return EyeGeometry(in_beam=True, distance_mm=eye_distance_mm, reason=why,
                           assumption=f"eye in the beam ({why}) at the given eye distance; exposure at the beam's "
                                      "peak")
    if eye_distance_mm is not None:
        return EyeGeometry(in_beam=False, distance_mm=eye_distance_mm, off_axis_deg=DEFAULT_OFF_AXIS_DEG,
                           assumption=f"eye at the given {eye_distance_mm / 10:g} cm from the centre of the "
                                      f"device's face, {DEFAULT_OFF_AXIS_DEG:g}° off its axis (angle: {UNSOURCED})")
    d = max(DEFAULT_EYE_DISTANCE_MM, distance_mm)
    return EyeGeometry(in_beam=False, distance_mm=d, off_axis_deg=DEFAULT_OFF_AXIS_DEG,
                       assumption=f"eye where the person is: {d / 10:g} cm from the centre of the device's face, "
                                  f"{DEFAULT_OFF_AXIS_DEG:g}° off its axis, facing it ({UNSOURCED}; "
                                  "give your eye distance to change it)")


def eye_position_mm(geometry: EyeGeometry) -> tuple[float, float, float]:
    """(x, y, z) of the eye relative to the centre of the device's face (z along its axis), mm.

    Off axis the eye is displaced along +y (e.g. above a panel aimed at the knee).
    """
    import math

    theta = math.radians(geometry.off_axis_deg)
    return 0.0, geometry.distance_mm * math.sin(theta), geometry.distance_mm * math.cos(theta)
