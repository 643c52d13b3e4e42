#!/usr/bin/env python3
"""Reads a feed with a Python feed reader and prints what it shows, as JSON.

Usage: read.py feedparser|reader URL

Each entry: title, link, id, published (seconds since the epoch),
published_raw (the date as the reader keeps it, if it keeps the text),
authors, categories and content (HTML), in the reader's order. Part of the
reader matrix (tests/matrix.rs); tests/matrix/install sets up the versions
it pins.
"""
import calendar
import json
import sys
import tempfile
import warnings

warnings.simplefilter("ignore", DeprecationWarning)


def with_feedparser(url):
    import feedparser

    d = feedparser.parse(url)
    if d.bozo:
        raise SystemExit(f"feedparser: {d.bozo_exception!r}")
    entries = []
    for e in d.entries:
        authors = [a.get("name", "") for a in e.get("authors", []) if a.get("name")]
        content = e.content[0].value if e.get("content") else e.get("summary", "")
        entries.append({
            "title": e.get("title"),
            "link": e.get("link"),
            "id": e.get("id"),
            "published": calendar.timegm(e.published_parsed) if e.get("published_parsed") else None,
            "published_raw": e.get("published"),
            "authors": authors,
            "categories": [t.term for t in e.get("tags", [])],
            "content": content,
        })
    return entries


def with_reader(url):
    from reader import make_reader

    with tempfile.TemporaryDirectory() as tmp:
        r = make_reader(f"{tmp}/db.sqlite")
        r.add_feed(url)
        for result in r.update_feeds_iter():
            if result.error:
                raise SystemExit(f"reader: {result.error!r}")
        entries = []
        # Its "recent" order: what a subscriber sees first.
        for e in r.get_entries(sort="recent"):
            content = e.content[0].value if e.content else e.summary
            entries.append({
                "title": e.title,
                "link": e.link,
                "id": e.id,
                "published": int(e.published.timestamp()) if e.published else None,
                "published_raw": None,
                "authors": [e.author] if e.author else [],
                "categories": [],
                "content": content,
            })
        r.close()
        return entries


if __name__ == "__main__":
    name, url = sys.argv[1], sys.argv[2]
    read = {"feedparser": with_feedparser, "reader": with_reader}[name]
    json.dump({"entries": read(url)}, sys.stdout, ensure_ascii=False)
