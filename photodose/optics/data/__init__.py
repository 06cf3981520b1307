"""Package data for photodose.optics: spectra (with provenance headers), tissue presets, phototypes, body sites."""
