"""Staff passwords: length, Django's common list and the Thai-aware rule, with Thai messages (issue 30)."""
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from bkklib.staff.passwords import ThaiCommonPasswordValidator, variants

rule = ThaiCommonPasswordValidator()


def refused(password: str, user=None) -> list[str]:
    with translation.override("th"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return [str(m) for m in exc.messages]
    return []


@pytest.mark.parametrize("password", [
    "รหัสผ่าน", "สวัสดี123", "l;ylfu", "isylzjko",  # Thai words, and typed with the keyboard left in English
    "๑๒๓๔๕๖", "bangkok2567!", "Sawasdee", "ห้องสมุด", "qwerty",
])
def test_common_thai_words_in_either_keyboard_layout_are_refused(password):
    with pytest.raises(ValidationError):
        rule.validate(password)


def test_the_other_layout_of_a_thai_word_is_what_people_type():
    assert "l;ylfu" in variants("สวัสดี") and "สวัสดี" in variants("l;ylfu")
    assert "123456" in variants("๑๒๓๔๕๖")


def test_a_strong_passphrase_passes_every_rule():
    assert refused("ฝนตกที่บางเขน-ตอนบ่ายสาม") == []
    assert refused("correct-horse-battery-staple") == []


def test_weak_passwords_get_thai_messages():
    messages = refused("รหัสผ่าน")
    assert messages and all(any("\u0e00" <= ch <= "\u0e7f" for ch in m) for m in messages), messages
    assert any("เดาง่าย" in m for m in messages), messages  # the Thai-aware rule's own message
    assert refused("12345678901")  # only digits
    assert refused("short")  # under ten characters
