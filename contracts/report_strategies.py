"""Hypothesis strategies for reports_manager.php requests (house style as in ``strategies``)::

    from hypothesis import given, strategies as st
    from wolkvox_mock.contracts.report_strategies import report_requests

    @given(report_requests(tokens=st.just(token)))
    def test_my_loader_reads_any_report(request): client.request(**request.httpx_kwargs())

*Valid* requests carry a real ``date_ini``/``date_end`` (``YYYYmmddHHiiss``) no further apart
than the report allows, and its required selectors: Wolkvox answers them with rows or with
the empty 404. *Invalid* ones break exactly one date rule: a malformed date, the end before
the start, or a range longer than the report's limit (all refused with 400).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from wolkvox_mock.contracts.catalogue import WOLKVOX_DATE, OperationSpec, load_catalogue
from wolkvox_mock.contracts.strategies import ApiRequest, _check_strategy

__all__ = ["report_names", "report_ranges", "report_requests"]

_FORMAT = WOLKVOX_DATE.strftime
_SELECTORS = {"skill_id": "all", "campaign_id": "all", "cod_act": "cod_act1"}


def _reports() -> dict[str, OperationSpec]:
    return {api: s for (family, api), s in load_catalogue().operations.items() if family == "reports_manager"}


def report_names(*, folders: SearchStrategy[str] | None = None) -> SearchStrategy[str]:
    """Names of documented reports (``cdr_1``...), from every sub-folder or from ``folders``."""
    _check_strategy("folders", folders)
    names = sorted(_reports())
    if folders is None:
        return st.sampled_from(names)

    def of(folder: str) -> SearchStrategy[str]:
        chosen = [n for n in names if (r := _reports()[n].report) is not None and r.folder == folder]
        return st.sampled_from(chosen) if chosen else st.nothing()

    return folders.flatmap(of)


def report_ranges(
    *,
    max_days: int = 31,
    min_value: datetime = datetime(2020, 1, 1),
    max_value: datetime = datetime(2030, 12, 31),
) -> SearchStrategy[tuple[str, str]]:
    """``(date_ini, date_end)`` in Wolkvox's format, the end not before the start and at most
    ``max_days`` after it."""

    def build(start: datetime, seconds: int) -> tuple[str, str]:
        return start.strftime(_FORMAT), (start + timedelta(seconds=seconds)).strftime(_FORMAT)

    return st.builds(
        build,
        st.datetimes(min_value=min_value, max_value=max_value).map(lambda d: d.replace(microsecond=0)),
        st.integers(min_value=0, max_value=max_days * 86_400),
    )


def _invalid_ranges(max_days: int) -> SearchStrategy[tuple[str, str]]:
    good = report_ranges(max_days=max_days)
    malformed = st.one_of(
        st.text(alphabet="0123456789-: T", max_size=16).filter(
            lambda t: len(t.strip()) != 14 or not t.isdecimal()
        ),
        st.just("20261302000000"),  # month 13
    )
    return st.one_of(
        st.tuples(malformed, good.map(lambda r: r[1])),
        st.tuples(good.map(lambda r: r[0]), malformed),
        good.filter(lambda r: r[0] != r[1]).map(lambda r: (r[1], r[0])),  # reversed
        report_ranges(max_days=max_days).map(
            lambda r: (
                r[0],
                (datetime.strptime(r[0], _FORMAT) + timedelta(days=max_days, seconds=1)).strftime(_FORMAT),
            )
        ),
    ).filter(lambda r: bool(r[0].strip() and r[1].strip()))


def report_requests(
    *,
    tokens: SearchStrategy[str | None],
    apis: SearchStrategy[str] | None = None,
    servers: SearchStrategy[str | None] | None = None,
    valid: bool = True,
) -> SearchStrategy[ApiRequest]:
    """Whole GET requests to reports (``apis``, default every report)."""
    _check_strategy("tokens", tokens)
    _check_strategy("apis", apis)
    _check_strategy("servers", servers)
    reports = _reports()

    def for_api(api: str) -> SearchStrategy[ApiRequest]:
        spec = reports[api]
        assert spec.report is not None
        days = spec.report.max_days
        ranges = report_ranges(max_days=days) if valid else _invalid_ranges(days)
        extra = {
            f.name: _SELECTORS.get(f.name, "1001")
            for f in spec.required_query
            if f.name not in ("date_ini", "date_end")
        }

        def build(token: str | None, server: str | None, dates: tuple[str, str]) -> ApiRequest:
            query = {"date_ini": dates[0], "date_end": dates[1], **extra}
            return ApiRequest("GET", "reports_manager", api, token, server, query)

        return st.builds(build, tokens, servers if servers is not None else st.none(), ranges)

    return (apis if apis is not None else report_names()).flatmap(for_api)
