"""JOS-3 against measured core temperatures during passive whole-body heating (``data/validation.yaml``).

Five cases, each a pure function returning the model's numbers for one published measurement:

- :func:`dome_minutes_to_target`: Mason et al. 2021, head outside a far-infrared dome, lying: time to 38.5 degC
  rectal 82.12 +/- 11.3 min (range 61-110). The generic dome's chamber temperature is FITTED to the mean
  (``REFERENCE_PEOPLE``), so only the spread across bodies is a check, not the mean.
- :func:`chamber_rise`: Iguchi et al. 2012, seated 30 min in a 73 degC dry chamber: rectal +0.8 degC. Humidity
  is not in the abstract: the room's vapour pressure (0.8-1.6 kPa) is assumed; bodies span the cohort's
  mean +/- 1 SD of height and mass, both sexes.
- :func:`sauna_cases`: Mündel et al. 2006 (60 min at 58 degC, 13 % RH: core +0.25 degC, mean skin 36.5 degC) and
  Su et al. 2025 (60 min at 71.1 degC, dry: rectal 38.0 +/- 0.3 degC at the end), seated; bodies of both sexes,
  small and large, as the abstracts give no size. JOS-3 over-predicts both, as it does Iguchi 2012.
- :func:`gagge_sauna_end_core`: the same two 60-min saunas through Gagge's two-node model (pythermalcomfort
  ``two_nodes_gagge``, a fixed 60-min exposure from its neutral 36.8 degC core), the model photodose did not
  choose: it over-predicts more than JOS-3 does.
- Willmott et al. 2023 (44 degC, 99 % RH steam pod) lies outside JOS-3's validity and is refused
  (:func:`photodose.hyperthermia.core_model.check_chamber`).

``figure_png`` draws measured vs predicted (the PNG in docs/figures/hyperthermia_validation.png).
"""

from __future__ import annotations

import itertools

from ..package_data import load_yaml
from .core_model import Chamber, Person, saturation_vapour_pressure_kpa, simulate_core_temperature

# The calibration's reference adults (photodose assumption: Mason 2021's anthropometrics were not available).
REFERENCE_PEOPLE = (Person(height_m=1.77, weight_kg=75.0, age_years=30, sex="male"),
                    Person(height_m=1.63, weight_kg=60.0, age_years=30, sex="female"))
# Bodies spanning Mason 2021's inclusion criteria (18-45 y, BMI <= 30): small/large, young/older, both sexes.
DOME_COHORT = tuple(Person(height_m=h, weight_kg=w, age_years=a, sex=s)
                    for s, (h, w) in (("male", (1.70, 62.0)), ("male", (1.85, 95.0)),
                                      ("female", (1.55, 50.0)), ("female", (1.72, 85.0)))
                    for a in (20, 45))
ROOM_VAPOUR_KPA = (0.8, 1.6)  # room air 25-50 % RH at 22-25 degC (photodose assumption for a dry chamber)


def datasets() -> dict:
    return load_yaml("photodose.hyperthermia", "data", "validation.yaml")["datasets"]


def dome_chamber() -> Chamber:
    from ..devices.catalog import load_device

    c = load_device("generic-infrared-sauna-dome").chamber
    return Chamber(air_temperature_c=c.air_temperature_c, mean_radiant_temperature_c=c.mean_radiant_temperature_c,
                   relative_humidity_percent=c.relative_humidity_percent, head_outside=c.head_outside,
                   posture=c.posture)


def dome_minutes_to_target(people=REFERENCE_PEOPLE, target_c: float = 38.5, limit_min: float = 200.0):
    """Predicted minutes to ``target_c`` in the generic dome for each of ``people`` (None: not within the limit)."""
    chamber = dome_chamber()
    return [simulate_core_temperature(p, chamber, heating_minutes=limit_min, stop_at_c=target_c).reached_target_min
            for p in people]


IGUCHI_BODIES = ((1.752, 69.4), (1.636, 54.6), (1.868, 84.2))   # the cohort's mean and mean +/- 1 SD
SAUNA_BODIES = ((1.65, 60.0), (1.78, 75.0))  # photodose assumption: the abstracts give no height or mass


