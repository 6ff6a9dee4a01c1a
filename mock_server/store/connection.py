"""One Redis connection pool with bounded waits, and a breaker for when Redis is gone.

Every call to Redis goes through ``Connection.run``: a refused or timed-out connection becomes
``StoreUnavailable`` (a 503 in Wolkvox's envelope) after at most ``timeout`` seconds, and for
``_PAUSE`` seconds afterwards calls fail at once instead of each waiting its own timeout, so a
worker whose Redis is gone keeps answering quickly. redis-py reconnects by itself once Redis is
back: nothing has to be restarted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from wolkvox_mock.store.errors import StoreUnavailable

__all__ = ["Connection"]

log = logging.getLogger("wolkvox_mock")
T = TypeVar("T")
#: Seconds calls fail at once after Redis was found unreachable (then one call tries again).
_PAUSE = 0.5
_FAILURES = (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError, OSError)


class Connection:
    """A sync Redis client (thread-safe pool) whose failures are ``StoreUnavailable``."""

    def __init__(self, url: str, timeout: float = 1.0) -> None:
        self.url = url
        self.client: redis.Redis = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            # One attempt: the breaker, not redis-py's retries, decides when to try again.
            retry=Retry(NoBackoff(), 0),
            health_check_interval=0,
        )
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_since: float | None = None
        # Warn of an outage only once Redis has answered: at start, the caller says it.
        self._ever_up = False

    def run(self, action: Callable[[redis.Redis], T]) -> T:
        """``action(client)``, or ``StoreUnavailable`` when Redis cannot be reached."""
        if self._down_until and time.monotonic() < self._down_until:
            raise StoreUnavailable(f"{self.safe_url} is unreachable")
        try:
            result = action(self.client)
        except _FAILURES as exc:
            self._failed(exc)
            raise StoreUnavailable(f"{self.safe_url} is unreachable ({type(exc).__name__})") from None
        if self._down_since is not None or not self._ever_up:
            self._recovered()
        return result

    @property
    def safe_url(self) -> str:
        """The URL without its password."""
        scheme, _, rest = self.url.partition("://")
        return f"{scheme}://{rest.rsplit('@', 1)[-1]}"

    def _failed(self, exc: BaseException) -> None:
        with self._lock:
            self._down_until = time.monotonic() + _PAUSE
            if self._down_since is None:
                self._down_since = time.monotonic()
                if self._ever_up:
                    log.warning(
                        "wolkvox-mock: store %s unreachable (%s); calls answer 503", self.safe_url, exc
                    )

    def _recovered(self) -> None:
        with self._lock:
            if self._down_since is not None and self._ever_up:
                log.warning("wolkvox-mock: store %s is back", self.safe_url)
            self._down_since, self._down_until, self._ever_up = None, 0.0, True

    def close(self) -> None:
        """Close the pool's connections."""
        self.client.close()
