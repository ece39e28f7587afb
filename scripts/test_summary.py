"""Print each test leg's counts and the total "N passed, N failed" line from JUnit XML files."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def counts(path: Path) -> dict[str, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in total:
            total[key] += int(suite.get(key, 0))
    return total


def main(folder: str) -> int:
    passed = failed = skipped = 0
    # The three legs always named (a missing one "did not run"), then any other step's file (faults, deploy...).
    extra = sorted(p.stem for p in Path(folder).glob("*.xml") if p.stem not in ("sqlite", "postgres", "browser"))
    for name in ("sqlite", "postgres", "browser", *extra):
        path = Path(folder) / f"{name}.xml"
        if not path.exists():
            print(f"{name:>9}: did not run")
            continue
        c = counts(path)
        leg_failed = c["failures"] + c["errors"]
        leg_passed = c["tests"] - leg_failed - c["skipped"]
        print(f"{name:>9}: {leg_passed} passed, {leg_failed} failed, {c['skipped']} skipped")
        passed, failed, skipped = passed + leg_passed, failed + leg_failed, skipped + c["skipped"]
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
