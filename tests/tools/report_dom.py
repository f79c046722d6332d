#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Reads a DOM dumped by headless Chromium (stdin) and prints what the
audit-report tests compare: element counts, the summary table's figures,
the secrets matrix, and the page's text, one fact per line."""
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.row = None
        self.cell = None
        self.section = None
        self.facts = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "section":
            self.section = a.get("id")
        if tag == "tr" and ("data-project" in a or "data-secret" in a):
            self.row = a.get("data-project") or a.get("data-secret")
        if tag == "td" and self.row is not None and "data-k" in a:
            self.cell = a["data-k"]

    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = None
        if tag == "td":
            self.cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None and self.row is not None:
            self.facts.append(f"{self.section} {self.row} {self.cell} {data.strip()}")


dom = Dom()
dom.feed(sys.stdin.read())
for tag in ("script", "img", "iframe", "object", "link", "svg", "section"):
    print(f"tag {tag} {dom.tags.get(tag, 0)}")
for fact in dom.facts:
    print(fact)
print("text " + " ".join("".join(dom.text).split()))
