"""One error hierarchy carrying HTTP status and a stable code; one handler renders all."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kefu.core.i18n import negotiate, translate


class KefuError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.code)

    def headers(self) -> dict[str, str] | None:
        return None


class NotFound(KefuError):
    status_code = 404
    code = "not_found"

    def __init__(self, entity: str = "resource") -> None:
        super().__init__(entity=entity)


class Unauthorized(KefuError):
    status_code = 401
    code = "unauthorized"


class Forbidden(KefuError):
    status_code = 403
    code = "forbidden"


class Conflict(KefuError):
    status_code = 409
    code = "conflict"


class Invalid(KefuError):
    status_code = 422
    code = "validation_error"


class TooLarge(KefuError):
    status_code = 413
    code = "payload_too_large"


class RateLimited(KefuError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after)}


class Unavailable(KefuError):
    status_code = 503
    code = "not_ready"


def error_body(request: Request, code: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    lang = negotiate(request.headers.get("accept-language"))
    return {"code": code, "message": translate(code, lang, params)}


def _validation_detail(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    fields = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        fields.append({"field": ".".join(loc), "reason": err.get("msg", "")})
    detail = "; ".join(f"{f['field']}: {f['reason']}" for f in fields)
    return detail, fields


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KefuError)
    async def _kefu(request: Request, exc: KefuError) -> JSONResponse:
        body = error_body(request, exc.code, exc.params)
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers())

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail, fields = _validation_detail(exc)
        body = error_body(request, "validation_error", {"detail": detail})
        body["fields"] = fields
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(
            exc.status_code, "bad_request"
        )
        body = error_body(request, code, {"entity": "resource"})
        return JSONResponse(body, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body(request, "internal_error"), status_code=500)
