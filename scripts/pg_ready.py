"""Exit 0 when a PostgreSQL server answers at the URL given (used by scripts/test.sh)."""
import sys
from urllib.parse import urlparse

import psycopg


def main(url: str) -> int:
    parts = urlparse(url)
    try:
        psycopg.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
            password=parts.password or None, dbname="postgres", connect_timeout=3,
        ).close()
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable at {parts.hostname}:{parts.port}: {exc}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
