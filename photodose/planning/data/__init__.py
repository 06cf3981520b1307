"""Package data of the planning stage (uncertainty ranges)."""
