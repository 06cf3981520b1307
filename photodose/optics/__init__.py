"""Optical properties of tissue from chromophores, tissue presets, body-site stacks, emission spectra."""
