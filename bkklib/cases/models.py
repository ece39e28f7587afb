"""Tables of the cases app."""
