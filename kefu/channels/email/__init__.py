"""The email channel: per-tenant mailboxes, IMAP polling, an SMTP endpoint, SMTP replies."""
