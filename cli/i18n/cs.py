"""Czech labels and messages, keyed by their English text."""

MESSAGES: dict[str, str] = {}
