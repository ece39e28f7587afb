"""Security headers on every kind of page, and templates the CSP can keep strict (issue 30)."""
import base64
import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "bkklib").rglob("templates/**/*.html"))


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {name: rest for name, _, rest in (part.strip().partition(" ") for part in header.split(";"))}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/search/?q=x", "/staff/login/", "/account/", "/api/v1/branches/"])
def test_pages_and_api_answer_with_a_strict_csp_and_no_framing(client, path):
    response = client.get(path)
    csp = policy(response)
    assert csp["script-src"].startswith("'self'") and "unsafe" not in csp["script-src"]
    assert "unsafe" not in csp["style-src"] and "unsafe" not in csp["default-src"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_only_the_admin_and_swagger_ui_keep_inline_styles_and_never_inline_scripts(admin_client):
    for path in ("/admin/", "/api/docs/"):
        csp = policy(admin_client.get(path))
        assert csp["style-src"] == "'self' 'unsafe-inline'", path  # no hash beside it: browsers would ignore it
        assert "unsafe" not in csp["script-src"], path


SELF_CONTAINED = {f"bkklib/templates/{name}" for name in ("500.html", "503.html")}


def test_the_self_contained_error_pages_inline_blocks_are_allowed_by_their_hashes(client):
    from django.conf import settings

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for page in SELF_CONTAINED:
        html = (ROOT / page).read_text() if (ROOT / page).exists() else ""
        for tag, directive in (("script", "script-src"), ("style", "style-src")):
            for body in re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S):
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                assert f"'sha256-{digest}'" in directives[directive], page


INLINE = [
    # A JSON-LD data block (type="application/ld+json") is data, not a script: browsers never run it.
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "an on...= handler"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.I), "a style= attribute"),
    (re.compile(r"<style", re.I), "a <style> block"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"hx-on|hx-vals\s*=\s*['\"]\s*js:|hx-vars", re.I), "htmx code run by eval"),
]


def test_no_template_needs_inline_script_eval_or_inline_style():
    """The CSP allows no inline script, no eval and no inline style: templates use static files and classes."""
    assert len(TEMPLATES) > 50
    found = []
    for template in TEMPLATES:
        text = template.read_text()
        if template.relative_to(ROOT).as_posix() in SELF_CONTAINED:
            # Self-contained on purpose: its <style> and <script> blocks are allowed by hash (test above).
            text = re.sub(r"<(style|script)>.*?</\1>", "", text, flags=re.S)
        found += [f"{template.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, "\n".join(found)


def test_htmx_runs_without_eval_and_without_its_inline_indicator_style():
    base = (ROOT / "bkklib" / "templates" / "base.html").read_text()
    assert '"allowEval": false' in base and '"includeIndicatorStyles": false' in base
    assert "bkklib/behaviours.js" in base
