"""Breakdowns keyed by a label: every label is a key, in the schema and in the answer."""

import pytest
from pydantic import BaseModel, ValidationError

from supportdesk.taxonomy import Category, PerCategory


class Breakdown(BaseModel):
    counts: PerCategory[int]


def test_the_schema_names_every_label() -> None:
    schema = Breakdown.model_json_schema()["properties"]["counts"]
    assert schema["required"] == [c.value for c in Category]
    assert schema["properties"] == {c.value: {"type": "integer"} for c in Category}
    assert schema["additionalProperties"] is False


def test_a_missing_or_unknown_label_is_refused() -> None:
    every = {c.value: 1 for c in Category}
    assert Breakdown.model_validate({"counts": every}).model_dump(mode="json") == {"counts": every}
    with pytest.raises(ValidationError, match="no value for general"):
        Breakdown.model_validate({"counts": {k: v for k, v in every.items() if k != "general"}})
    with pytest.raises(ValidationError):
        Breakdown.model_validate({"counts": {**every, "sales": 1}})