def seated_dry_heat_cases(key: str, bodies):
    """(person, chamber) pairs for the seated dry-heat dataset ``key``: each body of ``bodies`` in both sexes at
    the dataset's age, at its stated relative humidity, else at the room's water vapour (``ROOM_VAPOUR_KPA``);
    mean radiant temperature = air temperature, head inside."""
    d = datasets()[key]
    air = float(d["air_temperature_c"])
    humidity = ([float(d["relative_humidity_percent"])] if "relative_humidity_percent" in d
                else [100.0 * vp / saturation_vapour_pressure_kpa(air) for vp in ROOM_VAPOUR_KPA])
    for sex, (h, w), rh in itertools.product(("male", "female"), bodies, humidity):
        yield (Person(height_m=h, weight_kg=w, age_years=int(d["age_years"]), sex=sex),
               Chamber(air_temperature_c=air, mean_radiant_temperature_c=air, relative_humidity_percent=rh,
                       head_outside=False, posture="sitting"))


def iguchi_cases():
    """(person, chamber) pairs spanning Iguchi 2012's cohort (mean +/- 1 SD size, both sexes) and room humidity."""
    return seated_dry_heat_cases("iguchi2012_chamber", IGUCHI_BODIES)


def sauna_cases(key: str):
    """(person, chamber) pairs for the dry-sauna dataset ``key`` (mundel2006_sauna, su2025_sauna), seated."""
    return seated_dry_heat_cases(key, SAUNA_BODIES)


def heat_curves(cases, minutes: float):
    """JOS-3 curves for each (person, chamber) of ``cases`` over ``minutes`` of heat."""
    return [simulate_core_temperature(person, chamber, heating_minutes=minutes) for person, chamber in cases]


def sauna_curves(key: str):
    """JOS-3 curves for each of :func:`sauna_cases` over the dataset's minutes."""
    return heat_curves(sauna_cases(key), float(datasets()[key]["minutes"]))


GAGGE_NEUTRAL_CORE_C = 36.8   # the two-node model's starting (neutral) core temperature in pythermalcomfort
SEATED_MET = 1.0              # seated, quiet (ASHRAE 55's 1.0 met); JOS-3 takes its own sitting ratio


def gagge_sauna_end_core(key: str) -> list[float]:
    """Gagge's two-node core temperature (degC) after its fixed 60-min exposure, for each of :func:`sauna_cases`
    (body surface area by DuBois from the body's height and mass, nude, seated, 1.0 met)."""
    import warnings

    from pythermalcomfort.models import two_nodes_gagge
    from pythermalcomfort.utilities import body_surface_area

    if float(datasets()[key]["minutes"]) != 60.0:
        raise ValueError(f"{key}: pythermalcomfort's two-node model runs a fixed 60 min")
    ends = []
    for person, chamber in sauna_cases(key):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # the saunas lie outside the two-node model's comfort ranges
            out = two_nodes_gagge(tdb=chamber.air_temperature_c, tr=chamber.mean_radiant_temperature_c,
                                  v=chamber.air_speed_m_s, rh=chamber.relative_humidity_percent, met=SEATED_MET,
                                  clo=0.0, body_surface_area=body_surface_area(person.weight_kg, person.height_m),
                                  position="sitting", round_output=False)
        ends.append(float(out.t_core))
    return ends


def chamber_rise() -> list[float]:
    """Predicted rise of core temperature after Iguchi 2012's 30 minutes, for each of :func:`iguchi_cases`."""
    minutes = float(datasets()["iguchi2012_chamber"]["minutes"])
    return [curve.at(minutes) - curve.baseline_core_c for curve in heat_curves(iguchi_cases(), minutes)]


def _sex_colour(person: Person) -> str:
    """The figure's line colour for a body: men C0, women C3."""
    return "C0" if person.sex == "male" else "C3"


