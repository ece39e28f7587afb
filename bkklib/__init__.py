"""bkklib: the library system of Bangkok's public-library network."""
