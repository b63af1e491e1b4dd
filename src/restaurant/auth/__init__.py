"""Sign-in and sessions: one-time codes over SMS (or a file outbox), session tokens in Redis."""
