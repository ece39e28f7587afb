"""Catalog values shared by the models and the ORM-free import pipeline (pipeline.py)."""

# A barcode is what a scanner reads: letters, digits and dashes, 4 to 32 characters. Real BMA
# barcodes are 14-digit Codabar numbers; imported collections bring their own schemes.
BARCODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9\-]{2,30}[A-Za-z0-9]$"

# Item statuses an import can give (the values of models.Item.Status).
AVAILABLE = "available"
DAMAGED = "damaged"
LOST = "lost"
WITHDRAWN = "withdrawn"
# The availability facet of a record none of whose copies is on the shelf.
UNAVAILABLE = "unavailable"
DEFAULT_ITEM_TYPE = "book"
