"""Plans just made in the browser, kept in memory until saved (so saving stores exactly what was shown)."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

MAX_PLANS = 200


class PlanCache:
    """Bounded (oldest dropped first), keyed by an unguessable token, each plan tied to the user who made it."""

    def __init__(self, max_plans: int = MAX_PLANS):
        self._plans: OrderedDict[str, tuple[str, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_plans

    def put(self, user: str, plan) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._plans[token] = (user, plan)
            while len(self._plans) > self._max:
                self._plans.popitem(last=False)
        return token

    def get(self, user: str, token: str):
        with self._lock:
            entry = self._plans.get(token)
        return entry[1] if entry and entry[0] == user else None
