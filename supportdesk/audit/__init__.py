"""Who changed what and when: one append-only table, written in the change's transaction."""
