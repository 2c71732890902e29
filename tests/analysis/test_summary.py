"""The summary's parts without a database: themes, counts, text, the LLM hook."""

import numpy as np
import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from supportdesk.analysis import summary
from supportdesk.analysis.summary import SummaryInputs, TicketResult
from supportdesk.llm import CallLog, ProseWriter


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
    # Named in words, from a representative ticket: not a list of keywords.
    assert by_category["billing"]["theme"].startswith("Refund request")
    assert by_category["technical"]["theme"].startswith("Outage")


@pytest.mark.parametrize(
    ("titles", "category", "name"),
    [
        (
            ["URGENT!!! customers can't pay at checkout", "Checkout failing"],
            "billing",
            "Customers can't pay at checkout",
        ),
        (
            ["Card payments fail for all customers since the update today"],
            "billing",
            "Card payments fail for all customers",
        ),
        (["hi", "question"], "technical", "Technical problems"),
        ([None], "account", "Account access"),
    ],
)
def test_a_theme_is_named_in_words(titles: list[str | None], category: str, name: str) -> None:
    examples = [_result(i, [1.0], title=t) for i, t in enumerate(titles, 1)]
    keywords = ["pay", "checkout", "customers", "card", "payments"]
    assert summary.theme_name(examples, keywords, category) == name


def test_text_lists_failures_shifts_and_the_open_critical_tickets() -> None:
    results = [
        _result(1, [1, 0], priority="critical", title="Prod down", ticket_status="open"),
        _result(2, [0, 1], priority="critical", title="Data lost", ticket_status="in_progress"),
        _result(5, [0, 1], priority="critical", title="Was down", ticket_status="resolved"),
        _result(6, [1, 0], priority="critical", title="Old outage", ticket_status="closed"),
        _result(3, [0, 1], priority="low"),
        TicketResult(4, "failed", None, None, None, "unknown ticket", None, None, None),
    ]
    data = summary.build(
        SummaryInputs(7, results, 5, {1: ("billing", "low"), 3: ("billing", "low")})
    )
    text = summary.render(data)
    assert "Run #7: 5 of 6 tickets analysed; 1 failed (1 unknown ticket)." in text
    assert "Changes are against run #5 (2 tickets analysed)." in text
    assert "critical 4 (80%, +4; +80 pts)" in text
    assert "#1 low->critical" in text
    assert [c["ticket_id"] for c in data["critical"]] == [1, 2]
    assert [c["status"] for c in data["critical"]] == ["open", "in_progress"]
    assert data["critical_done"] == 2
    assert "Open critical tickets (2; 2 more resolved):" in text
    assert "- #1 [billing] Prod down (open)" in text
    assert "- #2 [billing] Data lost (in progress)" in text
    listed = text[text.index("Open critical tickets") :]
    assert "Was down" not in listed and "Old outage" not in listed
    # The themes come first: they say what the run is about.
    assert text.index("Main themes:") < text.index("Open critical tickets")


def _answer(text: str) -> FunctionModel:
    def reply(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, {"text": text})])

    return FunctionModel(reply, model_name="scripted")


def _failing(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    raise ConnectionError("provider down")


async def test_llm_prose_keeps_the_critical_list_and_is_recorded() -> None:
    data = summary.build(SummaryInputs(1, [_result(1, [1.0], priority="critical")], None, {}))
    log = CallLog()
    writer = ProseWriter(
        lambda: _answer("One critical billing ticket needs action."),
        provider="fake",
        model_name="scripted",
        recorder=log,
        instructions=summary.WRITER_INSTRUCTIONS,
        purpose="analysis-summary",
    )
    text, provider = await summary.write(data, writer)
    assert provider == "fake:scripted"
    assert text.startswith("One critical billing ticket needs action.")
    assert "Open critical tickets (1):" in text
    assert [(c.provider, c.outcome) for c in log.recent()] == [("fake", "ok")]


async def test_llm_failure_keeps_the_structured_summary() -> None:
    data = summary.build(SummaryInputs(1, [_result(1, [1.0])], None, {}))
    log = CallLog()
    writer = ProseWriter(
        lambda: FunctionModel(_failing, model_name="down"),
        provider="fake",
        model_name="down",
        recorder=log,
        instructions=summary.WRITER_INSTRUCTIONS,
        purpose="analysis-summary",
    )
    text, provider = await summary.write(data, writer)
    assert provider == "local"
    assert text.startswith("Run #1: 1 of 1 tickets analysed.")
    assert "The LLM summary (fake:down) failed (ConnectionError)" in text
    assert [c.outcome for c in log.recent()] == ["error"]
