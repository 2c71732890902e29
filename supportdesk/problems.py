"""One error shape for everything: RFC 9457 problem details with a per-field `errors` map."""

import logging
from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from supportdesk.errors import AppError, FieldErrors, TooManyRequests

log = logging.getLogger(__name__)
# The methods whose bodies RequestGuard checks (413, 415) before any route runs.
BODY_METHODS = {"POST", "PUT", "PATCH"}


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: FieldErrors | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )


def _field_name(loc: tuple[int | str, ...], kind: str) -> str:
    # ("body", "title") -> "title"; ("query", "status") -> "status"; body itself -> "body"
    if kind == "json_invalid":
        return "body"
    parts = [str(p) for p in loc[1:]] if len(loc) > 1 else [str(p) for p in loc]
    return ".".join(parts) or "body"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field"
    # A string checked after a validator has run reports "too_long", as lists do.
    if kind == "string_too_long" or (kind == "too_long" and isinstance(error.get("input"), str)):
        return f"at most {ctx.get('max_length')} characters"
    if kind == "json_invalid":
        return "malformed JSON"
    if kind == "enum":
        return f"must be one of: {ctx.get('expected', '')}".replace("'", "")
    return str(error.get("msg", "invalid value")).removeprefix("Value error, ")


def validation_errors(raw: list[dict[str, Any]]) -> FieldErrors:
    errors: FieldErrors = {}
    for error in raw:
        errors.setdefault(_field_name(tuple(error["loc"]), error.get("type", "")), []).append(
            _message(error)
        )
    return errors


# What FastAPI says when a body is not JSON it can decode (its other JSON errors are 422s).
FASTAPI_BODY_ERROR = "There was an error parsing the body"

_HTTP_TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Payload too large",
    415: "Unsupported media type",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_request: Request, exc: AppError) -> Response:
        headers = None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after_seconds)}
        return problem(exc.status, exc.title, exc.detail, exc.errors, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_request: Request, exc: RequestValidationError) -> Response:
        errors = validation_errors(list(exc.errors()))
        return problem(422, "Validation failed", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and exc.detail == FASTAPI_BODY_ERROR:
            # Not UTF-8, or nested past the JSON parser's depth: as malformed as bad syntax.
            return problem(422, "Validation failed", errors={"body": ["malformed JSON"]})
        title = _HTTP_TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        headers = dict(exc.headers) if exc.headers else None
        return problem(exc.status_code, title, detail, headers=headers)

    @app.exception_handler(IntegrityError)
    async def concurrent_write(_request: Request, exc: IntegrityError) -> Response:
        # Two requests raced to write the same unique row (two invitations of one email,
        # say): the loser's transaction rolled back whole; say so rather than crash.
        log.info("integrity error answered as 409: %s", exc.orig)
        return problem(409, "Conflict", "a concurrent change got there first; try again")

    @app.exception_handler(Exception)
    async def crash(_request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return problem(500, "Internal server error", "the error was logged")


class Problem(BaseModel):
    """RFC 9457 problem details, the body of every error answer."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = Field(default=None, description="Absent when the title says it all.")
    errors: FieldErrors | None = Field(
        default=None, description="Messages per field (`body` for the body as a whole)."
    )


ErrorResponses = dict[int | str, dict[str, Any]]
_DESCRIPTIONS = {
    401: "Not signed in, or the session or token is not valid",
    403: "Signed in, but the role does not allow this (or the CSRF token is missing)",
    404: "No such resource",
    409: "Conflicts with the current state",
    429: "Too many tries; `Retry-After` says when to try again",
    413: "Body over the size limit",
    415: "Body is not application/json",
    422: "Request invalid; `errors` names the fields",
    503: "A model the operation needs is not loaded",
}
_PROBLEM_CONTENT = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
}


def problem_responses(*statuses: int) -> ErrorResponses:
    """The `responses=` of a route for the domain errors it raises (409, 503...);
    `document_problems` adds those every route of its kind can answer (404, 413, 415, 422)."""
    return {status: {"description": _DESCRIPTIONS[status]} for status in statuses}


def document_problems(app: FastAPI, more: Mapping[str, set[int]]) -> None:
    """Give every API operation its error statuses as problem+json, instead of FastAPI's
    `HTTPValidationError` (a shape this API never sends); `more` adds statuses by operation
    id (those of its access rule)."""
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        spec = generate()
        if "Problem" in spec["components"]["schemas"]:
            return spec  # already documented: FastAPI caches the dict it returns
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                extra = more.get(operation.get("operationId", ""), set())
                _document_operation(path, method.upper(), operation, extra)
        schemas = spec["components"]["schemas"]
        schemas["Problem"] = schema
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _document_operation(path: str, method: str, operation: dict[str, Any], extra: set[int]) -> None:
    responses: dict[str, Any] = operation["responses"]
    parameters = operation.get("parameters", [])
    statuses = {int(status) for status in responses if int(status) >= 400} | extra
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if any(parameter["in"] == "path" for parameter in parameters):
        statuses.add(404)
    if method in BODY_METHODS and path.startswith("/api/"):
        statuses |= {413, 415}
    for status in statuses:
        answer = responses.setdefault(str(status), {})
        answer["description"] = _DESCRIPTIONS[status]
        answer["content"] = _PROBLEM_CONTENT
