"""The summary's parts without a database: themes, counts, text, the LLM hook."""

import numpy as np
import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from supportdesk.analysis import summary
from supportdesk.analysis.summary import SummaryInputs, TicketResult
from supportdesk.llm import CallLog


def _result(ticket_id: int, vector: list[float], **fields: object) -> TicketResult:
    values: dict[str, object] = {
        "status": "analyzed",
        "category": "billing",
        "priority": "medium",
        "notes": "n",
        "error": None,
        "title": f"ticket {ticket_id}",
        "excerpt": "",
        "embedding": np.array(vector, dtype=np.float16).tobytes(),
        **fields,
    }
    return TicketResult(ticket_id=ticket_id, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("n", "k"), [(0, 0), (1, 1), (3, 1), (5, 2), (18, 3), (50, 5), (10**5, 8)])
def test_k_follows_the_square_root_rule(n: int, k: int) -> None:
    assert summary.choose_k(n) == k


def test_kmeans_finds_separate_groups_deterministically() -> None:
    rng = np.random.default_rng(1)
    centres = np.eye(3, 8, dtype=np.float32) * 5
    x = np.concatenate([c + rng.normal(0, 0.1, (20, 8)) for c in centres]).astype(np.float32)
    labels, _ = summary.kmeans(x, 3)
    groups = [set(labels[i * 20 : (i + 1) * 20]) for i in range(3)]
    assert all(len(g) == 1 for g in groups) and len(set.union(*groups)) == 3
    assert np.array_equal(summary.kmeans(x, 3)[0], labels)
    same = np.ones((5, 4), dtype=np.float32)  # identical points must not divide by zero
    assert set(summary.kmeans(same, 2)[0]) <= {0, 1}


def test_themes_are_named_by_their_words_and_show_examples() -> None:
    refunds = [
        _result(i, [1, 0, 0], title=f"Refund request {i}", excerpt="charged twice, refund")
        for i in range(1, 9)
    ]
    outages = [
        _result(
            i,
            [0, 1, 0],
            category="technical",
            priority="critical",
            title=f"Outage {i}",
            excerpt="dashboard outage, servers down",
        )
        for i in range(9, 17)
    ]
    themes = summary.themes(refunds + outages)
    assert [t["size"] for t in themes] == [8, 8]
    by_category = {t["top_category"]: t for t in themes}
    assert "refund" in by_category["billing"]["keywords"]
    assert "outage" in by_category["technical"]["keywords"]
    assert by_category["technical"]["critical"] == 8
    assert len(by_category["billing"]["tickets"]) == 3


def test_text_lists_failures_shifts_and_every_critical_ticket() -> None:
    results = [
        _result(1, [1, 0], priority="critical", title="Prod down"),
        _result(2, [0, 1], priority="critical", title="Data lost"),
        _result(3, [0, 1], priority="low"),
        TicketResult(4, "failed", None, None, None, "unknown ticket", None, None, None),
    ]
    data = summary.build(
        SummaryInputs(7, results, 5, {1: ("billing", "low"), 3: ("billing", "low")})
    )
    text = summary.render(data)
    assert "Run #7: 3 of 4 tickets analysed; 1 failed (1 unknown ticket)." in text
    assert "Changes are against run #5 (2 tickets analysed)." in text
    assert "critical 2 (67%, +2; +67 pts)" in text
    assert "#1 low->critical" in text
    assert "- #1 [billing] Prod down" in text and "- #2 [billing] Data lost" in text


def _answer(text: str) -> FunctionModel:
    def reply(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, {"summary": text})])

    return FunctionModel(reply, model_name="scripted")


def _failing(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    raise ConnectionError("provider down")


async def test_llm_prose_keeps_the_critical_list_and_is_recorded() -> None:
    data = summary.build(SummaryInputs(1, [_result(1, [1.0], priority="critical")], None, {}))
    log = CallLog()
    writer = summary.ProseWriter(
        lambda: _answer("One critical billing ticket needs action."),
        provider="fake",
        model_name="scripted",
        recorder=log,
    )
    text, provider = await summary.write(data, writer)
    assert provider == "fake:scripted"
    assert text.startswith("One critical billing ticket needs action.")
    assert "Critical tickets (1):" in text
    assert [(c.provider, c.outcome) for c in log.recent()] == [("fake", "ok")]


async def test_llm_failure_keeps_the_structured_summary() -> None:
    data = summary.build(SummaryInputs(1, [_result(1, [1.0])], None, {}))
    log = CallLog()
    writer = summary.ProseWriter(
        lambda: FunctionModel(_failing, model_name="down"),
        provider="fake",
        model_name="down",
        recorder=log,
    )
    text, provider = await summary.write(data, writer)
    assert provider == "local"
    assert text.startswith("Run #1: 1 of 1 tickets analysed.")
    assert "The LLM summary (fake:down) failed (ConnectionError)" in text
    assert [c.outcome for c in log.recent()] == ["error"]
