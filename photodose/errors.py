"""Errors that reach a person as one clear line (field, value, what is allowed), never as a traceback."""

from __future__ import annotations


class PhotodoseInputError(ValueError):
    """Bad input from a person or a file.

    ``field`` names what was wrong, ``value`` what was given, ``allowed`` what would be accepted;
    ``source`` optionally names the file (and line) it came from.
    """

    def __init__(self, field: str, value: object, allowed: str, source: str | None = None):
        self.field = field
        self.value = value
        self.allowed = allowed
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{field}={value!r} is not allowed; {allowed}")

    def __reduce__(self):
        """Rebuild from the same fields (pickling, e.g. when Dask sends the error from a worker)."""
        return (type(self), (self.field, self.value, self.allowed, self.source))


def require_in_range(field: str, value: float, low: float | None = None, high: float | None = None,
                     *, low_inclusive: bool = True, high_inclusive: bool = True, source: str | None = None) -> float:
    """Return ``value`` if it lies in the range, else raise :class:`PhotodoseInputError` naming the range."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise PhotodoseInputError(field, value, "expected a number", source) from None
    if v != v:  # NaN
        raise PhotodoseInputError(field, value, "expected a number, got NaN", source)
    if v in (float("inf"), float("-inf")):
        raise PhotodoseInputError(field, value, "expected a finite number", source)
    lo_ok = low is None or (v >= low if low_inclusive else v > low)
    hi_ok = high is None or (v <= high if high_inclusive else v < high)
    if not (lo_ok and hi_ok):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        lb = "[" if low_inclusive and low is not None else "("
        rb = "]" if high_inclusive and high is not None else ")"
        raise PhotodoseInputError(field, value, f"allowed range is {lb}{lo}, {hi}{rb}", source)
    return v


def did_you_mean(value: object, choices, *, aliases=()) -> str:
    """"did you mean 'x'? " for the closest of ``choices`` (or ``aliases``, mapped to their choice) to ``value``
    (difflib ratio >= 0.6, ignoring case, spaces, hyphens and underscores), else ""."""
    import difflib

    def norm(text: object) -> str:
        return "".join(ch for ch in str(text).lower() if ch.isalnum())

    targets = {norm(c): str(c) for c in choices}
    targets.update({norm(a): str(c) for a, c in dict(aliases).items() if norm(a) not in targets})
    key = norm(value)
    if not key:
        return ""
    match = difflib.get_close_matches(key, list(targets), n=1, cutoff=0.6)
    if not match:  # a prefix of exactly one choice ("kne" -> knee)
        starts = {v for k, v in targets.items() if k.startswith(key) or key.startswith(k) and len(k) >= 3}
        match = [k for k, v in targets.items() if v in starts][:1] if len(starts) == 1 else []
    return f"did you mean '{targets[match[0]]}'? " if match else ""


def require_choice(field: str, value: str, choices, source: str | None = None) -> str:
    """Return ``value`` if it is one of ``choices`` (case-insensitive), else raise naming the choices and the
    closest one."""
    lookup = {str(c).lower(): c for c in choices}
    key = str(value).strip().lower()
    if key not in lookup:
        raise PhotodoseInputError(field, value, did_you_mean(value, choices)
                                  + "allowed: " + ", ".join(str(c) for c in choices), source)
    return lookup[key]
