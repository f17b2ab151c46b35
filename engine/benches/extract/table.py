#!/usr/bin/env python3
"""Prints the summaries that extract_recall and iocextract_recall wrote side by side: recall per
spelling, overall, speed, and each peer's speed as a fraction of the first extractor's.

    python3 engine/benches/extract/table.py ENGINE.json PEER.json [PEER.json ...]
"""

import json
import sys


def main(paths):
    runs = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            runs.append(json.load(f))
    names = [r["extractor"] for r in runs]
    spellings = sorted(set().union(*(r["spellings"] for r in runs)))

    def pct(tally):
        return f"{100 * tally['recalled'] / tally['messages']:.2f} %" if tally else "-"

    for i, name in enumerate(names):
        print(f"[{i + 1}] {name}")
    header = ["spelling", "messages"] + [f"[{i + 1}] recall" for i in range(len(runs))]
    rows = [[s, str(runs[0]["spellings"][s]["messages"])] + [pct(r["spellings"].get(s)) for r in runs] for s in spellings]
    rows.append(["all", str(runs[0]["messages"])] + [pct(r) for r in runs])
    rows.append(["msgs/s, best", ""] + [f"{r['msgs_per_second_best']:,.0f}" for r in runs])
    rows.append(["msgs/s, median", ""] + [f"{r['msgs_per_second_median']:,.0f}" for r in runs])
    first = runs[0]
    rows.append(["[1] faster by (median)", ""] + [
        f"{first['msgs_per_second_median'] / r['msgs_per_second_median']:,.1f} x" for r in runs
    ])
    widths = [max(len(row[c]) for row in [header] + rows) for c in range(len(header))]

    def line(row):
        return "  ".join(cell.ljust(w) if c == 0 else cell.rjust(w) for c, (cell, w) in enumerate(zip(row, widths)))

    print()
    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1:])
