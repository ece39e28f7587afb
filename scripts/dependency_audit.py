"""`make test`'s dependency audit: pip-audit over the virtualenv, tolerant of a machine without network.

Exit 1 when a package has a known vulnerability that docs/admin/security.md does not explain
(explained ones are listed in scripts/audit-ignore.txt, one id per line with a comment); exit 0
with a clear message when no vulnerability database can be reached (a closed network, a
package index without vulnerability data), since the audit then proves nothing either way.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_NETWORK = ("ConnectionError", "Max retries exceeded", "Failed to resolve", "Temporary failure in name resolution",
              "Network is unreachable", "timed out")


def ignored() -> list[str]:
    path = ROOT / "scripts" / "audit-ignore.txt"
    lines = path.read_text().splitlines() if path.exists() else []
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def main() -> int:
    command = [str(ROOT / ".venv" / "bin" / "pip-audit"), "--local", "--format", "json", "--progress-spinner", "off",
               "--timeout", "20"]
    for vuln in ignored():
        command += ["--ignore-vuln", vuln]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        print("dependency audit: pip-audit is not installed (pip install -e '.[dev]'); NOT audited")
        return 1
    except subprocess.TimeoutExpired:
        print("dependency audit: NOT done: no answer from the vulnerability database within 5 minutes (no network?)")
        return 0
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if not report.get("dependencies"):
        if any(sign in result.stderr for sign in NO_NETWORK):
            print("dependency audit: NOT done: the vulnerability database cannot be reached (no network). "
                  "Run `python scripts/dependency_audit.py` on a connected machine.")
            return 0
        print("dependency audit: pip-audit failed:\n" + result.stderr[-2000:])
        return 1
    deps = report["dependencies"]
    audited = [d for d in deps if "skip_reason" not in d]
    if not audited:
        print(f"dependency audit: NOT done: none of the {len(deps)} packages could be looked up (the package index "
              "reached here serves no vulnerability data, or there is no network).")
        return 0
    found = [(d["name"], d["version"], v["id"], ", ".join(v.get("fix_versions", [])) or "no fix yet")
             for d in audited for v in d.get("vulns", [])]
    for name, version, vuln, fix in found:
        print(f"dependency audit: {name} {version}: {vuln} (fixed in: {fix})")
    skipped = len(deps) - len(audited)
    print(f"dependency audit: {len(audited)} packages audited ({skipped} could not be looked up), "
          f"{len(found)} known vulnerabilities not explained in docs/admin/security.md")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
