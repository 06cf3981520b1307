"""Web login users: argon2 password hashes in a JSON file, login throttling, and the bind rules (which host names
are served, and that only loopback binds may skip login).

The file lives in ``PHOTODOSE_HOME`` when set, else platformdirs ``user_config_dir("photodose")``; it maps a user
name to its argon2id hash and is written with mode 0600.

Verification is the slow part of a login by design (argon2id: memory- and time-hard). It runs in worker threads,
at most ``HASH_WORKERS`` at a time, so guessing clients queue among themselves instead of stalling every page; an
unknown user name is verified against a dummy hash of the same parameters, so the answer takes the same time.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import os
import socket
import threading
import time
import weakref
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from ..errors import PhotodoseInputError

USERS_FILENAME = "web_users.json"
SECRET_FILENAME = "web_secret_key"
DEFAULT_USER = "admin"
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024  # argon2 hashes any length; a megabyte "password" is only a way to burn CPU
RESERVED_USERS = frozenset({"local"})  # the no-login user that owns the command line's profiles
HASH_WORKERS = 2
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def users_file() -> Path:
    """Where the web users' password hashes are stored."""
    home = os.environ.get("PHOTODOSE_HOME")
    if home:
        return Path(home).expanduser() / USERS_FILENAME
    from platformdirs import user_config_dir

    return Path(user_config_dir("photodose")) / USERS_FILENAME


_cache: dict[str, tuple[tuple, dict[str, str]]] = {}
_cache_lock = threading.Lock()


def _read() -> dict[str, str]:
    """The users file (re-read when its size or modification time changes)."""
    path = users_file()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    with _cache_lock:
        cached = _cache.get(str(path))
        if cached and cached[0] == key:
            return cached[1]
    users = json.loads(path.read_text(encoding="utf-8"))
    with _cache_lock:
        _cache[str(path)] = (key, users)
    return users


def _write(users: dict[str, str]) -> Path:
    path = users_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(users, indent=2))
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


def has_users() -> bool:
    return bool(_read())


def check_user_name(user: str) -> str:
    user = (user or "").strip()
    if not user or len(user) > 100:
        raise PhotodoseInputError("user", user[:100], "a user name of 1-100 characters")
    if user.lower() in RESERVED_USERS:
        raise PhotodoseInputError("user", user, "a name other than " + ", ".join(sorted(RESERVED_USERS))
                                  + " (reserved for the command line's own profiles)")
    return user


def set_password(user: str, password: str) -> Path:
    """Store (or replace) ``user``'s password as an argon2id hash; returns the file written. Replacing a password
    ends that user's open web sessions (their credential fingerprint no longer matches)."""
    from argon2 import PasswordHasher

    user = check_user_name(user)
    if not MIN_PASSWORD_CHARS <= len(password or "") <= MAX_PASSWORD_CHARS:
        raise PhotodoseInputError("password", "***", f"{MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")
    users = dict(_read())
    users[user] = PasswordHasher().hash(password)
    return _write(users)


def remove_user(user: str) -> Path:
    """Remove ``user`` (their open web sessions end with it)."""
    users = dict(_read())
    if user not in users:
        raise PhotodoseInputError("user", user, "one of: " + (", ".join(sorted(users)) or "no users yet"))
    del users[user]
    return _write(users)


def credential(user: str) -> str | None:
    """A fingerprint of ``user``'s stored hash (None for an unknown user): a login session is valid only while it
    matches, so a new password or a removed user ends every session opened before."""
    stored = _read().get(user)
    if stored is None or user.lower() in RESERVED_USERS:
        return None
    return hashlib.sha256(stored.encode()).hexdigest()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash("photodose: no such user")


