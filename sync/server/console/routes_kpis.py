"""The leads' KPI page and its CSV exports (lead role and above)."""

from __future__ import annotations

import logging
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sync.server.console import auth, kpi_views
from sync.server.console.web import PREFIX, SECURITY_HEADERS, Console

logger = logging.getLogger(__name__)


def _day(raw: str, today: date) -> tuple[date, str]:
    if not raw:
        return today, ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return today, f"{raw[:40]!r} is not a day (write it as YYYY-MM-DD): showing today"
    if not 1900 <= day.year <= 8999:
        return today, "the day must lie between the years 1900 and 8999: showing today"
    return day, ""


def router(c: Console) -> APIRouter:
    r = APIRouter(prefix=PREFIX)

    @r.get("/kpis", response_class=HTMLResponse, include_in_schema=False)
    def kpis_page(request: Request) -> Response:
        who = c.require(request, auth.LEAD)
        now = c.now()
        day, problem = _day(request.query_params.get("day", ""), now.date())
        with c.db() as s:
            cells = kpi_views.week(s, day, now)  # one read for every table of the page
            tables = kpi_views.kpi_tables(s, day, now, cells)
            causes = kpi_views.root_causes(s, day, cells)
        return c.page(
            request,
            "kpis.html",
            who=who,
            day=day,
            problem=problem,
            tables=tables,
            causes=causes,
            charts=kpi_views.charts(tables, causes),
            columns=kpi_views.KPI_COLUMNS,
            row_cells=kpi_views.row_cells,
        )

    @r.get("/kpis.csv", include_in_schema=False)
    def kpis_csv(request: Request) -> Response:
        c.require(request, auth.LEAD)
        now = c.now()
        day, _problem = _day(request.query_params.get("day", ""), now.date())
        table = request.query_params.get("table", "days")
        if table not in kpi_views.TABLES:
            return Response(
                f"unknown table {table[:40]!r}; one of: {', '.join(kpi_views.TABLES)}\n",
                status_code=422,
                media_type="text/plain; charset=utf-8",
                headers=SECURITY_HEADERS,
            )
        with c.db() as s:
            cells = kpi_views.week(s, day, now)
            tables = kpi_views.kpi_tables(s, day, now, cells) if table in ("days", "sites", "stations") else []
            causes = kpi_views.root_causes(s, day, cells) if not tables else []
        return Response(
            kpi_views.csv_text(table, tables, causes),
            media_type="text/csv; charset=utf-8",
            headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="packgate-{table}-{day}.csv"'},
        )

    return r
