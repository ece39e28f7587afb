"""The SIP2 frame codec: checksums as the standard defines them, lenient reading, strict writing."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pysip2
import pytest

from bkklib.interop.sip2 import codec

BKK = ZoneInfo("Asia/Bangkok")


def test_checksum_of_real_ulibm_frames():
    # Frames from the ULibM session log (shared/data/sip2): a login and an SC status with their checksums.
    assert codec.verify(b"9300CNabc123|COabc123|AY0AZF83C") is True
    assert codec.verify(b"9900402.00AY2AZFCA3") is True
    assert codec.verify(b"9900402.00AY2AZFCA4") is False
    assert codec.verify(b"9900402.00") is None
    assert codec.checksum(b"9900402.00AY2AZ") == "FCA3"


def test_decode_reads_fixed_and_variable_fields():
    message = codec.decode(b"6300120110815    143020          AO1901|AA123456|AC|AD1234|AY3AZF44C")
    assert message.command == "63" and message.sequence == "3" and message.checksum_ok in (True, False)
    assert message.fixed["language"] == "001" and message.fixed["summary"] == " " * 10
    assert message.get("AA") == "123456" and message.get("AD") == "1234" and message.get("AC") == ""


def test_lenient_reading():
    frame = b"9900402.00AY2AZ"
    short = frame + codec.checksum(frame).lstrip("0").lower().encode()  # lower case, fewer digits
    assert codec.decode(short).checksum_ok is True
    thai = "17" + "20260101    100000" + "AOx|ABรายการ|AY1AZ"
    by_characters = f"{(-sum(map(ord, thai))) & 0xFFFF:04X}"  # what some clients do with non-ASCII text
    assert codec.decode((thai + by_characters).encode("utf-8")).checksum_ok is True
    assert codec.decode(b"17" + b"20260101    100000" + b"AB1234").get("AB") == "1234"  # last field unterminated


@pytest.mark.parametrize("frame", [b"", b"9", b"XX123", b"1120", b"x" * 9000])
def test_unreadable_frames_are_refused(frame):
    with pytest.raises(codec.FrameError):
        codec.decode(frame)


def test_encoded_answers_pass_a_strict_third_party_codec():
    frame = codec.encode("12", ["1", "N", "U", "Y", codec.sip_datetime(datetime(2026, 12, 7, 10, 5, tzinfo=BKK))],
                         [("AO", "BKKLIB"), ("AA", "2990000001009"), ("AB", "3900000000001"),
                          ("AJ", "ปั้นดิน|ให้เป็นดาว"), ("AH", codec.sip_date(date(2026, 12, 21)))], sequence="4")
    decoded = pysip2.decode_message(frame, encoding="utf-8")
    assert decoded.sequence_number == 4
    assert decoded.message.title_identifier == "ปั้นดิน/ให้เป็นดาว"  # the separator cannot break the frame
    assert codec.verify(frame[:-1]) is True


def test_dates_in_both_eras():
    moment = datetime(2022, 6, 8, 13, 5, 9, tzinfo=BKK)
    assert codec.sip_datetime(moment) == "20220608    130509"
    assert codec.sip_datetime(moment, era="be") == "25650608    130509"
    assert codec.sip_date(date(2022, 6, 8), era="be") == "25650608    235959"
    assert codec.parse_sip_datetime("25650608    130509") == datetime(2022, 6, 8, 13, 5, 9, tzinfo=BKK)
    assert codec.parse_sip_datetime("garbage") is None


def test_tis620_bytes_are_read_as_thai():
    frame = "17" + "25650608    130509" + "AO1901|ABรายงานการประชุม|"
    assert codec.decode(frame.encode("cp874"), charset="tis-620").get("AB") == "รายงานการประชุม"
