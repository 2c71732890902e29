"""Fast JSON responses: orjson, UTC datetimes ending in Z as in the reference contract."""

from typing import Any

import orjson
from fastapi.responses import JSONResponse as FastAPIJSONResponse


def json_bytes(content: Any) -> bytes:
    return orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


# A FastAPI JSONResponse, so /openapi.json shows each route's response model (any other
# class is documented as a bare string).
class JSONResponse(FastAPIJSONResponse):
    def render(self, content: Any) -> bytes:
        return json_bytes(content)
