"""Thai national ID numbers (เลขประจำตัวประชาชน), validated with python-stdnum."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.th import pin


def normalise_thai_id(value: str) -> str:
    """Return the 13 digits of a Thai ID typed with spaces or dashes; raise ValidationError if invalid."""
    try:
        return pin.validate(value)
    except StdnumError:
        raise ValidationError(
            _("“{value}” is not a valid Thai national ID number (13 digits with a correct check digit).").format(
                value=value
            ),
            code="invalid_thai_id",
        )


def is_valid_thai_id(value: str) -> bool:
    """Return True when ``value`` is a valid Thai national ID number."""
    return pin.is_valid(value)


def validate_thai_id(value: str) -> None:
    """Django field validator for Thai national ID numbers."""
    normalise_thai_id(value)


def format_thai_id(value: str) -> str:
    """Return the ID in its printed form ``1-2345-67890-12-1``."""
    return pin.format(value)
