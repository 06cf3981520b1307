"""Body-site stacks: every site builds a valid LayerStack; overrides and phototypes behave."""

import pytest

from photodose.errors import PhotodoseInputError
from photodose.optics import SITES, body_stack, site_layers, tissue_properties
from photodose.transport.layers import LayerStack

REQUIRED_SITES = {"face", "scalp", "forehead", "neck", "shoulder", "upper_back", "lower_back", "abdomen", "thigh",
                  "knee", "calf", "forearm", "hand", "foot"}


@pytest.mark.parametrize("site", sorted(SITES))
def test_every_site_is_a_valid_stack_with_sources(site):
    stack = body_stack(site, 850)
    assert isinstance(stack, LayerStack)
    assert stack.n_above == 1.0 and stack.semi_infinite
    assert [layer.thickness_mm for layer in stack.layers[:-1]] == [l["thickness_mm"] for l in site_layers(site)[:-1]]
    assert all(l["source"] for l in site_layers(site))
    assert stack.layers[0].name == "epidermis"


def test_required_sites_present():
    assert REQUIRED_SITES <= set(SITES)


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
                                             ({"dermis": 0.0}, "> 0 mm")])
def test_bad_overrides_are_refused(overrides, match):
    with pytest.raises(PhotodoseInputError, match=match):
        body_stack("forearm", 850, thickness_mm=overrides)


def test_unknown_site_and_bad_wavelength():
    with pytest.raises(PhotodoseInputError, match="allowed: face"):
        body_stack("elbowpit", 850)
    with pytest.raises(PhotodoseInputError, match="wavelength_nm"):
        body_stack("forearm", 350)
