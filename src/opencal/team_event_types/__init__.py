"""Team event types (collective, round robin, managed), their bookings and reassignment."""
