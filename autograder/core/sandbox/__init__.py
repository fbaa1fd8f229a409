"""The trust boundary: student code runs only in worker processes started here."""
