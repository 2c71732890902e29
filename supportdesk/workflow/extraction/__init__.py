"""Facts in a ticket's text: ids, codes, contacts, amounts, dates, each checked."""
