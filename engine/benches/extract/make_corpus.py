#!/usr/bin/env python3
"""Writes the extraction benchmark's corpus: every distinct URL of Taiwan's 165 anti-fraud open
data, each put into one message the way customers receive links (see "Input formats that are
real" in the product brief), as JSON lines {"text", "host", "spelling"}.

The URLs are shuffled with a fixed seed and dealt to the spellings in turn, so every spelling
gets the same number of URLs (within one) and the same run always writes the same file.
Standard library only.

    python3 engine/benches/extract/make_corpus.py [--csv PATH] [--out PATH] [--seed N]
"""

import argparse
import csv
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DEFAULT_CSV = REPO.parent / "shared" / "data" / "165" / "gamble.csv"
DEFAULT_OUT = REPO / "target" / "bench-extract" / "corpus.jsonl"

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


class Link:
    """A 165 WEBURL split into what each spelling rewrites: scheme, host, the rest."""

    def __init__(self, weburl):
        rest = weburl
        self.scheme = ""
        if "://" in rest:
            self.scheme, rest = rest.split("://", 1)
        end = len(rest)
        for sep in "/?#:":
            at = rest.find(sep)
            if at != -1:
                end = min(end, at)
        self.host = rest[:end]
        self.tail = rest[end:]  # port, path, query, as written

    @property
    def intended_host(self):
        return self.host.lower()

    def written(self, host=None, scheme=None):
        """The link with its host written as `host` and its scheme as `scheme` (None keeps it)."""
        scheme = self.scheme if scheme is None else scheme
        prefix = f"{scheme}://" if scheme else ""
        return prefix + (self.host if host is None else host) + self.tail

    def dots(self, dot):
        """The link with each dot of the host written as `dot`."""
        return self.written(host=self.host.replace(".", dot))


def full_width(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


def phone(rng):
    return rng.choice(
        [
            f"02-{rng.randint(2000, 2999)}-{rng.randint(1000, 9999)}",
            f"+886 2 {rng.randint(2000, 2999)} {rng.randint(1000, 9999)}",
            f"09{rng.randint(10, 89)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}",
            f"(04){rng.randint(2200, 2399)}-{rng.randint(1000, 9999)}",
        ]
    )


def line_id(rng):
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "@" + "".join(rng.choice(letters) for _ in range(rng.randint(3, 6))) + str(rng.randint(1, 999))


# A link between spaces or after a colon, so that only the link's own spelling is tested.
ZH = [
    "【凱基證券】您的帳戶有異常登入，請至 {u} 重新驗證身分",
    "親愛的會員：您的點數將於今日到期，請盡速登入 {u} 兌換",
    "【通知】您的投資帳戶已凍結，解凍請至 {u} 填寫資料",
    "老師推薦飆股，群組名額有限，立即加入：{u} 領取免費課程",
    "您有一筆退款尚未領取，請點擊 {u} 完成手續",
]
ZH_GLUED = [
    "請至{u}驗證",
    "【凱基證券】帳戶異常請至{u}登入處理",
    "您的包裹地址不完整請至{u}更新資料",
    "恭喜中獎請上{u}領取獎金",
]
ZH_PUNCT = [
    "請至 {u}，完成驗證",
    "官方網站是 {u}。請盡速登入",
    "快上 {u}！限時優惠",
    "登入網址：{u}，逾期將停權。",
]
ENGLISH = [
    "Your KGI account has been suspended. Verify now at {u} to avoid closure.",
    "Dear customer, please log in at {u}.",
    "Claim your reward: {u} (valid 24 hours)",
    "Security alert! Confirm your identity on {u}, or your account will be locked.",
]


def message(spelling, link, rng):
    """One message containing `link`, written in `spelling`."""
    if spelling == "plain_zh":
        return rng.choice(ZH).format(u=link.written())
    if spelling == "glued_zh":
        return rng.choice(ZH_GLUED).format(u=link.written())
    if spelling == "https":
        return rng.choice(ZH).format(u=link.written(scheme="https"))
    if spelling == "hxxps":
        return rng.choice(ZH).format(u=link.written(scheme="hxxps"))
    if spelling == "vendor_defanged":
        # A takedown vendor's line: alert ID, case ID, defanged URL, hosting IP.
        alert = rng.randint(1_000_000, 9_999_999)
        ip = ".".join(str(rng.randint(1, 254)) for _ in range(4))
        url = Link(link.written(scheme="hxxps")).dots("[.]")
        return f"E{alert} (C{alert - 1}) {url} {ip}"
    if spelling == "ideographic_dot":
        return rng.choice(ZH).format(u=link.dots("。"))
    if spelling == "fullwidth_dot":
        return rng.choice(ZH).format(u=link.dots("．"))
    if spelling == "dian":
        return rng.choice(ZH).format(u=link.dots(" 點 "))
    if spelling == "fullwidth":
        return rng.choice(ZH).format(u=full_width(link.written()))
    if spelling == "zero_width":
        host = list(link.host)
        for _ in range(rng.randint(1, 3)):
            host.insert(rng.randint(1, len(host) - 1), rng.choice(ZERO_WIDTH))
        return rng.choice(ZH).format(u=link.written(host="".join(host)))
    if spelling == "spaced_dots":
        return rng.choice(ZH).format(u=link.dots(" . "))
    if spelling == "lenticular_brackets":
        return rng.choice(["官方網站【{u}】請盡速登入", "【凱基證券】【{u}】帳戶驗證"]).format(u=link.written())
    if spelling == "corner_brackets":
        return rng.choice(["請搜尋「{u}」下載APP", "新平台網址「{u}」，請收藏"]).format(u=link.written())
    if spelling == "zh_punctuation":
        return rng.choice(ZH_PUNCT).format(u=link.written())
    if spelling == "english":
        return rng.choice(ENGLISH).format(u=link.written())
    if spelling == "line_message":
        templates = [
            "加入官方LINE：{id} 或來電 {tel}，開戶網址 {u}",
            "老師LINE {id}\n客服專線 {tel}\n平台 {u}",
            "請加LINE好友{id}（電話{tel}），並至 {u} 註冊",
        ]
        return rng.choice(templates).format(id=line_id(rng), tel=phone(rng), u=link.written())
    raise ValueError(spelling)


SPELLINGS = [
    "plain_zh",
    "glued_zh",
    "https",
    "hxxps",
    "vendor_defanged",
    "ideographic_dot",
    "fullwidth_dot",
    "dian",
    "fullwidth",
    "zero_width",
    "spaced_dots",
    "lenticular_brackets",
    "corner_brackets",
    "zh_punctuation",
    "english",
    "line_message",
]


def distinct_urls(csv_path):
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        next(rows)  # English header
        next(rows)  # the same header in Chinese
        return sorted({row[1].strip() for row in rows if len(row) > 1 and row[1].strip()})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help=f"165 gamble.csv (default {DEFAULT_CSV})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSONL to write (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=165, help="shuffle and template seed (default 165)")
    args = parser.parse_args()

    urls = distinct_urls(args.csv)
    rng = random.Random(args.seed)
    rng.shuffle(urls)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for i, url in enumerate(urls):
            spelling = SPELLINGS[i % len(SPELLINGS)]
            link = Link(url)
            record = {"text": message(spelling, link, rng), "host": link.intended_host, "spelling": spelling}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(urls)} messages in {len(SPELLINGS)} spellings written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
