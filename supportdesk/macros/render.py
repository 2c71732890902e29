"""Macro bodies are Liquid templates, rendered in a sandbox: no files (no include or
render of other templates), bounded loops, output and nesting, and only the plain values
given (the ticket, its customer, the agent). What comes out is plain text: it goes out as
a reply, escaped like any other."""

from typing import Any

from liquid import Environment
from liquid.exceptions import LiquidError

MAX_OUTPUT_CHARS = 20_000


class Sandbox(Environment):
    context_depth_limit = 10
    loop_iteration_limit = 1_000
    local_namespace_limit = 2_000
    output_stream_limit = MAX_OUTPUT_CHARS
    block_nesting_limit = 10


SANDBOX = Sandbox()


SAMPLE = {
    "ticket": {"id": 1, "title": "Sample", "status": "open", "priority": "medium"},
    "customer": {"name": "Ann Lee", "email": "ann@example.com", "first_name": "Ann"},
    "agent": {"name": "Kim Agent", "first_name": "Kim"},
}


def problem(template: str) -> str | None:
    """Why the template cannot be used (its first error, from a trial render with sample
    values: an include of another template fails only then), or None."""
    try:
        render(template, SAMPLE)
    except ValueError as error:
        return str(error)
    return None


def render(template: str, values: dict[str, Any]) -> str:
    """The text; a template that fails as it renders (a loop too long, say) raises
    ValueError with why."""
    try:
        return SANDBOX.from_string(template).render(**values).strip()
    except LiquidError as error:
        raise ValueError(str(error).splitlines()[0]) from None
    except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
        # A filter given what it cannot take ({{ 'inf' | ceil }}), perhaps from a value.
        raise ValueError(f"{type(error).__name__}: {error}"[:200]) from None
