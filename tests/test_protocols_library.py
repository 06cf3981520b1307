"""The protocol library: every entry complete, every citation resolvable, unsourced rules labelled."""

import json

import pytest
from pydantic import ValidationError

from photodose.cli import app
from photodose.errors import PhotodoseInputError
from photodose.optics.sites import resolve_site_name, site_layers
from photodose.protocols import DoseWindow, get_protocol, list_protocols, load_citations
from photodose.protocols.library import citations_for

REQUIRED_CONDITIONS = ["skin-rejuvenation", "acne", "wound-healing", "scars", "psoriasis-eczema-redness",
                       "hair-growth", "muscle-recovery-thighs-glutes", "muscle-recovery-shoulders-upper-back",
                       "muscle-recovery-calves-hamstrings", "knee-osteoarthritis", "shoulder-glenohumeral",
                       "elbow-joint", "lower-back", "hand-finger-joints", "hip", "lateral-epicondylitis",
                       "achilles-tendinopathy", "circulation-hands-feet", "depression-transcranial",
                       "cognition-transcranial"]


def test_library_covers_the_issue_conditions():
    ids = {p.id for p in list_protocols()}
    assert set(REQUIRED_CONDITIONS) <= ids


@pytest.mark.parametrize("protocol", list_protocols(), ids=lambda p: p.id)
def test_every_entry_is_complete_and_sourced(protocol):
    assert protocol.wavelengths_nm and all(400 <= nm <= 1400 for nm in protocol.wavelengths_nm)
    resolve_site_name(protocol.site)  # a site the optics stage knows
    assert protocol.session.min_s <= protocol.session.max_s
    assert protocol.schedule.sessions_per_week >= 1 and protocol.schedule.weeks >= 1
    for part in (protocol.skin_window, protocol.target_window, protocol.session, protocol.schedule):
        if part is not None:
            assert part.source
            assert part.unsourced or part.citations, f"{protocol.id}: a sourced rule must cite something"
    if protocol.evidence.level == "unsourced":
        assert not protocol.evidence.citations
    else:
        assert protocol.evidence.citations
    for c in citations_for(protocol):
        assert c.doi or c.pmid or c.pmcid or "organisation document" in c.journal


def test_citations_are_those_of_the_reference():
    cites = load_citations()
    assert cites["cassano2018_elated2"].pmid == "30346890"
    assert cites["iosifescu2022_elated3"].pmid == "35950904"
    assert cites["huang2009"].volume_pages.startswith("7(4):358")
    assert cites["henderson2017"].volume_pages == "8:187"


def test_seed_window_is_labelled_unsourced_and_says_what_huang_supports():
    w = get_protocol("acne").skin_window
    assert (w.low_j_cm2, w.high_j_cm2) == (4, 60) and w.unsourced
    assert "biphasic" in w.source and "not the numbers" in w.source


def test_transcranial_depression_evidence_is_mixed_and_names_elated3():
    p = get_protocol("depression-transcranial")
    assert p.evidence.level == "mixed"
    assert "no difference from sham" in p.evidence.statement
    assert {"cassano2018_elated2", "iosifescu2022_elated3", "henderson2017"} <= set(p.evidence.citations)
    assert p.wavelengths_nm == (823,)
    assert p.skin_window.high_j_cm2 == 65.2
    assert (p.schedule.sessions_per_week, p.schedule.weeks) == (2, 8)


def test_walt_entries_and_unverified_knee():
    assert "UNVERIFIED" in get_protocol("knee-osteoarthritis").evidence.level
    assert get_protocol("lateral-epicondylitis").max_irradiance.value_mw_cm2 == 100
    assert get_protocol("achilles-tendinopathy").max_irradiance.value_mw_cm2 == 100
    assert "4-8 points, 16 J" in get_protocol("lower-back").reference_dose
    assert get_protocol("cognition-transcranial").evidence.level == "early"


def test_bad_entries_and_ids_are_refused():
    with pytest.raises(ValidationError):
        DoseWindow(low_j_cm2=10, high_j_cm2=5, source="x", unsourced=True)
    with pytest.raises(PhotodoseInputError, match="knee-osteoarthritis"):
        get_protocol("no-such-condition")


