#!/usr/bin/env python3
"""Reads a feed with a Python feed reader and prints what it shows, as JSON.

Usage: read.py feedparser|reader|rss2email|atoma URL

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


def with_atoma(url):
    """atoma, which reads JSON Feed 1.0's single `author`."""
    import urllib.request

    import atoma

    body = urllib.request.urlopen(url).read()
    entries = []
    if url.endswith(".json"):
        for i in atoma.parse_json_feed_bytes(body).items:
            entries.append(entry(i.title, i.url, i.id_, i.date_published,
                                 [i.author.name] if i.author else [], i.tags, i.content_html))
    elif url.endswith("atom.xml"):
        for e in atoma.parse_atom_bytes(body).entries:
            link = next((l.href for l in e.links if l.rel in (None, "alternate")), None)
            entries.append(entry(e.title.value, link, e.id_, e.published,
                                 [a.name for a in e.authors], [c.term for c in e.categories],
                                 e.content.value if e.content else None))
    else:
        for i in atoma.parse_rss_bytes(body).items:
            entries.append(entry(i.title, i.link, i.guid, i.pub_date,
                                 [i.author] if i.author else [], i.categories, i.content_encoded))
    return entries


def entry(title, link, id, published, authors, categories, content):
    return {
        "title": title,
        "link": link,
        "id": id,
        "published": int(published.timestamp()) if published else None,
        "published_raw": published.isoformat() if published else None,
        "authors": authors,
        "categories": list(categories or []),
        "content": content,
    }


def with_rss2email(url):
    """Debian's rss2email (r2e), mailing each entry to a stand-in for
    sendmail that appends the message to a file; entries as a mail client
    lists them, newest first."""
    import configparser
    import email
    import email.policy
    import email.utils
    import os
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        config, data, mbox = f"{tmp}/config", f"{tmp}/data", f"{tmp}/mbox"
        stub = f"{tmp}/sendmail"
        with open(stub, "w") as f:
            f.write(f"#!/bin/sh\ncat > \"$(mktemp -p {tmp} mail.XXXXXX)\"\n")
        os.chmod(stub, 0o755)

        def r2e(*args):
            subprocess.run(["r2e", "-c", config, "-d", data, *args], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        r2e("new", "to@example.org")
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(config)
        parser["DEFAULT"].update({"sendmail": stub, "email-protocol": "sendmail",
                                  "date-header": "True", "html-mail": "True",
                                  "use-8bit": "True"})
        with open(config, "w") as f:
            parser.write(f)
        r2e("add", "feed", url)
        r2e("run")
        messages = []
        for name in sorted(os.listdir(tmp)):
            if name.startswith("mail."):
                with open(f"{tmp}/{name}", "rb") as f:
                    messages.append(email.message_from_binary_file(f, policy=email.policy.default))
        entries = []
        for m in messages:
            sender = m["From"].addresses[0].display_name
            tags = str(m["X-RSS-TAGS"] or "")
            entries.append({
                "title": str(m["Subject"]),
                "link": str(m["X-RSS-URL"]),
                "id": str(m["X-RSS-ID"]),
                "published": int(email.utils.parsedate_to_datetime(str(m["Date"])).timestamp()),
                "published_raw": str(m["Date"]),
                # "Feed title: author"
                "authors": [sender.split(": ", 1)[1]] if ": " in sender else [],
                "categories": tags.split(",") if tags else [],
                "content": m.get_content(),
            })
        entries.sort(key=lambda e: e["published"], reverse=True)
        return entries


if __name__ == "__main__":
    name, url = sys.argv[1], sys.argv[2]
    read = {
        "feedparser": with_feedparser,
        "reader": with_reader,
        "rss2email": with_rss2email,
        "atoma": with_atoma,
    }[name]
    json.dump({"entries": read(url)}, sys.stdout, ensure_ascii=False)
