"""The spaces app: co-working desks, rooms and venues at the libraries, their rules and bookings."""
