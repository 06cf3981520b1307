"""A starter device file: a catalog device's own file, renamed and re-headed, for a person to edit and add.

The catalog's generic devices (one per kind) and its real products are complete, validated files; a person with
a device that is not in the catalog starts from the one most like it (``photodose device template --from ID``)
or from the generic one of its kind (``--kind panel``), changes what differs, and adds it
(``photodose device add FILE``). Every value stays tagged: a starter taken from a generic device is tagged
"assumption" (photodose's starter values, to be replaced), one taken from a real product keeps that product's
provenance.
"""

from __future__ import annotations

import re

from ..errors import require_choice

# one generic catalog device per kind of photodose.devices.model.DEVICE_KINDS (a test holds it)
GENERIC_BY_KIND = {"panel": "generic-panel-660-850", "wand": "generic-wand-660-850", "mask": "generic-mask-633-830",
                   "pad": "generic-pad-660-850", "headset": "generic-headset-810",
                   "laser_probe": "generic-laser-probe-808", "sauna_dome": "generic-infrared-sauna-dome"}

HEADER = """\
# A starter device file for photodose, from the catalog's {origin}.
# Change what differs on your device, then add it: photodose device add THIS_FILE
# - id: lower-case letters, digits, '.', '_' or '-', and not a built-in id; name: what you call the device.
# - Quantities carry their unit ("300 mW", "6 in", "20 nm"). A value can say where it comes from:
#     total_power: {{value: 300 mW, tag: claim, source: "maker's manual, p. 4"}}
#   tag: claim (the maker's figure), measurement (you or a lab measured it), model_fit, assumption (a guess),
#   illustrative. Values without their own tag take default_provenance.
# - claims: the maker's irradiance at a distance, with its source. Once added, `photodose device claims ID`
#   compares the model with them, and `photodose calibrate ID --reading "15 cm=62 mW/cm2" --save` fits the
#   power to your own meter readings.
"""
STARTER_PROVENANCE = ('default_provenance: {{tag: assumption, source: "photodose starter value (from the generic '
                      '{kind}); replace it with your device\'s own figure"}}')


def starter_id(kind: str | None = None, from_id: str | None = None) -> str:
    """The id a starter file gets: ``my-<kind>`` from a generic device, ``my-<its id>`` from a catalog device."""
    return f"my-{from_id}" if from_id is not None else f"my-{(kind or 'panel').replace('_', '-')}"


def device_template(kind: str | None = None, from_id: str | None = None) -> str:
    """The text of a starter device file: from the catalog device ``from_id`` (id ``my-<its id>``, name "My <its
    name>", its provenance kept), else from the generic device of ``kind`` (default: panel; id ``my-<kind>``, its
    illustrative values tagged as starter assumptions)."""
    from .catalog import load_device

    if from_id is None:
        kind = require_choice("kind", kind or "panel", list(GENERIC_BY_KIND))
        source = load_device(GENERIC_BY_KIND[kind])
    else:
        source = load_device(from_id)
    with open(source.file, encoding="utf-8") as handle:
        body = "".join(line for line in handle if not line.startswith("#"))  # the source file's own header
    if from_id is None:  # the generic devices' values are illustrative: in a person's file they are starters
        new_name = f"My {source.kind.replace('_', ' ')}"
        body = re.sub(r"^default_provenance: .*$", STARTER_PROVENANCE.format(kind=source.kind), body, count=1,
                      flags=re.M)
        body = re.sub(r"^source: .*$", 'source: "my own device (say where its figures come from: manual, product '
                                       'page, meter)"', body, count=1, flags=re.M)
    else:
        new_name = f"My {source.name}"
    body = re.sub(r"^id: .*$", f"id: {starter_id(kind, from_id)}", body, count=1, flags=re.M)
    body = re.sub(r"^name: .*$", f"name: {new_name}", body, count=1, flags=re.M)
    origin = f"generic {source.kind} ({source.id})" if from_id is None else f"{source.name} ({source.id})"
    return HEADER.format(origin=origin) + body
