"""Migration 0013 on SQLite: the conversation's tables, and the tickets' new columns added
in place (the search and rollup triggers survive); reversible."""

from pathlib import Path

from tests.sqlite_schema import MigratedFile

NEW_TABLES = {"contacts", "messages", "customer_links", "public_submissions"}
NEW_COLUMNS = {"contact_id", "waiting_since", "follow_up_of"}
NEW_INDEXES = {"ix_tickets_contact_id", "ix_tickets_waiting_since", "ix_tickets_follow_up_of"}


def test_the_conversation_is_added_in_place_and_removed_again(tmp_path: Path) -> None:
    database = MigratedFile(tmp_path / "m.db")
    before = database.upgrade("0012")

    after = database.upgrade("0013")
    assert after.tables == before.tables | NEW_TABLES
    assert after.ticket_columns == before.ticket_columns | NEW_COLUMNS
    assert after.ticket_indexes == before.ticket_indexes | NEW_INDEXES
    assert after.triggers == before.triggers and before.triggers  # the table was not copied

    assert database.downgrade("0012") == before
