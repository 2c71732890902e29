"""The domain error hierarchy: services raise these; `problems.py` turns them into HTTP."""

FieldErrors = dict[str, list[str]]


class AppError(Exception):
    """A domain error that knows its HTTP status. Services raise these; routers don't catch."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str | None = None, errors: FieldErrors | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors or {}


class ValidationFailed(AppError):
    status = 422
    title = "Validation failed"


class NotFound(AppError):
    status = 404
    title = "Not found"


class Conflict(AppError):
    status = 409
    title = "Conflict"


class Unauthorized(AppError):
    status = 401
    title = "Sign-in required"


class Forbidden(AppError):
    status = 403
    title = "Not allowed"


class TooManyRequests(AppError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class TooLarge(AppError):
    status = 413
    title = "Payload too large"
