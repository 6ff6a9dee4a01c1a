"""``WolkvoxFake``'s verbs for what happens to calls over time: injected faults, maintenance
windows and the fake's clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from wolkvox_mock.fake_core import FakeCore
from wolkvox_mock.faults.model import Fault, FaultError, Latency
from wolkvox_mock.state.maintenance import MaintenanceWindow, WindowError

__all__ = ["ScheduleMixin"]


class ScheduleMixin(FakeCore):
    """Faults, maintenance windows and the clock of a fake."""

    # -- faults ----------------------------------------------------------------------------

    def add_fault(
        self,
        *,
        error: str | None = None,
        latency: Latency | list[float] | None = None,
        transport: str | None = None,
        api: str | None = None,
        token: str | None = None,
        server: str | None = None,
        times: int | None = None,
        probability: float = 1.0,
        seed: int = 0,
        **options: Any,
    ) -> Fault:
        """Make matching calls fail in Wolkvox's terms (see ``wolkvox_mock.faults.model``):
        ``error="token_busy"``, ``latency=2``, ``transport="reset"``, narrowed by ``api=``,
        ``token=``, ``server=`` (every call when none is given), ``times=``, ``probability=``.
        Returns the fault (its ``id`` removes it); FaultError says what to fix."""
        latency_value = tuple(latency) if isinstance(latency, list) else latency
        fault = Fault(
            error=error,
            latency=latency_value,  # type: ignore[arg-type]  # checked by validate()
            transport=transport,
            api=api,
            token=token,
            server=server,
            times=times,
            probability=probability,
            seed=seed,
            **options,
        )
        return self.set_fault(fault)

    def set_fault(self, fault: Fault) -> Fault:
        """Activate a ready ``Fault`` (after checking its token and server exist)."""
        with self.lock:
            if fault.token is not None and self.state.find_token(fault.token) is None:
                raise FaultError("token is not a token of this fake (see fake.export())")
            if fault.server is not None and fault.server not in self.state.operations:
                raise FaultError(self._no_operation(fault.server))
        return self.faults.add(fault)

    def list_faults(self) -> list[Fault]:
        """Active faults, newest first (the first that matches a call acts on it)."""
        return self.faults.list()

    def remove_fault(self, fault_id: str) -> bool:
        """Remove one fault by id; False if there is none."""
        return self.faults.remove(fault_id)

    def clear_faults(self) -> int:
        """Remove every fault and let hanging calls go on; returns how many faults there were."""
        return self.faults.clear()

    def release_hangs(self) -> int:
        """Let the calls hanging on a ``hang`` fault go on; returns how many."""
        return self.faults.release_hangs()

    def wait_hanging(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Block until ``count`` calls hang on a ``hang`` fault (from another thread than the
        server's); False on timeout."""
        return self.faults.wait_hanging(count, timeout)

    # -- maintenance -----------------------------------------------------------------------

    def add_maintenance(
        self,
        server: str | None = None,
        *,
        seconds: float | None = None,
        start: datetime | str | None = None,
        end: datetime | str | None = None,
        daily: str | tuple[str | time, str | time] | None = None,
        message: str | None = None,
    ) -> MaintenanceWindow:
        """Open a maintenance window on ``server`` (on every server when None, as the control
        plane's ``POST /maintenance`` without a server): from now (or ``start``) until removed,
        for ``seconds``, until ``end``, or ``daily="02:00-03:00"`` in the operation's time
        zone. Calls inside get 403; the text is ours."""
        if server is not None and server not in self.state.operations:
            raise WindowError(self._no_operation(server))
        return self.maintenance.add(
            self.clock.now(),
            server=server,
            start=start,
            end=end,
            seconds=seconds,
            daily=daily,
            message=message,
        )

    def list_maintenance(self) -> list[MaintenanceWindow]:
        """The maintenance windows, oldest first."""
        return self.maintenance.windows()

    def remove_maintenance(self, window_id: str) -> bool:
        """Close one window by id; False if there is none."""
        return self.maintenance.remove(window_id)

    def clear_maintenance(self) -> int:
        """Close every window; returns how many there were."""
        return self.maintenance.clear()

    def in_maintenance(self, server: str | None = None) -> bool:
        """Whether a call to ``server`` (the default operation when None) would get the
        maintenance 403 right now."""
        op = self.operation(server)
        return self.maintenance.active(op.server, self.clock.now(), op.timezone) is not None

    # -- clock -----------------------------------------------------------------------------

    def now(self) -> datetime:
        """The fake's current time, in UTC."""
        return self.clock.now().astimezone(UTC)

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop the fake's clock at ``at`` (default: now)."""
        return self.clock.freeze(None if at is None else _within_clock_range(at))

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Move the fake's clock forward (``seconds`` and/or ``minutes=``, ``hours=``, ``days=``)."""
        try:
            step = timedelta(seconds=seconds, **delta)
            _within_clock_range(self.now() + step)
        except OverflowError:
            raise ValueError("the clock cannot move that far (it stays within years 1970-8999)") from None
        return self.clock.advance(step.total_seconds())

    def set_time(self, at: datetime) -> datetime:
        """Jump the fake's clock to ``at`` (frozen stays frozen)."""
        return self.clock.set(_within_clock_range(at))

    def unfreeze(self) -> None:
        """Back to real time."""
        self.clock.unfreeze()


_CLOCK_RANGE = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC))


def _within_clock_range(at: datetime) -> datetime:
    # Far from datetime's limits, so days, windows and offsets stay computable.
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    try:
        inside = _CLOCK_RANGE[0] <= aware.astimezone(UTC) < _CLOCK_RANGE[1]
    except OverflowError:
        inside = False
    if not inside:
        raise ValueError(f"{at.isoformat()} is outside the clock's range (years 1970-8999)")
    return at
