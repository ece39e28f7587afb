"""The e-library's verbs, split by sub-domain (ingest, licences, lending, promotion)."""
