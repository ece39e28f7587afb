"""OPDS for reading apps: OPDS 2.0 JSON (/opds/v2/), OPDS 1.2 Atom (/opds/v1/), the authentication document."""
