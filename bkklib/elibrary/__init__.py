"""The e-library: e-books and audiobooks, their licences, e-loans and e-holds, OPDS feeds, promotion."""
