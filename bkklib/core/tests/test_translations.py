"""Thai first: every string the code and templates mark for translation has its Thai translation, and the
compiled catalogues (.mo, what Django reads) say what the .po files say."""
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "bkklib"
PO_FILES = sorted(PACKAGE.glob("**/locale/th/LC_MESSAGES/django.po"))
_ENTRY = re.compile(r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?'
                    r'msgstr(?:\[0\])? ((?:".*"\n)+)', re.M)


def _text(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted)).encode("raw_unicode_escape").decode("unicode_escape")


def po_entries(path: Path) -> dict[str, str]:
    """Return {msgid: msgstr} of a .po file, a msgid with a context as gettext keys it ("context\x04msgid");
    obsolete and fuzzy entries left out, plurals by their first form."""
    out = {}
    for block in re.split(r"\n\s*\n", path.read_text("utf-8") + "\n"):
        if "#, fuzzy" in block or block.lstrip().startswith("#~"):
            continue
        match = _ENTRY.search(block + "\n")
        if match and _text(match.group(2)):
            context = f"{_text(match.group(1))}\x04" if match.group(1) else ""
            out[context + _text(match.group(2))] = _text(match.group(3))
    return out


def test_there_are_thai_catalogues():
    assert len(PO_FILES) >= 7


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_compiled_catalogue_says_what_the_po_file_says(po):
    with open(po.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = {msgid for msgid, msgstr in po_entries(po).items() if compiled.gettext(msgid) != msgstr}
    assert not stale, f"{po.with_suffix('.mo')} is older than its .po: run msgfmt -o django.mo django.po {sorted(stale)[:5]}"


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_entry_is_left_fuzzy(po):
    # gettext ignores a fuzzy entry: its page shows the English (makemessages guesses one from a similar string).
    fuzzy = [m for m in re.findall(r"^#, fuzzy\n(?:#.*\n)*msgid ((?:\".*\"\n)+)", po.read_text("utf-8"), re.M)
             if _text(m)]  # the header (msgid "") may stay fuzzy: msgfmt reads it all the same
    assert not fuzzy, f"fuzzy entries in {po.relative_to(PACKAGE)}: {[_text(m) for m in fuzzy][:5]}"


def test_no_template_hides_a_string_from_the_extraction():
    # makemessages cannot read a {% translate %} string with backslash-escaped quotes: it stays English.
    hidden = [str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("**/templates/**/*.html")
              if re.search(r'{%\s*(?:translate|trans)\s+"[^"%]*\\"', p.read_text("utf-8"))]
    assert hidden == []


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, dict[str, str]]:
    """Run makemessages on a copy of the package, each app in its own directory as a developer does; return
    {catalogue: {msgid: msgstr}} of the fresh .po files: exactly the strings the code and templates use now."""
    if connection.vendor != "sqlite":
        pytest.skip("not about the database: run once, on the SQLite leg")
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext is missing (Debian package gettext; scripts/system-deps.sh installs it)")
        pytest.skip("xgettext is not installed (Debian package gettext)")
    tmp_path = tmp_path_factory.mktemp("makemessages")
    copy = tmp_path / "bkklib"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    # An app is the directory holding locale/th/LC_MESSAGES/django.po; makemessages must run there.
    apps = [p.parents[3] for p in copy.glob("**/locale/th/LC_MESSAGES/django.po")]
    # The project catalogue (bkklib/locale) takes what no app holds: bkklib/*.py and bkklib/templates. An app is
    # left out by its files ("staff/*.*"), not as a directory ("staff/*"): makemessages would then leave out
    # every directory of that name, bkklib/templates/staff among them.
    others = [f"--ignore={app.relative_to(copy)}/*.*" for app in apps if app != copy]
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "BKKLIB_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    for app in apps:
        subprocess.run([sys.executable, str(tmp_path / "manage.py"), "makemessages", "-l", "th", "-v", "0",
                        *(others if app == copy else [])], cwd=app, env=env, check=True, capture_output=True)
    fresh = {str(po.relative_to(copy)): po_entries(po) for po in copy.glob("**/locale/th/LC_MESSAGES/django.po")}
    assert len(fresh) == len(PO_FILES)
    return fresh


def test_every_marked_string_has_a_thai_translation(extracted):
    missing = {po: sorted(msgid for msgid, msgstr in entries.items() if not msgstr) for po, entries in extracted.items()}
    assert {po: ids for po, ids in missing.items() if ids} == {}


def test_the_catalogues_hold_what_the_code_uses_and_nothing_stale(extracted):
    # A string the code no longer uses must leave the catalogue (makemessages marks it obsolete): Django merges
    # every app's catalogue into one, so a stale entry still translates that text on another app's page.
    differ = {}
    for po, entries in extracted.items():
        committed = po_entries(PACKAGE / po)
        if set(committed) != set(entries):
            differ[po] = {"stale": sorted(set(committed) - set(entries))[:5],
                          "new": sorted(set(entries) - set(committed))[:5]}
    assert differ == {}, "run makemessages -l th in each app (docs/architecture.md, Translations)"


def test_no_app_shows_another_catalogues_wording(extracted):
    # Django merges all catalogues and the app listed first in INSTALLED_APPS wins a msgid two apps share, so a
    # later app whose Thai means something else ("unit" as a unit of measure, not an org unit) shows the wrong
    # word. Give such a string a context (pgettext, {% translate "..." context "..." %}); a mere synonym takes
    # the wording already shown.
    overridden = []
    with translation.override("th"):
        for po, entries in extracted.items():
            for key, msgstr in entries.items():
                context, _, msgid = key.rpartition("\x04")
                shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                if msgstr and shown != msgstr:
                    where = f"{po.split('/')[0]}: {key.replace(chr(4), ' | ')!r}"
                    overridden.append(f"{where} is {msgstr!r} but shows {shown!r}")
    assert overridden == []
