#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What a DOM dumped by headless Chromium (--dump-dom) of a netfs-replay
--html report holds, as one JSON object on stdout:

  ready      the body's data-ready (the inline script sets "1" when it ran)
  rows       request bars of the timeline (rect class "req"), their data-id
  bad_rows   ... of them outlined for a finding
  bands      density bands (g class "band"), their data-origin
  findings   [kind, object] of each finding row, in page order
  summary    {key: value} of the summary table
  details    ids of the drill-down sections
  hrefs      every href; srcs every src attribute
  tags       the set of element names
  bytes      the byte sums of the bytes-by-source plot (read, written,
             cache_read, cache_written), zeros when it has none
  text       the page's text (to look for escaped capture text)

Usage: html-dom.py DOM-FILE
"""
import json
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = {"ready": None, "rows": [], "bad_rows": [], "bands": [],
                    "findings": [], "summary": {}, "details": [],
                    "hrefs": [], "srcs": [],
                    "bytes": {"read": 0, "written": 0, "cache_read": 0,
                              "cache_written": 0}, "tags": [], "attrs": [],
                    "text": ""}
        self.key = None
        self.in_td = False
        self.td = ""
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        for k, v in attrs:
            self.out["attrs"].append(k)
            if k == "href":
                self.out["hrefs"].append(v)
            if k == "src":
                self.out["srcs"].append(v)
        cls = (a.get("class") or "").split()
        if tag == "body":
            self.out["ready"] = a.get("data-ready")
        if tag == "rect" and "req" in cls:
            self.out["rows"].append(a.get("data-id"))
            if "bad" in cls:
                self.out["bad_rows"].append(a.get("data-id"))
        if tag == "svg" and a.get("id") == "bytes-plot":
            for k in ("read", "written", "cache-read", "cache-written"):
                self.out["bytes"][k.replace("-", "_")] = int(a["data-" + k])
        if tag == "g" and "band" in cls:
            self.out["bands"].append(a.get("data-origin"))
        if tag == "tr" and "finding" in cls:
            self.out["findings"].append([a.get("data-kind"),
                                         a.get("data-object")])
        if tag == "tr" and "data-key" in a:
            self.key = a["data-key"]
        if tag == "td" and self.key is not None:
            self.in_td = True
            self.td = ""
        if tag == "section" and "req-detail" in cls:
            self.out["details"].append(a.get("id"))

    def handle_endtag(self, tag):
        if tag == "td" and self.in_td:
            self.out["summary"][self.key] = self.td
            self.in_td = False
            self.key = None

    def handle_data(self, data):
        if self.in_td:
            self.td += data
        self.out["text"] += data


def main():
    d = Dom()
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        d.feed(f.read())
    d.close()
    d.out["tags"] = sorted(d.tags)
    d.out["attrs"] = sorted(set(d.out["attrs"]))
    json.dump(d.out, sys.stdout)


if __name__ == "__main__":
    main()
