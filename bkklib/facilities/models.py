"""Tables of the facilities app."""
