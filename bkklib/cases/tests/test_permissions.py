"""Who sees what: branch staff see their branch's cases only; an anonymous requester's identity is
hidden from everyone but holders of cases.view_requester_identity (and every look is logged); the
public tracking code shows the status without personal data."""
from django.urls import reverse

from bkklib.cases import queries
from bkklib.core.models import AccessLog

from .conftest import at, complaint


def test_branch_staff_see_their_branchs_cases_only(site, client):
    mine = complaint(site, now=at(6, 16, 9))
    theirs = complaint(site, now=at(6, 16, 9), branch=site.other, title="แอร์เสีย")
    assert list(queries.cases_for(site.librarian)) == [mine]
    assert set(queries.cases_for(site.admin)) == {mine, theirs}
    client.force_login(site.librarian)
    page = client.get(reverse("cases:staff-list") + "?state=all").content.decode()
    assert mine.code in page and theirs.code not in page
    assert client.get(reverse("cases:staff-case", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("cases:staff-case-action", args=[theirs.pk, "state"]), {"state": "in_progress"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "new"
    assert client.get(reverse("api-case-detail", args=[theirs.pk])).status_code == 404
    assert [row["code"] for row in client.get(reverse("api-case-list")).json()["results"]] == [mine.code]


def test_an_anonymous_requesters_identity_is_hidden_but_from_the_named_permission(site, client):
    case = complaint(site, now=at(6, 16, 9), anonymous=True)
    client.force_login(site.librarian)
    page = client.get(reverse("cases:staff-case", args=[case.pk])).content.decode()
    assert "สมหญิง" not in page and "0812345678" not in page and "somying@example.org" not in page
    assert client.get(reverse("api-case-detail", args=[case.pk])).json()["requester"] is None
    assert not AccessLog.objects.filter(subject=f"cases.case:{case.pk}").exists()
    assert not site.librarian.has_perm("cases.view_requester_identity")

    client.force_login(site.admin)
    assert site.admin.has_perm("cases.view_requester_identity")
    page = client.get(reverse("cases:staff-case", args=[case.pk])).content.decode()
    assert "สมหญิง รักอ่าน" in page and "0812345678" in page
    log = AccessLog.objects.get(subject=f"cases.case:{case.pk}")
    assert log.user == site.admin and log.purpose == "anonymous requester identity"


def test_the_tracking_code_shows_status_without_personal_data(site, client):
    case = complaint(site, now=at(6, 16, 9))
    page = client.get(reverse("cases:track", args=[case.code])).content.decode()
    assert case.title in page and "รอรับเรื่อง" in page
    for personal in ("สมหญิง", "0812345678", "somying@example.org"):
        assert personal not in page
    body = client.get(reverse("api-case-track", args=[case.code])).json()
    assert body["state"] == "new" and not {"requester_name", "requester_phone", "requester_email"} & set(body)
    assert client.get(reverse("cases:track", args=["NOSUCHCODE"])).status_code == 404
