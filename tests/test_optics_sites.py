"""Body-site stacks: every site builds a valid LayerStack; overrides and phototypes behave."""

import pytest

from photodose.errors import PhotodoseInputError
from photodose.optics import SITES, body_stack, describe_stack, site_layers, tissue_properties
from photodose.optics.sites import resolve_site_name
from photodose.protocols import list_protocols
from photodose.optics.layers import LayerStack

REQUIRED_SITES = {"face", "scalp", "forehead", "neck", "shoulder", "upper_back", "lower_back", "abdomen", "thigh",
                  "knee", "calf", "forearm", "hand", "foot"}  # issue 2
JOINT_SITES = {"elbow", "hip", "ankle", "wrist", "heel", "finger"}  # sites the protocol library needs
STAND_IN_SOURCE = "stands in for"


@pytest.mark.parametrize("site", sorted(SITES))
def test_every_site_is_a_valid_stack_with_sources(site):
    stack = body_stack(site, 850)
    assert isinstance(stack, LayerStack)
    assert stack.n_above == 1.0 and stack.semi_infinite
    assert [layer.thickness_mm for layer in stack.layers[:-1]] == [l["thickness_mm"] for l in site_layers(site)[:-1]]
    assert all(l["source"] for l in site_layers(site))
    assert stack.layers[0].name == "epidermis"


def test_required_sites_present():
    assert REQUIRED_SITES | JOINT_SITES <= set(SITES)


@pytest.mark.parametrize("protocol", list_protocols(), ids=lambda p: p.id)
def test_every_protocol_names_a_site_by_its_canonical_name(protocol):
    assert protocol.site in SITES  # not an alias of another site (aliases hid stand-ins before)


@pytest.mark.parametrize("site", sorted(JOINT_SITES))
@pytest.mark.parametrize("wavelength_nm", [660, 850])
def test_joint_sites_round_trip_through_the_json_layers_format(site, wavelength_nm):
    stack = body_stack(site, wavelength_nm)
    assert LayerStack.from_json_dict(stack.to_json_dict()) == stack
    assert LayerStack.from_json_dict(describe_stack(site, wavelength_nm)) == stack
    assert [l.name for l in stack.layers[:3]] == ["epidermis", "dermis", "subcutaneous_fat"]
    assert stack.semi_infinite and all(l.thickness_mm > 0 for l in stack.layers[:-1])


@pytest.mark.parametrize("site", sorted(SITES))
def test_tendon_like_layers_say_the_dermis_preset_stands_in(site):
    for layer in site_layers(site):
        if layer["name"] in ("tendon", "retinaculum", "plantar_fascia"):
            assert layer["tissue"] == "dermis" and STAND_IN_SOURCE in layer["source"]


def test_cited_thicknesses_match_their_sources():
    by_site = {site: {l["name"]: l for l in site_layers(site)} for site in ("ankle", "elbow", "heel", "face")}
    assert by_site["ankle"]["tendon"]["thickness_mm"] == pytest.approx(5.23, abs=0.05)  # Ying 2003 mean
    assert "12754062" in by_site["ankle"]["tendon"]["source"]
    assert by_site["elbow"]["tendon"]["thickness_mm"] == pytest.approx((4.60 + 4.22) / 2, abs=0.05)
    assert "23417733" in by_site["elbow"]["tendon"]["source"]
    assert 2.0 <= by_site["heel"]["plantar_fascia"]["thickness_mm"] <= 4.0  # control range, Aggarwal 2020
    heel_pad_mm = sum(by_site["heel"][n]["thickness_mm"] for n in ("epidermis", "dermis", "subcutaneous_fat"))
    assert heel_pad_mm == pytest.approx(20.0)  # Uzel 2006 unloaded heel pad
    face_skin_mm = by_site["face"]["epidermis"]["thickness_mm"] + by_site["face"]["dermis"]["thickness_mm"]
    assert face_skin_mm == pytest.approx(1.0)  # Iyengar 2018, ~0.1 cm over the zygoma


def test_forehead_is_a_transcranial_stack():
    names = [layer.name for layer in body_stack("head", 810).layers]
    assert names == ["epidermis", "scalp", "skull", "csf", "grey_matter", "white_matter"]


def test_layer_optics_come_from_the_presets():
    stack = body_stack("forearm", 660, skin_type="V")
    dermis = tissue_properties("dermis", 660)
    epidermis = tissue_properties("epidermis", 660, skin_type="V")
    assert stack.layers[1].mua_per_cm == pytest.approx(dermis.mua_per_cm)
    assert stack.layers[0].mua_per_cm == pytest.approx(epidermis.mua_per_cm)


