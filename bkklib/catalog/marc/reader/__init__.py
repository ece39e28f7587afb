"""Read MARC files into MARC-in-JSON records, one ``ReadResult`` per record, never stopping at a bad one.

One module per format: ISO 2709 (``iso2709``, tolerant of wrong lengths: Thai systems count
characters, not bytes), MARCXML (``marcxml``), MARC-in-JSON (``marcjson``) and MarcMaker text
(``mrk``); ``detection`` tells them apart and ``open_records`` reads any of them. Every repair is
noted on the record (``common``: the result, the indicator and subfield-code checks).
"""
from .common import FORMATS, NON_BIBLIOGRAPHIC, ReadResult, RecordError, UnsupportedFile, checked, classify
from .detection import detect_format, open_records, prepare_stream
from .iso2709 import iter_iso2709_chunks, iter_iso2709_records, parse_iso2709, read_iso2709, read_iso2709_chunk
from .marcjson import read_json
from .marcxml import read_marcxml
from .mrk import read_mrk

__all__ = [
    "FORMATS", "NON_BIBLIOGRAPHIC", "ReadResult", "RecordError", "UnsupportedFile", "checked", "classify",
    "detect_format", "iter_iso2709_chunks", "iter_iso2709_records", "open_records", "parse_iso2709",
    "prepare_stream", "read_iso2709", "read_iso2709_chunk", "read_json", "read_marcxml", "read_mrk",
]
