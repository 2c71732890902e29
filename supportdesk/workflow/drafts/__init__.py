"""Reply drafts: from templates offline, or written by the configured LLM."""
