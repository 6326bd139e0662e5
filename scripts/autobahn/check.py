# Checks an Autobahn|Testsuite index.json: every case's behaviour must be OK or
# INFORMATIONAL and every close behaviour OK. The three cases Autobahn itself grades
# INFORMATIONAL (7.1.6, 7.13.1, 7.13.2) also grade their close INFORMATIONAL whatever the
# implementation does; that pair is accepted. Writes a summary next to the report.
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
        ok = (b == "OK" and c == "OK") or (b == "INFORMATIONAL" and c in ("OK", "INFORMATIONAL"))
        if not ok:
            bad.append("%s case %s: behavior=%s close=%s" % (agent, case_id, b, c))
    lines.append("%s: %d cases" % (agent, len(cases)))
    for (b, c), n in sorted(counts.items()):
        lines.append("  behavior=%s close=%s: %d" % (b, c, n))
if not index:
    bad.append("no agent in the report")
lines.extend(bad)
info = sorted(k for a in index for k, r in index[a].items() if r.get("behavior") == "INFORMATIONAL")
if info:
    lines.append("informational: " + ", ".join(info))
lines.append("RESULT: %s" % ("FAIL (%d cases)" % len(bad) if bad else "PASS"))
text = "\n".join(lines) + "\n"
open(sys.argv[2], "w").write(text)
print(text, end="")
sys.exit(1 if bad else 0)