def figure_png(path) -> str:
    """Measured vs predicted, three panels (dome time to 38.5 degC; seated dry-heat rises, 73 degC chamber and 58
    degC sauna; the 71.1 degC sauna's end temperature), written to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..bibliography import citation

    d = datasets()
    fig, (a, b, su) = plt.subplots(1, 3, figsize=(17, 4.8))
    chamber = dome_chamber()
    m = d["mason2021_dome"]
    for person, style in zip(REFERENCE_PEOPLE + DOME_COHORT, ["-", "-"] + [":"] * len(DOME_COHORT)):
        c = simulate_core_temperature(person, chamber, heating_minutes=130)
        label = (f"JOS-3 {person.sex} {person.height_m:g} m {person.weight_kg:g} kg {person.age_years} y"
                 if style == "-" else None)
        a.plot(c.minutes, c.core_temperature_c, style, lw=1.5 if style == "-" else 0.8,
               color=_sex_colour(person), label=label)
    a.errorbar([m["minutes_to_38_5_mean"]], [38.5], xerr=[[m["minutes_to_38_5_sd"]], [m["minutes_to_38_5_sd"]]],
               fmt="ks", capsize=5, label="measured: mean +/- SD time to 38.5 C (n=25)")
    a.hlines(38.5, *m["minutes_to_38_5_range"], colors="k", linestyles="--", lw=0.8, label="measured range 61-110 min")
    a.set(xlabel="minutes in the dome", ylabel="core (rectal) temperature, C", ylim=(36.8, 39.2),
          title=f"Infrared dome, head out: {citation('mason2021_wbh').authors.split(',')[0]} et al. 2021\n"
                "(dome temperature fitted to the mean; dotted: bodies across 18-45 y, BMI<=30)")
    a.legend(fontsize=7, loc="upper left")
    i = d["iguchi2012_chamber"]
    cases = list(iguchi_cases())
    for (person, _), c in zip(cases, heat_curves(cases, float(i["minutes"]))):
        b.plot(c.minutes, [t - c.baseline_core_c for t in c.core_temperature_c],
               color=_sex_colour(person), lw=0.8, alpha=0.7)
    b.plot([i["minutes"]], [i["rise_c"]], "ks", ms=8, label="73 C chamber: measured mean rise at 30 min (n=25)")
    b.plot([], [], color="C0", label="JOS-3 men, cohort size +/-1 SD, room humidity 0.8-1.6 kPa")
    b.plot([], [], color="C3", label="JOS-3 women, same")
    mu = d["mundel2006_sauna"]
    for (person, _), c in zip(sauna_cases("mundel2006_sauna"), sauna_curves("mundel2006_sauna")):
        b.plot(c.minutes, [t - c.baseline_core_c for t in c.core_temperature_c], "--",
               color=_sex_colour(person), lw=0.8)
    b.plot([mu["minutes"]], [mu["rise_c"]], "k^", ms=8, label="58 C / 13 % RH sauna: measured ~rise at 60 min (n=16)")
    b.plot([], [], "k--", lw=0.8, label="JOS-3 in the 58 C sauna (dashed), two body sizes, both sexes")
    b.set(xlabel="minutes seated in the heat", ylabel="rise of core (rectal) temperature, C",
          title="Dry heat, seated: Iguchi et al. 2012 (73 C, 30 min), Mündel et al. 2006 (58 C)\n"
                "(JOS-3 over-predicts: by 0.2-0.5 C and by 0.7-0.8 C)")
    b.legend(fontsize=7, loc="upper left")
    s = d["su2025_sauna"]
    for (person, _), c in zip(sauna_cases("su2025_sauna"), sauna_curves("su2025_sauna")):
        su.plot(c.minutes, c.core_temperature_c, color=_sex_colour(person), lw=0.8)
    su.errorbar([s["minutes"]], [s["end_c"]], yerr=[s["end_sd_c"]], fmt="ks", capsize=5,
                label="measured rectal temperature at the end, mean +/- spread (n=22)")
    su.plot([], [], color="C0", label="JOS-3 men, two sizes, room humidity 0.8-1.6 kPa")
    su.plot([], [], color="C3", label="JOS-3 women, same")
    su.set(xlabel="minutes seated at 71.1 C", ylabel="core (rectal) temperature, C",
           title="Dry sauna device 71.1 C: Su et al. 2025\n(JOS-3 ends 0.5-1.1 C above the measured mean)")
    su.legend(fontsize=7, loc="upper left")
    for ax in (a, b, su):
        ax.title.set_fontsize(9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)
