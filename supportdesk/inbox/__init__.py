"""Email in: an SMTP listener, IMAP polling and a signed webhook, all feeding one parser;
each email threaded onto its ticket or opening one."""
