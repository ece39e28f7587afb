"""Tables of the comms app."""
