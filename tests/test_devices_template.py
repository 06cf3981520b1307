"""Starter device files (``photodose device template``): every one is a valid device file a person can add."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from photodose.cli import app
from photodose.devices.catalog import list_devices, load_device
from photodose.devices.files import read_device_file
from photodose.devices.model import DEVICE_KINDS
from photodose.devices.template import GENERIC_BY_KIND, device_template


def test_one_generic_catalog_device_per_kind():
    assert set(GENERIC_BY_KIND) == set(DEVICE_KINDS)
    assert all(load_device(device_id).kind == kind for kind, device_id in GENERIC_BY_KIND.items())


@pytest.mark.parametrize("kind", DEVICE_KINDS)
def test_generic_starter_is_a_valid_file_of_its_kind_with_starter_provenance(kind, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(device_template(kind=kind), encoding="utf-8")
    device = read_device_file(path)
    assert device.kind == kind and device.id == f"my-{kind.replace('_', '-')}"
    tags = {p.tag for p in device.provenance.values()}
    assert "illustrative" not in tags and "assumption" in tags   # photodose's demo values become starter guesses
    assert "photodose device add" in path.read_text()


@pytest.mark.parametrize("device_id", [d.id for d in list_devices() if d.id not in GENERIC_BY_KIND.values()])
def test_starter_from_a_real_product_keeps_its_provenance(device_id, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(device_template(from_id=device_id), encoding="utf-8")
    mine, source = read_device_file(path), load_device(device_id)
    assert mine.id == f"my-{device_id}" and mine.channels == source.channels and mine.claims == source.claims
    assert {k: v.tag for k, v in mine.provenance.items()} == {k: v.tag for k, v in source.provenance.items()}


def test_cli_writes_a_starter_that_device_add_accepts(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTODOSE_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    out = tmp_path / "wand.yaml"
    written = runner.invoke(app, ["device", "template", "--kind", "wand", "--output", str(out)])
    assert written.exit_code == 0 and out.exists()
    added = runner.invoke(app, ["device", "add", str(out)])
    assert added.exit_code == 0 and "added my-wand" in added.output
    both = runner.invoke(app, ["device", "template", "--kind", "panel", "--from", "joovv-solo-3"])
    assert both.exit_code == 2 and "either --kind or --from" in both.output
    bad = runner.invoke(app, ["device", "template", "--kind", "lamp"])
    assert bad.exit_code == 2 and "panel, wand, mask" in bad.output
