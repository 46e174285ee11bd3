"""Pure scheduling decisions shared by the booking paths (no I/O, no clock)."""
