#!/usr/bin/env bash
# Install the Debian packages bkklib needs, when they are missing (the list is in README.md).
#   libicu-dev pkg-config : build PyICU (Thai segmentation candidate, Thai collation)
#   gettext : makemessages in the tests (every string marked for translation has its Thai)
#   yaz libmarc-lint-perl libmarc-record-perl libxml2-utils : check MARC exports in the tests
#   poppler-utils : pdftotext reads the Thai call numbers back out of the label PDFs in the tests
#   libharfbuzz-bin librsvg2-bin : hb-view draws Thai as HarfBuzz does (SVG, rasterised by rsvg-convert); the PDF
#     tests compare the project's PDFs with it
#   chromium fonts-thai-tlwg : browser tests and Thai text in screenshots and PDFs
#   nginx-light redis-server openssl : the two-node deployment test (tests/deploy: the shipped nginx site, `nginx -t`,
#     a private Redis when none runs, a throw-away TLS certificate)
#   postgresql-client : pg_dump, pg_restore and psql for `bkklib backup` / `bkklib restore` on PostgreSQL
#   idzebra-2.0 : Zebra (Koha's classic search engine), which bench/search_vs_zebra.py measures bkklib's search against
# As root with apt-get it installs them; otherwise it says what to install and goes on.
set -u
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libicu-dev pkg-config gettext yaz libmarc-lint-perl libmarc-record-perl libxml2-utils poppler-utils libharfbuzz-bin librsvg2-bin chromium fonts-thai-tlwg nginx-light redis-server openssl postgresql-client idzebra-2.0; do
  have "$pkg" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "system-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "system-deps: apt-get install failed for: ${need[*]}" >&2; exit 1; }
else
  echo "system-deps: please install these Debian packages (as root): apt-get install ${need[*]}" >&2
  command -v pkg-config >/dev/null && pkg-config --exists icu-uc || exit 1
fi
