#!/usr/bin/env python3
"""Recall and speed of iocextract on the extraction benchmark's corpus, measured the way
engine/examples/extract_recall.rs measures engine::extract.

A message is recalled when one string iocextract returns for it names exactly the host the
message was written for: the host is read with urllib.parse (`http://` put in front when the
string has no scheme), lower-cased, one trailing dot dropped, and a non-ASCII host encoded with
Python's IDNA codec (which also maps full-width letters and drops zero-width characters, as a
browser would). Only the iocextract calls are timed; each result is consumed inside the timing.

    python engine/benches/extract/iocextract_recall.py CORPUS.jsonl [--mode urls|iocs]
        [--reps N] [--misses N] [--summary OUT.json]
"""

import argparse
import json
import statistics
import sys
import time
from urllib.parse import urlsplit

import iocextract

MODES = {
    # What the brief asks for: URLs, defanged ones refanged.
    "urls": ("extract_urls(text, refang=True)", lambda text: iocextract.extract_urls(text, refang=True)),
    # Everything it finds (URLs, IPs, e-mail addresses, hashes, YARA rules, phone numbers), URL
    # tails trimmed of trailing garbage: its widest net.
    "iocs": (
        "extract_iocs(text, refang=True, strip=True)",
        lambda text: iocextract.extract_iocs(text, refang=True, strip=True),
    ),
}


def host_of(found):
    link = found.strip()
    if "://" not in link:
        link = "http://" + link
    try:
        host = urlsplit(link).hostname
    except ValueError:
        return None
    if not host:
        return None
    if host.endswith("."):
        host = host[:-1]
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    return host.lower()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--mode", choices=MODES, default="urls")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--misses", type=int, default=5)
    parser.add_argument("--summary")
    args = parser.parse_args()
    call, extract = MODES[args.mode]

    with open(args.corpus, encoding="utf-8") as f:
        messages = [json.loads(line) for line in f]
    texts = [m["text"] for m in messages]
    size = sum(len(t.encode()) for t in texts)

    times = []
    for _ in range(max(args.reps, 1)):
        started = time.perf_counter()
        for text in texts:
            for _found in extract(text):
                pass
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)

    spellings = {}
    for m in messages:
        try:
            found = list(extract(m["text"]))
        except Exception as e:  # an exception is a miss, not the end of the run
            found = [f"<{type(e).__name__}: {e}>"]
        hosts = [host_of(f) for f in found]
        tally = spellings.setdefault(m["spelling"], {"messages": 0, "recalled": 0, "misses": []})
        tally["messages"] += 1
        if m["host"] in hosts:
            tally["recalled"] += 1
        else:
            tally["misses"].append((m["text"], found))
    total = len(messages)
    recalled = sum(t["recalled"] for t in spellings.values())

    print(f"iocextract {iocextract_version()} {call} on {args.corpus} ({total} messages, {size} bytes)")
    print(
        f"speed: best {total / best:.0f} msgs/s ({size / best / 2**20:.2f} MiB/s), "
        f"median {total / median:.0f} msgs/s, over {len(times)} repetitions"
    )
    print(f"recall: {recalled}/{total} = {100 * recalled / total:.2f} %\n")
    print(f"{'spelling':<20} {'messages':>8} {'recalled':>8} {'recall':>8}")
    for name in sorted(spellings):
        t = spellings[name]
        print(f"{name:<20} {t['messages']:>8} {t['recalled']:>8} {100 * t['recalled'] / t['messages']:>7.2f}%")
    for name in sorted(spellings):
        t = spellings[name]
        if t["misses"]:
            print(f"\nmissed, {name} ({len(t['misses'])} of {t['messages']}):")
            for text, found in t["misses"][: args.misses]:
                print(f"  {text!r} -> {found!r}")

    if args.summary:
        summary = {
            "extractor": f"iocextract {iocextract_version()} {call}",
            "messages": total,
            "recalled": recalled,
            "msgs_per_second_best": total / best,
            "msgs_per_second_median": total / median,
            "repetitions": len(times),
            "spellings": {n: {"messages": t["messages"], "recalled": t["recalled"]} for n, t in spellings.items()},
        }
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump(summary, f)


def iocextract_version():
    from importlib.metadata import version

    return version("iocextract")


if __name__ == "__main__":
    sys.exit(main())
