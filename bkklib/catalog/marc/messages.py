"""Messages of the MARC reader, importer and editor: English text as their value, the reader's language when shown.

A report line is made where the problem is found, often in a helper process that has no Django
translations loaded; it is shown later, to a librarian reading Thai or English. So a message keeps its
template and values: ``_("field {tag} dropped", tag="245")`` is the string "field 245 dropped" (what logs,
tests and comparisons see) and ``translated(message)`` gives it in the active language (Thai:
"เขตข้อมูล 245 ว่าง: ตัดทิ้ง"). Modules import ``Message as _`` so that ``makemessages`` finds the templates.
"""
from __future__ import annotations

from django.utils.translation import gettext


class Message(str):
    """A message whose value is its English text, made from a template and named values."""

    template: str
    values: dict

    def __new__(cls, template: str, **values):
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        return self

    def __reduce__(self):  # helpers send messages to the importing process: template and values, not the text
        return (_rebuild, (self.template, self.values))

    def translated(self) -> str:
        """Return the message in the active language (its values translated too, when they are messages)."""
        text = gettext(self.template)
        return text.format(**{name: translated(value) for name, value in self.values.items()}) if self.values else text


def _rebuild(template: str, values: dict) -> Message:
    return Message(template, **values)


def translated(value) -> str:
    """Return ``value`` in the active language when it is a Message, else as it is."""
    return value.translated() if isinstance(value, Message) else str(value)
