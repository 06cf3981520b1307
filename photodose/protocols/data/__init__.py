"""Protocol library data files (YAML)."""
