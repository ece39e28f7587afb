"""Tables of the volunteers app."""
