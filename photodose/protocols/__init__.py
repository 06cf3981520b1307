"""Treatment protocols as package data: wavelengths, target, dose window, schedule, evidence and citations."""

from .library import get_protocol, list_protocols, load_citations
from ..bibliography import Citation
from .model import DoseWindow, Protocol

__all__ = ["Citation", "DoseWindow", "Protocol", "get_protocol", "list_protocols", "load_citations"]
