"""Load the protocol library and citation registry shipped in ``photodose/protocols/data``."""

from __future__ import annotations

from functools import lru_cache

from ..errors import require_choice
from ..package_data import load_yaml
from ..bibliography import Citation, bibliography
from .model import Protocol


def _read_yaml(name: str) -> dict:
    return load_yaml(__package__, "data", name)


def load_citations() -> dict[str, Citation]:
    """Citation registry keyed by citation key (the package bibliography)."""
    return bibliography()


@lru_cache(maxsize=1)
def _protocols() -> dict[str, Protocol]:
    citations = load_citations()
    out: dict[str, Protocol] = {}
    for entry in _read_yaml("protocols.yaml")["protocols"]:
        protocol = Protocol(**entry)
        missing = [k for k in protocol.citation_keys() if k not in citations]
        if missing:
            raise ValueError(f"protocol {protocol.id}: unknown citation keys {missing}")
        out[protocol.id] = protocol
    return out


def list_protocols() -> list[Protocol]:
    """All protocols in file order."""
    return list(_protocols().values())


def get_protocol(protocol_id: str) -> Protocol:
    """The protocol ``protocol_id``; PhotodoseInputError listing the ids when unknown."""
    protocols = _protocols()
    return protocols[require_choice("condition", protocol_id, list(protocols))]


def citations_for(protocol: Protocol) -> list[Citation]:
    """The protocol's citations, resolved from the registry."""
    registry = load_citations()
    return [registry[k] for k in protocol.citation_keys()]
