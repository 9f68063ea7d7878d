"""The analytics page: charts over a date range (every role may read it)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web import analytics
from web.http import render, user_with


async def analytics_page(request: Request) -> Response:
    user_with(request, "trainer", "analyst")
    try:
        first, last = analytics.date_range(request.query_params.get("from"), request.query_params.get("to"))
    except ValueError as error:
        message = f"Dates invalides ({error}) : format AAAA-MM-JJ."
        return render(request, "error.html", {"message": message}, 400)
    figures = await run_in_threadpool(analytics.compute, first, last)
    return render(request, "analytics.html", {"figures": figures})


routes = [Route("/analytics", analytics_page, methods=["GET"])]