def verify_password(user: str, password: str) -> bool:
    """True when ``password`` matches ``user``'s stored hash. An unknown or reserved user costs one verification
    against a dummy hash with the same parameters (the same time as a wrong password)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    password = password or ""
    stored = _read().get(user) if user.lower() not in RESERVED_USERS else None
    if len(password) > MAX_PASSWORD_CHARS:
        password = password[:MAX_PASSWORD_CHARS]
        stored = None
    try:
        if stored is None:
            PasswordHasher().verify(_dummy_hash(), password)
            return False
        return PasswordHasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


_hash_limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # one per event loop


async def verify_password_async(user: str, password: str) -> bool:
    """:func:`verify_password` in a worker thread (at most ``HASH_WORKERS`` at once), off the event loop."""
    import asyncio

    import anyio
    import anyio.to_thread

    loop = asyncio.get_running_loop()
    limiter = _hash_limiters.get(loop)
    if limiter is None:
        limiter = _hash_limiters[loop] = anyio.CapacityLimiter(HASH_WORKERS)
    return await anyio.to_thread.run_sync(verify_password, user, password, limiter=limiter)


def secret_key() -> str:
    """The key that signs session cookies, kept beside the users file (mode 0600) so that sessions and open forms
    survive a restart; a login still needs its server-side session (``login_sessions``)."""
    import secrets

    path = users_file().with_name(SECRET_FILENAME)
    try:
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


class LoginThrottle:
    """Failed logins per client address and per user name, with exponential backoff.

    After ``free_failures`` failures a key must wait ``base_s * 2**(n - free_failures)`` seconds (at most
    ``max_wait_s``) after its last failure before the next try is even verified. At most ``max_keys`` keys are
    remembered (least recently failed dropped first), so guessing from many addresses cannot exhaust memory.
    Policy values are photodose assumptions (unsourced), in the spirit of rate-limited guessing (NIST SP 800-63B
    section 5.2.2 asks for a limit on failed attempts but sets no numbers for a local app).
    """

    def __init__(self, *, free_failures: int = 5, base_s: float = 1.0, max_wait_s: float = 300.0,
                 forget_after_s: float = 3600.0, max_keys: int = 10_000, clock=time.monotonic):
        self.free_failures, self.base_s, self.max_wait_s = free_failures, base_s, max_wait_s
        self.forget_after_s, self.max_keys, self.clock = forget_after_s, max_keys, clock
        self._failures: OrderedDict[tuple[str, str], tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _wait_s(self, key) -> float:
        entry = self._failures.get(key)
        if entry is None:
            return 0.0
        count, last = entry
        now = self.clock()
        if now - last > self.forget_after_s:
            del self._failures[key]
            return 0.0
        if count < self.free_failures:
            return 0.0
        wait = min(self.max_wait_s, self.base_s * 2.0 ** (count - self.free_failures))
        return max(0.0, last + wait - now)

    def retry_after_s(self, address: str, user: str) -> int:
        """Seconds this address or user name must still wait (0: may try now)."""
        with self._lock:
            wait = max(self._wait_s(("addr", address)), self._wait_s(("user", user.lower())))
        return math.ceil(wait)

    def failed(self, address: str, user: str) -> None:
        with self._lock:
            now = self.clock()
            for key in (("addr", address), ("user", user.lower()[:100])):
                count = self._failures.pop(key, (0, now))[0]
                self._failures[key] = (count + 1, now)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, address: str, user: str) -> None:
        with self._lock:
            self._failures.pop(("addr", address), None)
            self._failures.pop(("user", user.lower()), None)

    def __len__(self) -> int:
        return len(self._failures)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; anything else (including 0.0.0.0) is a network bind."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """A bind address as it appears in a Host header (IPv6 literals in brackets), lower case."""
    host = host.strip().lower()
    try:
        if ipaddress.ip_address(host.strip("[]")).version == 6:
            return "[" + host.strip("[]") + "]"
    except ValueError:
        pass
    return host


def allowed_hosts(bind_host: str, extra: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Host-header names served for a bind: always the loopback names; a specific address its own name; a wildcard
    bind (0.0.0.0, ::) the machine's host names; plus ``extra`` (``--allow-host``). Any other name gets 400, so a
    page at a foreign name that resolves to this machine (DNS rebinding) cannot read or write the journal."""
    names = list(LOOPBACK_NAMES)
    bind = _host_name(bind_host)
    if bind in ("0.0.0.0", "[::]"):
        names += [socket.gethostname().lower(), socket.getfqdn().lower()]
        try:  # the machine's own addresses (an IP-literal Host header cannot come from a rebinding page)
            names += [_host_name(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)]
        except OSError:
            pass
    else:
        names.append(bind)
    for name in extra:
        name = _host_name(name)
        if not name or "*" in name or "/" in name or ":" in name.strip("[]") and not name.startswith("["):
            raise PhotodoseInputError("allow-host", name, "a host name or address without port or wildcard")
        names.append(name)
    return list(dict.fromkeys(n for n in names if n))
