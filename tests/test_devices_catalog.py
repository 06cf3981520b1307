"""Device catalog and device files: claims reproduced, provenance present, bad files refused by file and field."""

import textwrap

import pytest

from photodose.devices.catalog import DEFAULT_DEVICE_ID, add_user_device, list_devices, load_device
from photodose.devices.claims import claim_table
from photodose.devices.model import DEVICE_KINDS
from photodose.errors import PhotodoseInputError

CLAIM_TOLERANCE = 0.01  # the fitted model must reproduce each claim within 1 %

GOOD = """\
id: my-panel
name: My panel
kind: panel
default_distance: 6 in
layout: {kind: grid, rows: 4, columns: 5, pitch: 3 cm}
channels:
  - {id: "660", centre: 660 nm, fwhm: 18 nm, power_per_emitter: 200 mW, half_angle: 30 deg}
  - {id: "850", centre: 850 nm, fwhm: 30 nm, total_power: 4 W}
claims:
  - {irradiance: 50 mW/cm2, distance: 6 in, tag: measurement, source: my meter}
"""


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_catalog_claims_reproduced_and_30cm_beside_inverse_square(capsys):
    rows = [r for r in claim_table(list_devices()) if r["kind"] == "panel" and r["tag"] == "claim"]
    assert len(rows) >= 3
    with capsys.disabled():
        print("\ndevice                      claim@6in  model@6in  model@30cm  inverse-square@30cm")
        for r in rows:
            print(f"{r['device']:27s} {r['claimed_irradiance_mw_cm2']:9.1f} {r['model_at_claim_mw_cm2']:10.1f} "
                  f"{r['model_mw_cm2']:11.1f} {r['inverse_square_guess_mw_cm2']:20.1f}")
    for r in rows:
        assert r["claim_distance_mm"] == pytest.approx(152.4)
        assert abs(r["model_vs_claim_percent"]) < 100 * CLAIM_TOLERANCE, r["device"]
        # an extended panel falls off more slowly than a point source between 6 in and 30 cm
        assert r["model_mw_cm2"] > r["inverse_square_guess_mw_cm2"]
        assert r["model_mw_cm2"] < r["claimed_irradiance_mw_cm2"]


def test_catalog_covers_every_kind_and_tags_every_value():
    devices = list_devices()
    assert {d.kind for d in devices} == set(DEVICE_KINDS)
    for d in devices:
        for i, channel in enumerate(d.channels):
            key = "total_power" if channel.total_power_mw is not None else "power_per_emitter"
            tag = d.provenance_of(f"channels.{i}.{key}")
            assert tag is not None and tag.source, (d.id, key)
            if d.claims:  # a power behind a manufacturer claim is fitted, never passed off as a claim
                assert tag.tag == "model_fit", d.id
        assert all(claim.source for claim in d.claims)
    fitted = load_device("joovv-solo-3")
    power_tag = fitted.provenance_of("channels.0.total_power")
    assert power_tag.tag == "model_fit" and "not a manufacturer figure" in power_tag.source
    assert fitted.provenance_of("layout.rows").tag == "assumption"
    assert fitted.provenance_of("channels.0.centre").tag == "claim"


def test_default_demo_device_is_a_red_and_nir_panel():
    device = load_device(DEFAULT_DEVICE_ID)
    assert device.kind == "panel"
    assert sorted(c.wavelength_nm for c in device.channels) == [660.0, 850.0]
    assert device.provenance_of("channels.0.total_power").tag == "illustrative"


def test_units_in_files_and_user_devices(tmp_path, home):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD)
    device = add_user_device(path)
    assert device.default_distance_mm == pytest.approx(152.4)
    assert device.layout.pitch_mm == (30.0, 30.0)
    assert device.peak_power_mw(device.channel("660")) == pytest.approx(20 * 200.0)
    assert device.channel("850").total_power_mw == pytest.approx(4000.0)
    assert (home / "devices" / "my-panel.yaml").exists()
    assert load_device("my-panel").id == "my-panel"
    assert "my-panel" in [d.id for d in list_devices()]


def test_toml_device_file(tmp_path):
    path = tmp_path / "wand.toml"
    path.write_text(textwrap.dedent("""\
        id = "toml-wand"
        name = "TOML wand"
        kind = "wand"
        default_distance = "1 cm"
        [layout]
        kind = "positions"
        positions = ["0 cm, 0 cm", "1 cm, 0 cm"]
        [[channels]]
        id = "660"
        centre = "660 nm"
        total_power = {value = "150 mW", tag = "measurement", source = "bench meter"}
        """))
    device = load_device(str(path))
    assert device.layout.positions_mm == [(0.0, 0.0), (10.0, 0.0)]
    assert device.provenance_of("channels.0.total_power").tag == "measurement"


@pytest.mark.parametrize("old,new,field", [
    ("total_power: 4 W", "total_power: -4 W", "channels.1.total_power_mw"),
    ("fwhm: 18 nm", "fwhm: 0 nm", "channels.0.spectrum.fwhm_nm"),
    ("half_angle: 30 deg", "half_angle: 95 deg", "channels.0.half_angle_deg"),
    ("kind: panel", "kind: lamp", "kind"),
    ("default_distance: 6 in", "default_distance: 6 kg", "default_distance"),
    ("name: My panel\n", "", "name"),
    ("pitch: 3 cm", "pitch: 3 cm, rows_typo: 2", "layout.rows_typo"),
    ("rows: 4,", "rows: 100000000,", "layout"),  # 5e8 emitters would hang the irradiance grid
])
def test_bad_device_files_name_file_and_field(tmp_path, old, new, field):
    path = tmp_path / "bad.yaml"
    assert old in GOOD
    path.write_text(GOOD.replace(old, new))
    with pytest.raises(PhotodoseInputError) as info:
        add_user_device(path)
    assert info.value.field == field
    assert info.value.source == str(path)
    assert str(path) in str(info.value) and field in str(info.value)


def test_unknown_device_and_catalog_id_clash(tmp_path):
    with pytest.raises(PhotodoseInputError, match="joovv-solo-3"):
        load_device("no-such-device")
    path = tmp_path / "clash.yaml"
    path.write_text(GOOD.replace("id: my-panel", f"id: {DEFAULT_DEVICE_ID}"))
    with pytest.raises(PhotodoseInputError) as info:
        add_user_device(path)
    assert info.value.field == "id"


def test_malformed_yaml_is_refused_in_one_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n")
    with pytest.raises(PhotodoseInputError) as info:
        add_user_device(path)
    assert info.value.field == "file" and "\n" not in str(info.value)
