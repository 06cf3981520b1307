"""The one place where files come in: bounded reading, UTF-8 decoding and bounded JSON/YAML/TOML parsing.

Every file a person gives photodose (device files, layer stacks, MCML inputs, screening answers, plans, journal
exports, web uploads) is read here, so that hostile input meets the same limits everywhere:

- only a regular file is read (a folder, a FIFO, ``/dev/zero`` or a socket is refused before it is opened for
  reading, and a FIFO is never opened, so it cannot block);
- at most ``max_bytes`` are read (the size is checked before and after reading);
- the bytes must be UTF-8 (a byte-order mark is allowed); the message says where the first bad byte is;
- JSON and YAML are parsed with a nesting limit (``MAX_DEPTH``), a limit on integer digits (``MAX_INT_DIGITS``:
  CPython refuses to convert integers longer than 4300 digits, with a ``ValueError``), no ``NaN`` literal in
  JSON (``Infinity``, which Python writes for "no limit", is left to each field's range check), and no YAML
  anchors or aliases (a few hundred bytes of nested aliases expand to gigabytes: the "billion laughs"). YAML
  is checked with the tokenizer (libyaml when present), whose work is linear in the text, before anything is
  built.

Every refusal is one :class:`~photodose.errors.PhotodoseInputError` naming the option the person typed
(``field``), the file and what is allowed. The limits are photodose's choices (unsourced): far above any real
device, stack, plan or answers file.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from .errors import PhotodoseInputError

MAX_FILE_BYTES = 2_000_000     # a device file, stack, plan or answers file is a few kB
MAX_EXPORT_BYTES = 20_000_000  # a journal export (years of sessions) or a web import
MAX_DEPTH = 32                 # a device file nests 4 levels, a plan about 6
MAX_INT_DIGITS = 100           # no quantity photodose reads has more digits than this
MAX_NODES = 1_000_000          # values in one document (lists, mappings and scalars together)

__all__ = ["MAX_FILE_BYTES", "MAX_EXPORT_BYTES", "MAX_DEPTH", "read_bytes", "read_text", "decode_text",
           "parse_json", "check_yaml_shape", "parse_yaml", "parse_toml", "parse_document", "load_document",
           "require_mapping", "check_text"]


def _refuse(field: str, value: object, allowed: str, source: str | None = None) -> PhotodoseInputError:
    return PhotodoseInputError(field, value, allowed, source)


def user_path(text: str | os.PathLike, field: str = "file") -> Path:
    """``text`` as a Path with ``~`` expanded; "~nobody/x" (no such user) is refused naming ``field``."""
    try:
        return Path(text).expanduser()
    except RuntimeError:  # "Could not determine home directory" for ~name of an unknown user
        raise _refuse(field, str(text), "a path whose ~ names your home or an existing user") from None


def read_bytes(path: str | os.PathLike, field: str = "file", *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes``; anything else is refused naming ``field``."""
    text_path = str(path)
    if "\x00" in text_path or len(text_path) > 4096:
        raise _refuse(field, text_path[:80], "a file name without NUL characters, at most 4096 characters")
    p = user_path(text_path, field)
    try:
        info = os.stat(p)
    except FileNotFoundError:
        raise _refuse(field, text_path, "an existing file") from None
    except (OSError, ValueError) as exc:
        raise _refuse(field, text_path, f"a readable file ({getattr(exc, 'strerror', None) or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(field, text_path, "a file, not a folder")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(field, text_path, "a regular file (not a pipe, device or socket)")
    if info.st_size > max_bytes:
        raise _refuse(field, text_path, f"a file of at most {max_bytes:,} bytes (it has {info.st_size:,})")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # replaced between the two looks
                raise _refuse(field, text_path, "a regular file (not a pipe, device or socket)")
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise _refuse(field, text_path, f"a readable file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise _refuse(field, text_path, f"a file of at most {max_bytes:,} bytes")
    return data


def decode_text(content: bytes, field: str = "file", source: str | None = None) -> str:
    """``content`` decoded as UTF-8 (a leading byte-order mark dropped); refused naming the first bad byte."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = content[exc.start:exc.start + 1].hex()
        raise _refuse(field, source or "file", f"UTF-8 text (byte 0x{bad} at offset {exc.start} is not UTF-8; "
                                               "save the file as UTF-8)") from None
    if "\x00" in text:
        raise _refuse(field, source or "file", f"a text file (NUL character at offset {text.index(chr(0))})")
    return text


def read_text(path: str | os.PathLike, field: str = "file", *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """UTF-8 text of the regular file ``path`` (see :func:`read_bytes` and :func:`decode_text`)."""
    return decode_text(read_bytes(path, field, max_bytes=max_bytes), field, str(path))


def check_text(value: object, field: str, *, max_chars: int | None = None) -> str:
    """``value`` as a string if it is valid Unicode (no unpaired surrogates, no NUL) and not too long."""
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _refuse(field, text.encode("utf-8", "replace").decode("utf-8")[:80],
                      "valid Unicode text (it holds an unpaired surrogate, e.g. bytes that are not UTF-8)") from None
    if "\x00" in text:
        raise _refuse(field, text.replace("\x00", "\\0")[:80], "text without NUL characters")
    if max_chars is not None and len(text) > max_chars:
        raise _refuse(field, text[:40] + "...", f"at most {max_chars} characters")
    return text


def _check_shape(doc: Any, field: str, source: str | None, max_depth: int) -> Any:
    """Refuse documents nested deeper than ``max_depth`` or with more than ``MAX_NODES`` values (iterative)."""
    stack = [(doc, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise _refuse(field, source or "file", f"at most {MAX_NODES:,} values in one file")
        if isinstance(node, dict):
            children = list(node.keys()) + list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            raise _refuse(field, source or "file", f"data nested at most {max_depth} levels deep")
        stack.extend((c, depth + 1) for c in children)
    return doc


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-+")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of at most {MAX_INT_DIGITS} digits")
    return int(text)


def _no_constant(name: str):
    if name in ("Infinity", "-Infinity"):  # Python's json writes "no limit" so; a range check decides per field
        return float(name.replace("Infinity", "inf"))
    raise ValueError(f"a number, not {name}")


_JSON_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _json_depth_ok(text: str, max_depth: int) -> int | None:
    """The offset where ``text`` first nests deeper than ``max_depth``, or None (strings skipped)."""
    depth = 0
    for match in _JSON_BRACKETS.finditer(text):
        c = match.group(0)
        if c in "[{":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif c in "]}":
            depth -= 1
    return None


def parse_json(text: str, field: str = "file", source: str | None = None, *, max_depth: int = MAX_DEPTH) -> Any:
    """JSON with the nesting, integer and constant limits of this module; refusals name ``field`` and line."""
    where = source or "file"
    deep = _json_depth_ok(text, max_depth)
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        raise _refuse(field, where, f"JSON nested at most {max_depth} levels deep (line {line})")
    try:
        doc = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _refuse(field, where, f"valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise _refuse(field, where, f"valid JSON ({_one_line(exc) or 'too deeply nested'})") from None
    return _check_shape(doc, field, source, max_depth)


def _yaml_loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_yaml_shape(text: str, field: str = "file", source: str | None = None, *,
                     max_depth: int = MAX_DEPTH) -> None:
    """Refuse YAML that is costly to build before building it: anchors and aliases, nesting deeper than
    ``max_depth``, syntax errors. Uses the tokenizer only, whose work is linear in the text."""
    import yaml

    where = source or "file"
    openers = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
               yaml.FlowSequenceStartToken)
    closers = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_yaml_loader()):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise _refuse(field, where, "YAML without anchors or aliases (&name / *name, line "
                                            f"{token.start_mark.line + 1})")
            if isinstance(token, openers):
                depth += 1
                if depth > max_depth:
                    raise _refuse(field, where, f"YAML nested at most {max_depth} levels deep "
                                                f"(line {token.start_mark.line + 1})")
            elif isinstance(token, closers):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _yaml_refusal(exc, field, where) from None


def _yaml_refusal(exc, field: str, where: str) -> PhotodoseInputError:
    mark = getattr(exc, "problem_mark", None)
    at = f" at line {mark.line + 1}" if mark is not None else ""
    return _refuse(field, where, f"valid YAML ({getattr(exc, 'problem', None) or 'syntax error'}{at})")


def parse_yaml(text: str, field: str = "file", source: str | None = None, *, max_depth: int = MAX_DEPTH) -> Any:
    """YAML (safe subset: plain data) without anchors or aliases, nested at most ``max_depth`` levels
    (checked by :func:`check_yaml_shape` before anything is built)."""
    import yaml

    where = source or "file"
    check_yaml_shape(text, field, source, max_depth=max_depth)
    try:
        doc = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise _yaml_refusal(exc, field, where) from None
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        raise _refuse(field, where, f"valid YAML ({_one_line(exc) or 'too deeply nested'})") from None
    _check_ints(doc, field, where)
    return _check_shape(doc, field, source, max_depth)


def _check_ints(doc: Any, field: str, where: str) -> None:
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, bool):
            continue
        if isinstance(node, int):
            if node.bit_length() > MAX_INT_DIGITS * 3.33:
                raise _refuse(field, where, f"integers of at most {MAX_INT_DIGITS} digits")
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def parse_toml(text: str, field: str = "file", source: str | None = None, *, max_depth: int = MAX_DEPTH) -> Any:
    """TOML (``tomllib``) with the nesting limit of this module."""
    import tomllib

    where = source or "file"
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _refuse(field, where, f"valid TOML ({_one_line(exc)})") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise _refuse(field, where, f"valid TOML ({_one_line(exc) or 'too deeply nested'})") from None
    _check_ints(doc, field, where)
    return _check_shape(doc, field, source, max_depth)


def parse_document(text: str, suffix: str, field: str = "file", source: str | None = None, *,
                   max_depth: int = MAX_DEPTH) -> Any:
    """Parse by file suffix: ``.json`` JSON, ``.toml`` TOML, anything else YAML (JSON is also YAML)."""
    suffix = suffix.lower()
    if suffix == ".json":
        return parse_json(text, field, source, max_depth=max_depth)
    if suffix == ".toml":
        return parse_toml(text, field, source, max_depth=max_depth)
    return parse_yaml(text, field, source, max_depth=max_depth)


def load_document(path: str | os.PathLike, field: str = "file", *, max_bytes: int = MAX_FILE_BYTES,
                  max_depth: int = MAX_DEPTH) -> Any:
    """Read and parse the JSON/YAML/TOML file ``path`` within every limit of this module."""
    text = read_text(path, field, max_bytes=max_bytes)
    return parse_document(text, Path(str(path)).suffix, field, str(path), max_depth=max_depth)


def require_mapping(doc: Any, field: str, source: str | None, what: str) -> dict:
    """``doc`` if it is a mapping, else refused: ``what`` says what the mapping holds."""
    if not isinstance(doc, dict):
        kind = "empty" if doc is None else f"a {type(doc).__name__}"
        raise _refuse(field, source or "file", f"a mapping of {what} (the file is {kind})")
    return doc


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160]
