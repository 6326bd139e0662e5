# Checks an Autobahn|Testsuite index.json: every case's behaviour must be OK or
# INFORMATIONAL and every close behaviour OK. Writes a summary next to the report.
# usage: python check.py REPORT_DIR/index.json SUMMARY_FILE   (Python 2.7 or 3)
from __future__ import print_function
import json
import sys

index = json.load(open(sys.argv[1]))
lines = []
bad = []
for agent in sorted(index):
    cases = index[agent]
    counts = {}
    for case_id, r in cases.items():
        b, c = r.get("behavior"), r.get("behaviorClose")
        counts[(b, c)] = counts.get((b, c), 0) + 1
        if b not in ("OK", "INFORMATIONAL") or c != "OK":
            bad.append("%s case %s: behavior=%s close=%s" % (agent, case_id, b, c))
    lines.append("%s: %d cases" % (agent, len(cases)))
    for (b, c), n in sorted(counts.items()):
        lines.append("  behavior=%s close=%s: %d" % (b, c, n))
if not index:
    bad.append("no agent in the report")
lines.extend(bad)
lines.append("RESULT: %s" % ("FAIL (%d cases)" % len(bad) if bad else "PASS"))
text = "\n".join(lines) + "\n"
open(sys.argv[2], "w").write(text)
print(text, end="")
sys.exit(1 if bad else 0)
