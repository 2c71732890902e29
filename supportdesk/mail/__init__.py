"""Email out: an outbox written with the change that causes the email, sent by a job
through SMTP, never twice."""
