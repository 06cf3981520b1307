"""Package data of the journal (see the provenance header of each file)."""
