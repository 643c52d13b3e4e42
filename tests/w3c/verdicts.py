#!/usr/bin/env python3
"""Records the W3C Feed Validation Service's verdict on each of its own RSS
and Atom test cases (testcases/atom, rss and rss20), for tests/w3c.rs.

    git clone https://github.com/w3c/feedvalidator /tmp/feedvalidator
    python3 tests/w3c/verdicts.py /tmp/feedvalidator > tests/w3c/verdicts.txt

A file's verdict is "invalid" when the validator, at the level its web site
uses ("AA"), reports at least one error, else "valid". The comment header of
a test case names only the one message that case is about, so it cannot
tell: many cases about a warning are also missing a required element.
Needs the validator's Python dependencies (html5lib, rdflib).
"""

import glob
import os
import subprocess
import sys

root = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(root, "src"))
import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator.logging import Error, ValidationFailure  # noqa: E402

commit = subprocess.run(
    ["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True
).stdout.strip()
print(f"# The W3C feed validator's verdicts on its test cases, at commit {commit}.")
print("# Made by tests/w3c/verdicts.py; read by tests/w3c.rs.")
cases = os.path.join(root, "testcases")
for folder in ("atom", "rss", "rss20"):
    for path in sorted(glob.glob(os.path.join(cases, folder, "**", "*.xml"), recursive=True)):
        base = path.replace(root, "http://www.feedvalidator.org")
        with open(path, "rb") as stream:
            try:
                events = feedvalidator.validateString(
                    stream.read(), fallback="US-ASCII", base=base
                )["loggedEvents"]
            except ValidationFailure as failure:
                events = [failure.event]
        errors = [e for e in compatibility.AA(events) if isinstance(e, Error)]
        verdict = "invalid" if errors else "valid"
        print(f"{verdict} {os.path.relpath(path, cases)}")
