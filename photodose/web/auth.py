"""Web login users: argon2 password hashes in a JSON file, and the rule that only loopback binds may skip login.

The file lives in ``PHOTODOSE_HOME`` when set, else platformdirs ``user_config_dir("photodose")``; it maps a user
name to its argon2id hash and is written with mode 0600.
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

from ..errors import PhotodoseInputError

USERS_FILENAME = "web_users.json"
DEFAULT_USER = "admin"
MIN_PASSWORD_CHARS = 8


def users_file() -> Path:
    """Where the web users' password hashes are stored."""
    home = os.environ.get("PHOTODOSE_HOME")
    if home:
        return Path(home).expanduser() / USERS_FILENAME
    from platformdirs import user_config_dir

    return Path(user_config_dir("photodose")) / USERS_FILENAME


def _read() -> dict[str, str]:
    path = users_file()
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def has_users() -> bool:
    return bool(_read())


def set_password(user: str, password: str) -> Path:
    """Store (or replace) ``user``'s password as an argon2id hash; returns the file written."""
    from argon2 import PasswordHasher

    user = (user or "").strip()
    if not user or len(user) > 100:
        raise PhotodoseInputError("user", user, "a user name of 1-100 characters")
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise PhotodoseInputError("password", "***", f"at least {MIN_PASSWORD_CHARS} characters")
    users = _read()
    users[user] = PasswordHasher().hash(password)
    path = users_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(users, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


def verify_password(user: str, password: str) -> bool:
    """True when ``password`` matches ``user``'s stored hash (constant work for unknown users)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()
    stored = _read().get(user)
    try:
        if stored is None:
            hasher.verify(hasher.hash("not-a-user"), password or "x")
            return False
        return hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return False


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; anything else (including 0.0.0.0) is a network bind."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
