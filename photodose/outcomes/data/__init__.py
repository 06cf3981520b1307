"""Package data: instrument definitions (see the provenance header of each file)."""
