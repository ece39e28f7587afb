"""Staff passwords: the Thai-aware rule against common passwords (settings.AUTH_PASSWORD_VALIDATORS).

Django's CommonPasswordValidator knows 20,000 common passwords in Latin letters. Thai staff also
choose Thai words ("รหัสผ่าน", "สวัสดี"), the same words typed with the keyboard left in English
(the Kedmanee layout turns "สวัสดี" into "l;ylfu"), Thai digits ("๑๒๓๔๕๖") and romanised Thai
("sawasdee"). This rule refuses a password when it, after folding Thai digits to ASCII and
reading it in the other keyboard layout, is one of those words, the library's own names, or
Django's common ones.
"""
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Kedmanee (Thai) characters on the unshifted keys of a QWERTY keyboard, key for key.
QWERTY = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./"
KEDMANEE = "_ๅ/-ภถุึคตจขชๆไำพะัีรนยบลฃฟหกดเ้่าสวงผปแอิืทมใฝ"
TO_THAI = str.maketrans(QWERTY, KEDMANEE)
TO_QWERTY = str.maketrans(KEDMANEE, QWERTY)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Words Thai users pick as passwords (in Thai script and romanised), and this library's names.
THAI_COMMON = frozenset("""
รหัสผ่าน รหัส พาสเวิร์ด สวัสดี สวัสดีครับ สวัสดีค่ะ ขอบคุณ ขอบคุณครับ ขอบคุณค่ะ รักนะ รักเธอ ฉันรักเธอ
ผมรักคุณ คิดถึง ห้องสมุด ห้องสมุดประชาชน กรุงเทพ กรุงเทพฯ กรุงเทพมหานคร กทม ประเทศไทย ไทย คนไทย ในหลวง
พ่อหลวง แม่ พ่อ ครอบครัว บ้าน หมา แมว ช้าง ทดสอบ เข้าระบบ ผู้ดูแล แอดมิน บรรณารักษ์ หนังสือ อ่านหนังสือ
มหาวิทยาลัย โรงเรียน สุขสันต์ โชคดี ร่ำรวย เงิน ทอง สมศักดิ์ สมชาย สมหญิง สมศรี
sawasdee sawatdee sawadee sawasdeekrub sawasdeeka khobkhun kobkhun khopkhun chanrakthoe rakna
krungthep bangkok thailand thai siam prathetthai kanthai hongsamut library librarian bannarak bkklib
bkk bma admin administrator password passw0rd p@ssw0rd welcome welcome1 qwerty qwertyuiop asdfghjkl
zxcvbnm 1q2w3e4r 1qaz2wsx iloveyou
""".split())


def variants(password: str) -> set[str]:
    """Return ``password`` as typed and as read in the other keyboard layout, Thai digits folded."""
    text = password.strip().lower().translate(THAI_DIGITS)
    return {text, text.translate(TO_THAI), text.translate(TO_QWERTY)}


class ThaiCommonPasswordValidator:
    """Refuse Thai and romanised-Thai common words, also typed in the wrong keyboard layout."""

    def __init__(self):
        self._common = CommonPasswordValidator()

    def validate(self, password, user=None):
        for text in variants(password):
            core = text.rstrip("0123456789!@#$%.*_-")  # "สวัสดี123", "bangkok2567!" are as weak
            if (text in THAI_COMMON or core in THAI_COMMON or text in self._common.passwords
                    or (len(core) >= 4 and core in self._common.passwords)):
                raise ValidationError(
                    _("This password is a common word or name (also when typed with the other keyboard "
                      "layout). Choose a longer phrase that others cannot guess."),
                    code="password_too_common_th",
                )

    def get_help_text(self):
        return _("Your password cannot be a common Thai or English word, or one typed with the other keyboard layout.")


def _django_messages():  # pragma: no cover - never called: names the strings for makemessages
    """Django's own password-rule messages, which its Thai catalogue lacks: their Thai is in staff's catalogue."""
    from django.utils.translation import ngettext

    return (
        ngettext("This password is too short. It must contain at least %d character.",
                 "This password is too short. It must contain at least %d characters.", 10),
        ngettext("Your password must contain at least %(min_length)d character.",
                 "Your password must contain at least %(min_length)d characters.", 10),
        _("The password is too similar to the %(verbose_name)s."),
        _("Your password can’t be too similar to your other personal information."),
        _("This password is too common."),
        _("Your password can’t be a commonly used password."),
        _("This password is entirely numeric."),
        _("Your password can’t be entirely numeric."),
    )
