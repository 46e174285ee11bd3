"""opencal: a self-hostable scheduling server speaking the Cal.com API v2."""

__version__ = "0.1.0"
