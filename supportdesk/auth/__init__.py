"""Staff accounts, sign-in sessions, API tokens, one-time links, and the access rules every
route declares."""
