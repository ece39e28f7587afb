"""HTTP clients of the two-node run: a staff desk (log-in page, then the desk API) and a patron on the OPAC."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import requests

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the form"
    return match.group(1)


@dataclass
class Outcome:
    op: str
    barcode: str
    status: int
    code: str = ""
    request_id: str = ""


@dataclass
class Desk:
    """One librarian at one desk, signed in through the staff log-in page; desk verbs through the API."""

    base: str
    username: str
    password: str
    branch: str
    ca: str | bool = True
    session: requests.Session = field(default_factory=requests.Session)
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self):
        self.session.trust_env = False  # no proxy or CA bundle from the environment: this machine's stack only
        self.session.verify = self.ca  # the run's own certificate
        self.session.headers.update({"Accept-Language": "th", "Referer": f"{self.base}/staff/"})

    def log_in(self) -> None:
        page = self.session.get(f"{self.base}/staff/login/", timeout=30)
        assert page.status_code == 200, page.status_code
        answer = self.session.post(f"{self.base}/staff/login/", timeout=30, allow_redirects=False, data={
            "csrfmiddlewaretoken": csrf_of(page.text), "username": self.username, "password": self.password})
        assert answer.status_code == 302, f"log-in of {self.username}: {answer.status_code}"
        home = self.session.get(f"{self.base}/staff/", timeout=30)
        assert home.status_code == 200, home.status_code

    def post(self, op: str, barcode: str, **body) -> Outcome:
        token = self.session.cookies.get("csrftoken")
        answer = self.session.post(f"{self.base}/api/v1/circulation/{op}/", timeout=60,
                                   json={"desk": self.branch, **({"item_barcode": barcode} if barcode else {}), **body},
                                   headers={"X-CSRFToken": token or ""})
        code = ""
        if answer.status_code >= 300:
            code = answer.json().get("code", "")
        outcome = Outcome(op, barcode, answer.status_code, code, answer.headers.get("X-Request-ID", ""))
        self.outcomes.append(outcome)
        self.last = answer
        return outcome


@dataclass
class Reader:
    """A patron on the public website: search, sign in with card and PIN, reserve, renew."""

    base: str
    card: str
    pin: str
    ca: str | bool = True
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self):
        self.session.trust_env = False  # no proxy or CA bundle from the environment: this machine's stack only
        self.session.verify = self.ca  # the run's own certificate
        self.session.headers.update({"Referer": f"{self.base}/"})

    def search(self, words: str) -> str:
        answer = self.session.get(f"{self.base}/search/", params={"q": words}, timeout=30)
        assert answer.status_code == 200, answer.status_code
        return answer.text

    def sign_in(self) -> None:
        page = self.session.get(f"{self.base}/account/", timeout=30)
        answer = self.session.post(f"{self.base}/account/", timeout=30, allow_redirects=False, data={
            "csrfmiddlewaretoken": csrf_of(page.text), "card": self.card, "pin": self.pin})
        assert answer.status_code == 302, f"sign-in of {self.card}: {answer.status_code}"

    def form_post(self, path: str, page_path: str, **data) -> requests.Response:
        page = self.session.get(f"{self.base}{page_path}", timeout=30)
        return self.session.post(f"{self.base}{path}", timeout=30, allow_redirects=False,
                                 data={"csrfmiddlewaretoken": csrf_of(page.text), **data})
