"""Plots and self-contained HTML reports of plans (matplotlib, Jinja2; images embedded as base64)."""
