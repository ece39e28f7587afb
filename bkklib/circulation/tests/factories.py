"""Factories for circulation tests (also used by the OPAC's tests)."""
from datetime import date

import factory
from factory.django import DjangoModelFactory

from bkklib.circulation.models import LoanPolicy, Patron, PatronCategory
from bkklib.network.tests.factories import BranchFactory


def category(code: str = "adult") -> PatronCategory:
    """Return a category loaded by the data migration (child, student, adult, senior, staff, institution)."""
    return PatronCategory.objects.get(code=code)


def thai_id(n: int) -> str:
    """Return a valid Thai national ID number built from ``n`` (first digit 1, correct check digit)."""
    body = f"1{n:011d}"
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10
    return body + str(check)


class PatronFactory(DjangoModelFactory):
    class Meta:
        model = Patron

    # 29… : a prefix the network's own numbering (card_number_for: 2 + 11-digit id) reaches only past id 9e10,
    # so a factory card never collides with a card issued to a registered patron.
    card_number = factory.Sequence(lambda n: f"29{n:011d}")
    first_name_th = "สมหญิง"
    last_name_th = factory.Sequence(lambda n: f"รักการอ่าน{n}")
    first_name_en = "Somying"
    last_name_en = factory.Sequence(lambda n: f"Rakkanan{n}")
    national_id = factory.Sequence(lambda n: thai_id(500000 + n))
    birth_date = date(1990, 5, 17)
    category = factory.LazyFunction(lambda: category("adult"))
    home_branch = factory.SubFactory(BranchFactory)
    card_expires_on = date(2030, 12, 31)
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = Patron.Status.ACTIVE


class LoanPolicyFactory(DjangoModelFactory):
    class Meta:
        model = LoanPolicy
