"""The triage engine as routers receive it (the engine of the app that got the request)."""

from typing import Annotated

from fastapi import Depends, Request

from supportdesk.triage.base import Classifier
from supportdesk.triage.engine import TriageEngine
from supportdesk.triage.given import GivenSuggestions


async def _triage(request: Request) -> TriageEngine:
    engine: TriageEngine = request.app.state.triage
    return engine


async def _classifier(request: Request) -> Classifier:
    return (await _triage(request)).classifier


async def _given_suggestions(request: Request) -> GivenSuggestions:
    given: GivenSuggestions = request.app.state.given_suggestions
    return given


ClassifierDep = Annotated[Classifier, Depends(_classifier)]
TriageDep = Annotated[TriageEngine, Depends(_triage)]
GivenSuggestionsDep = Annotated[GivenSuggestions, Depends(_given_suggestions)]
