"""PDPA: loan history anonymised after N days, export of everything held, erasure also from audit history."""
import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bkklib.circulation import services
from bkklib.circulation.exceptions import ErasureRefused
from bkklib.circulation.models import Consent, Fine, Patron

from .conftest import TUE_10AM

pytestmark = pytest.mark.django_db


def borrow_and_return(desk, days_out=3):
    loan = services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM + timedelta(days=days_out))
    return loan


def test_loans_lose_their_patron_n_days_after_return_but_keep_the_statistics(desk, settings):
    settings.BKKLIB = {**settings.BKKLIB, "ANONYMISE_AFTER_DAYS": 30}
    loan = borrow_and_return(desk)
    assert services.anonymise_loans(now=TUE_10AM + timedelta(days=20)) == 0
    assert services.anonymise_loans(now=TUE_10AM + timedelta(days=40)) == 1
    loan.refresh_from_db()
    assert loan.patron is None and loan.anonymised_at
    assert (loan.branch, loan.item_type.code, loan.patron_category.code, loan.age_band) == (
        desk.branch, "book", "adult", "25-39")
    assert not loan.history.filter(patron__isnull=False).exists()


def test_patrons_who_opted_in_keep_their_history(desk):
    services.record_consent(desk.patron, purposes=["loan_history"], channel=Consent.Channel.DESK, now=TUE_10AM)
    borrow_and_return(desk)
    assert services.anonymise_loans(now=TUE_10AM + timedelta(days=100)) == 0


def test_export_holds_everything_including_history(desk):
    borrow_and_return(desk)
    out = StringIO()
    call_command("patron_export", desk.patron.card_number, stdout=out)
    data = json.loads(out.getvalue())
    assert data["patron"]["national_id"] == desk.patron.national_id
    assert len(data["loans"]) == 1 and data["loans"][0]["item"] == desk.item.barcode
    assert data["history"][0]["type"] == "created"


def test_erasure_is_refused_while_loans_or_debts_are_open(desk):
    services.checkout(item=desk.item, patron=desk.patron, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    with pytest.raises(ErasureRefused) as err:
        services.erase_patron(desk.patron)
    assert "on loan" in err.value.text or "ยืม" in err.value.text
    services.checkin(item=desk.item, staff=desk.staff, desk=desk.branch, now=TUE_10AM)
    Fine.objects.create(patron=desk.patron, kind=Fine.Kind.DAMAGED, branch=desk.branch, amount=Decimal("5"),
                        created_at=TUE_10AM)
    with pytest.raises(CommandError):
        call_command("patron_erase", desk.patron.card_number, "--yes", stdout=StringIO())


def test_erasure_scrubs_personal_fields_also_from_the_audit_history(desk):
    national_id, name = desk.patron.national_id, desk.patron.last_name_th
    loan = borrow_and_return(desk)
    services.update_patron(desk.patron, staff=desk.staff, desk=desk.branch, phone="0899999999", reason="แก้เบอร์")
    call_command("patron_erase", desk.patron.card_number, "--yes", stdout=StringIO())
    patron = Patron.objects.get(pk=desk.patron.pk)
    assert patron.status == Patron.Status.ERASED and patron.national_id == "" and patron.last_name_th == ""
    history = Patron.history.filter(id=patron.pk)
    assert history.count() >= 3  # the fact of each change stays
    assert not history.filter(national_id=national_id).exists() and not history.filter(last_name_th=name).exists()
    assert not history.filter(phone="0899999999").exists()
    loan.refresh_from_db()
    assert loan.patron is None