def test_darker_skin_changes_only_the_epidermis():
    light, dark = body_stack("calf", 850, "I"), body_stack("calf", 850, "VI")
    assert dark.layers[0].mua_per_cm > 5 * light.layers[0].mua_per_cm
    assert [l.mua_per_cm for l in dark.layers[1:]] == [l.mua_per_cm for l in light.layers[1:]]


def test_thickness_overrides():
    stack = body_stack("abdomen", 850, thickness_mm={"subcutaneous_fat": 35.0, "fat": 36.0, "muscle": 20.0})
    by_name = {l.name: l.thickness_mm for l in stack.layers}
    assert by_name["subcutaneous_fat"] == 36.0  # "fat" names the same layer; the later one wins
    assert by_name["muscle"] == 20.0 and not stack.semi_infinite
    assert body_stack("abdomen", 850).layers[2].thickness_mm == 20.0  # defaults untouched


@pytest.mark.parametrize("overrides,match", [({"bone": 2.0}, "layers of site forearm"),
                                             ({"dermis": -1.0}, "thickness_mm.dermis"),
                                             ({"dermis": 0.0}, r"\(0, 1000\] mm")])
def test_bad_overrides_are_refused(overrides, match):
    with pytest.raises(PhotodoseInputError, match=match):
        body_stack("forearm", 850, thickness_mm=overrides)


def test_unknown_site_and_bad_wavelength():
    with pytest.raises(PhotodoseInputError, match="allowed: face"):
        body_stack("elbowpit", 850)
    assert resolve_site_name("Tennis elbow") == "elbow" and resolve_site_name("achilles") == "ankle"
    with pytest.raises(PhotodoseInputError, match="wavelength_nm"):
        body_stack("forearm", 350)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf"), 1e9])
def test_impossible_thickness_overrides_are_refused_with_the_range(bad):
    with pytest.raises(PhotodoseInputError, match=r"\(0, 1000\] mm"):
        body_stack("knee", 850, thickness_mm={"subcutaneous_fat": bad})


@pytest.mark.parametrize("site,layer,preset,nm", [
    ("thigh", "subcutaneous_fat", "subcutaneous_fat_bashkatov", 810),
    ("abdomen", "fat", "fat_cassano2019", 850),            # aliases for the layer and the preset
    ("forehead", "grey_matter", "grey_matter", 660),       # Jacques' generic grey matter instead of Cassano 2019
    ("forehead", "skull", "skull", 810),
])
def test_swapped_preset_layer_equals_that_presets_properties(site, layer, preset, nm):
    stack = body_stack(site, nm, "IV", tissue={layer: preset})
    default = body_stack(site, nm, "IV")
    swapped = [i for i, (a, b) in enumerate(zip(stack.layers, default.layers)) if a != b]
    assert len(swapped) == 1  # only the chosen layer changes
    expected = tissue_properties(preset, nm, "IV").to_layer(default.layers[swapped[0]].name,
                                                             default.layers[swapped[0]].thickness_mm)
    assert stack.layers[swapped[0]] == expected
    described = describe_stack(site, nm, "IV", tissue={layer: preset})["layers"][swapped[0]]
    assert described["tissue"] == tissue_properties(preset, nm).tissue
    assert "given by the user" in described["tissue_source"]


def test_tissue_choice_and_thickness_override_combine():
    stack = body_stack("thigh", 810, thickness_mm={"fat": 3.0}, tissue={"subcutaneous_fat": "fat_bashkatov"})
    assert stack.layers[2] == tissue_properties("subcutaneous_fat_bashkatov", 810).to_layer("subcutaneous_fat", 3.0)


def test_keeping_the_epidermis_preset_keeps_the_phototype():
    dark = body_stack("forearm", 660, "VI", tissue={"epidermis": "epidermis"})
    assert dark == body_stack("forearm", 660, "VI")
    assert dark.layers[0].mua_per_cm > 5 * body_stack("forearm", 660, "I").layers[0].mua_per_cm


@pytest.mark.parametrize("tissue,match", [
    ({"liver": "dermis"}, r"tissue layer='liver'.*layers of site forearm: epidermis, dermis"),
    ({"dermis": "liver"}, r"tissue.dermis='liver'.*tissue presets: .*subcutaneous_fat_bashkatov"),
    ({"epidermis": "dermis"}, r"tissue.epidermis='dermis'.*melanin; pigmented presets: epidermis"),
])
def test_bad_tissue_choices_are_refused_naming_layer_or_preset(tissue, match):
    with pytest.raises(PhotodoseInputError, match=match):
        body_stack("forearm", 850, tissue=tissue)
