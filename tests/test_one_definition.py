"""One definition of each thing: the layer at a depth, the visible band. Each test fails on the old split copies."""

import numpy as np
import pytest

from photodose.optics.layers import layer_index_at


def test_layer_index_at_boundaries_and_outside():
    bounds_mm = [0.0, 0.1, 1.6, 5.6, np.inf]  # epidermis, dermis, fat, semi-infinite muscle
    depths = [-1.0, 0.0, 0.05, 0.1, 1.0, 1.6, 100.0]
    assert layer_index_at(bounds_mm, depths).tolist() == [0, 0, 0, 1, 1, 2, 3]
    assert layer_index_at([0.0, 1.0, 2.0], [5.0]).tolist() == [1]  # below a finite stack: the last layer


@pytest.mark.parametrize("wavelength_nm, visible", [(650.0, True), (750.0, True), (800.0, False)])
def test_pulsed_visible_is_the_same_band_for_plans_and_devices(wavelength_nm, visible):
    """The planner's link called < 700 nm visible and `safety device` 380-780 nm: a pulsed 750 nm LED was
    visible to one and not to the other."""
    from photodose.devices.catalog import load_device
    from photodose.devices.model import Pulsing
    from photodose.planning.safety_link import session_context
    from photodose.safety.from_device import device_context_fields

    base = load_device("generic-panel-660-850")
    channel = base.channels[0].model_copy(update={"pulsing": Pulsing(frequency_hz=10.0, duty_cycle=0.5)})
    spectrum = channel.spectrum.model_copy(update={"centre_nm": wavelength_nm})
    device = base.model_copy(update={"channels": [channel.model_copy(update={"spectrum": spectrum})]})
    assert device.channels[0].wavelength_nm == wavelength_nm
    planned = session_context(device, site="knee", distance_mm=300.0, session_seconds=600.0)
    assert planned.pulsed_visible is visible
    assert device_context_fields(device, 300.0)["pulsed_visible"] is visible
