"""Tables of the acquisitions app."""