def test_protocols_cli_json():
    from typer.testing import CliRunner

    runner = CliRunner()
    out = runner.invoke(app, ["protocols", "list", "--json"])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert len(data["protocols"]) == len(list_protocols())
    assert "does not diagnose" in data["note"]
    show = runner.invoke(app, ["protocols", "show", "depression-transcranial", "--json"])
    doc = json.loads(show.stdout)
    assert doc["evidence"]["level"] == "mixed"
    assert any("ELATED-3" in c["title"] for c in doc["citation_list"])
    human = runner.invoke(app, ["protocols", "show", "acne"])
    assert "unsourced" in human.stdout and "does not diagnose" in human.stdout


def _layer_at_depth(site: str, depth_mm: float) -> str:
    top_mm = 0.0
    for layer in site_layers(site):
        if layer["thickness_mm"] is None or depth_mm < top_mm + layer["thickness_mm"]:
            return layer["name"]
        top_mm += layer["thickness_mm"]
    raise AssertionError("unreachable: the last layer is semi-infinite")


@pytest.mark.parametrize("condition,site,layer", [
    ("lateral-epicondylitis", "elbow", "tendon"), ("elbow-joint", "elbow", "tendon"),
    ("achilles-tendinopathy", "ankle", "tendon"), ("plantar-fasciitis", "heel", "plantar_fascia"),
    ("carpal-tunnel", "wrist", "tendon"), ("hip", "hip", "muscle"), ("hand-finger-joints", "finger", "tendon"),
])
def test_joint_and_tendon_targets_sit_in_their_real_site(condition, site, layer):
    p = get_protocol(condition)
    assert p.site == site and p.site_note is None  # no stand-in site any more
    assert _layer_at_depth(site, p.target.depth_mm) == layer
    assert "unsourced" in p.target.source


def test_no_protocol_says_a_stack_is_missing():
    assert not [p.id for p in list_protocols() if p.site_note and "stands in" in p.site_note]


@pytest.mark.parametrize("site", ["wristband", "achilles"])  # unknown, and an alias of "ankle"
def test_protocol_site_must_be_a_canonical_optics_site(site):
    from photodose.protocols.model import Protocol

    entry = get_protocol("achilles-tendinopathy").model_dump()
    assert Protocol(**entry).site == "ankle"
    with pytest.raises(ValidationError, match="not a body site"):
        Protocol(**{**entry, "site": site})


def test_protocol_list_on_a_narrow_terminal_cuts_no_cell_and_names_the_heat_protocols():
    """At 80 columns every id and evidence label is printed whole (the table's cells were cut to "eviden…"), and
    the whole-body hyperthermia protocol is listed beside the light ones."""
    from typer.testing import CliRunner

    out = CliRunner().invoke(app, ["protocols", "list"], env={"COLUMNS": "80"})
    assert out.exit_code == 0 and "…" not in out.stdout
    flat = " ".join(out.stdout.split())
    for p in list_protocols():
        assert p.id in flat and p.evidence.label in flat
    assert "depression-whole-body-hyperthermia: rectal core 38.5 °C held 2 min" in flat
    data = json.loads(CliRunner().invoke(app, ["protocols", "list", "--json"]).stdout)
    assert [h["id"] for h in data["heat_protocols"]] == ["depression-whole-body-hyperthermia"]


def test_protocols_show_gives_a_heat_protocol_with_its_sources():
    from typer.testing import CliRunner

    runner = CliRunner()
    doc = json.loads(runner.invoke(app, ["protocols", "show", "depression-whole-body-hyperthermia", "--json"]).stdout)
    assert doc["target_core_c"] == 38.5 and doc["kind"] == "whole-body hyperthermia"
    assert any("JAMA Psychiatry" in c["text"] for c in doc["citation_list"])
    human = runner.invoke(app, ["protocols", "show", "depression-whole-body-hyperthermia"])
    assert human.exit_code == 0 and "generic-infrared-sauna-dome" in human.stdout
    typo = runner.invoke(app, ["protocols", "show", "depresion-whole-body"])
    assert typo.exit_code == 2 and "did you mean 'depression-whole-body-hyperthermia'" in typo.output
