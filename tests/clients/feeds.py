#!/usr/bin/env python3
"""The calendar and TAK feeds read by real clients (scripts/test runs this).

Starts `hawkari serve --demo` ($HAWKARI_BIN, else target/debug/hawkari) on a new
directory and a free loopback port, signs in as two demo accounts through the API, and
checks with the libraries partners' tools use (pinned in scripts/python-clients.txt,
installed by scripts/python-clients-setup; run this with that venv's python):

- icalendar parses `/api/v1/calendar.ics` and a secret feed address; the events are the
  records released to the reader (a record released to the coalition is there, with its
  UID, summary and an all-day date; one released to no one is not); a revoked feed
  address answers 404, as an unknown one does;
- takproto parses every CoT event of `/api/v1/incidents.cot` and of the TAK data package
  (`/api/v1/tak/package.zip`, each file the manifest names) with the expected uid, type,
  point and stale time, the label in its detail, and nothing unreleased.

Prints each check, then "N passed, N failed"; exits non-zero on a failure.
"""

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime, timedelta, timezone

import icalendar
import takproto

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = {"passed": 0, "failed": 0}


def check(what, ok, detail=""):
    if ok:
        RESULTS["passed"] += 1
        print(f"ok   {what}")
    else:
        RESULTS["failed"] += 1
        print(f"FAIL {what} {detail}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, body, headers):
        self.status, self.body, self.headers = status, body, headers

    def json(self):
        return json.loads(self.body)


def request(url, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    h = dict(headers or {})
    if data is not None:
        h["content-type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return Response(r.status, r.read(), r.headers)
    except urllib.error.HTTPError as e:
        return Response(e.code, e.read(), e.headers)


class Session:
    """Signed in as one demo account; the Secure cookie is sent by hand (the server
    speaks plain HTTP on loopback)."""

    def __init__(self, base, username, password):
        self.base = base
        r = request(
            base + "/api/v1/auth/login",
            "POST",
            {"username": username, "password": password},
        )
        if r.status != 200:
            sys.exit(f"cannot sign in as {username}: {r.status} {r.body!r}")
        self.cookie = r.headers["set-cookie"].split(";")[0]
        self.csrf = r.json()["csrf_token"]

    def call(self, path, method="GET", body=None):
        headers = {"cookie": self.cookie}
        if method != "GET":
            headers["x-csrf-token"] = self.csrf
        return request(self.base + path, method, body, headers)

    def create(self, path, body):
        r = self.call(path, "POST", body)
        if r.status != 201:
            sys.exit(f"POST {path}: {r.status} {r.body!r}")
        return r.json()


def start_server(work):
    binary = os.environ.get("HAWKARI_BIN") or os.path.join(ROOT, "target/debug/hawkari")
    port = free_port()
    env = dict(
        os.environ,
        HAWKARI_DATABASE__URL=f"sqlite://{work}/hawkari.db",
        HAWKARI_SERVER__BIND=f"127.0.0.1:{port}",
        HAWKARI_SERVER__TLS="off",
    )
    out = open(os.path.join(work, "serve.log"), "w+")
    proc = subprocess.Popen(
        [binary, "serve", "--demo"], cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if request(base + "/healthz").status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out.seek(0)
            sys.exit(f"hawkari serve --demo did not start:\n{out.read()}")
        time.sleep(0.2)
    out.seek(0)
    accounts = {}
    for line in out.read().splitlines():
        parts = line.split()
        # "  username  role  organisation  password"
        if len(parts) == 4 and parts[1] in ("editor", "system_admin", "viewer", "org_admin"):
            accounts[parts[0]] = parts[3]
    return proc, base, accounts


def calendar_checks(mopa, coalition):
    shared = mopa.create(
        "/api/v1/engagements",
        {
            "kind": "key_leader_engagement",
            "title": "Clients test: shared review, Kirkuk; patrols",
            "when": "2026-03-10",
            "participants": [{"organisation_id": "sector-6", "role": "lead"}],
            "owner_org_id": "mopa",
            "releasable_to": ["cjtf-oir"],
        },
    )
    hidden = mopa.create(
        "/api/v1/engagements",
        {
            "kind": "key_leader_engagement",
            "title": "Clients test: Kestrel private review",
            "when": "2026-03-11T09:30:00Z",
            "participants": [{"organisation_id": "sector-6", "role": "lead"}],
            "owner_org_id": "mopa",
            "releasable_to": [],
            "release_groups": [],
        },
    )
    shared_uid = f"engagement-{shared['id']}@hawkari"
    hidden_uid = f"engagement-{hidden['id']}@hawkari"

    def events(body):
        cal = icalendar.Calendar.from_ical(body)
        return {str(e["UID"]): e for e in cal.walk("VEVENT")}

    r = coalition.call("/api/v1/calendar.ics")
    check("calendar.ics answers 200 as text/calendar",
          r.status == 200 and r.headers["content-type"].startswith("text/calendar"), r.status)
    mine = events(r.body)
    e = mine.get(shared_uid)
    check("icalendar reads the released engagement", e is not None, sorted(mine)[:5])
    if e is not None:
        check("its summary, unescaped", str(e["SUMMARY"]) == shared["title"], e["SUMMARY"])
        start = e.decoded("DTSTART")
        check("a day-precise engagement is all-day",
              isinstance(start, date) and not isinstance(start, datetime)
              and start == date(2026, 3, 10) and e.decoded("DTEND") == date(2026, 3, 11),
              (start, e.decoded("DTEND")))
        check("it has a DTSTAMP", "DTSTAMP" in e)
    check("the unreleased engagement is not in the partner's calendar",
          hidden_uid not in mine and b"Kestrel" not in r.body)
    check("the partner's calendar has demo records released to it", len(mine) > 1, len(mine))

    owner = events(mopa.call("/api/v1/calendar.ics").body)
    h = owner.get(hidden_uid)
    check("the owner's calendar has its private engagement, at its time",
          h is not None and h.decoded("DTSTART") == datetime(2026, 3, 11, 9, 30, tzinfo=timezone.utc),
          h and h.decoded("DTSTART"))

    one = coalition.call(f"/api/v1/engagements/{shared['id']}/calendar.ics")
    check("one engagement's .ics parses with its one event",
          one.status == 200 and list(events(one.body)) == [shared_uid], one.status)
    check("an unreleased engagement's .ics answers 404",
          coalition.call(f"/api/v1/engagements/{hidden['id']}/calendar.ics").status == 404)

    feed = coalition.call("/api/v1/calendar/feeds", "POST", {"name": "clients test"})
    check("a feed address is made", feed.status == 201, feed.status)
    path = feed.json()["path"]
    r = request(coalition.base + path)
    by_secret = events(r.body) if r.status == 200 else {}
    check("the secret address serves the calendar without signing in",
          r.status == 200 and shared_uid in by_secret and hidden_uid not in by_secret, r.status)
    revoked = coalition.call(f"/api/v1/calendar/feeds/{feed.json()['id']}", "DELETE")
    check("the feed is revoked", revoked.status == 204, revoked.status)
    check("a revoked feed address answers 404", request(coalition.base + path).status == 404)


def incident(narrative, releasable_to):
    return {
        "when": "2026-02-14",
        "point": {"lat": 35.4681, "lon": 44.3922},
        "location_precision": "near",
        "type": "ied",
        "sources": [{"publisher": "Clients test", "title": "Report", "reliability": "B", "credibility": 2}],
        "narrative": narrative,
        "owner_org_id": "mopa",
        "releasable_to": releasable_to,
        "release_groups": [],
    }


def parse_cot(xml_bytes):
    """A CoT event through takproto: XML → TAK protobuf → the message it decodes."""
    return takproto.parse_proto(takproto.xml2proto(xml_bytes.decode()))


def cot_checks(mopa, coalition):
    shown = mopa.create("/api/v1/incidents", incident("Clients test: IED on the road", ["cjtf-oir"]))
    mopa.create("/api/v1/incidents", incident("Clients test: Kestrel", []))
    uid = f"hawkari-incident-{shown['id']}"
    r = coalition.call("/api/v1/incidents.cot?q=clients")
    check("incidents.cot answers 200 as XML",
          r.status == 200 and r.headers["content-type"].startswith("application/xml"), r.status)
    root = ET.fromstring(r.body)
    found = {}
    for ev in root.findall("event"):
        msg = parse_cot(ET.tostring(ev))
        found[msg.cotEvent.uid] = msg
    check("takproto parses the released incident", uid in found, list(found))
    check("nothing unreleased is in the CoT", b"Kestrel" not in r.body and len(found) == 1, list(found))
    if uid in found:
        ev = found[uid].cotEvent
        check("type a-h-G and how h-e", (ev.type, ev.how) == ("a-h-G", "h-e"), (ev.type, ev.how))
        check("the point", (round(ev.lat, 4), round(ev.lon, 4)) == (35.4681, 44.3922), (ev.lat, ev.lon))
        check("start is the incident's start",
              ev.startTime == int(datetime(2026, 2, 14, tzinfo=timezone.utc).timestamp() * 1000),
              ev.startTime)
        check("stale is 24 hours after time",
              ev.staleTime - ev.sendTime == 24 * 3600 * 1000, (ev.sendTime, ev.staleTime))
        detail = ev.detail.xmlDetail
        check("the label is in the detail, releasable to the coalition only",
              "CONTROLLED" in detail and ">cjtf-oir<" in detail and "mopa" in detail, detail[:300])

    r = coalition.call("/api/v1/tak/package.zip")
    check("the data package answers 200 as a zip",
          r.status == 200 and r.headers["content-type"] == "application/zip", r.status)
    z = zipfile.ZipFile(io.BytesIO(r.body))
    check("the zip is sound", z.testzip() is None)
    manifest = ET.fromstring(z.read("MANIFEST/manifest.xml"))
    check("the manifest is a MissionPackageManifest v2",
          manifest.tag == "MissionPackageManifest" and manifest.get("version") == "2")
    entries = [c.get("zipEntry") for c in manifest.iter("Content")]
    kinds, uids, bad = {}, set(), []
    for entry in entries:
        msg = parse_cot(z.read(entry))
        uids.add(msg.cotEvent.uid)
        kinds[msg.cotEvent.type] = kinds.get(msg.cotEvent.type, 0) + 1
        if not msg.cotEvent.uid or msg.cotEvent.staleTime <= msg.cotEvent.sendTime:
            bad.append(entry)
    check("takproto parses every file the manifest names", entries and not bad, bad[:3])
    check("the package holds the released incident and not the other", uid in uids
          and not any(b"Kestrel" in z.read(e) for e in entries))
    check("the package holds area shapes (u-d-f)", kinds.get("u-d-f", 0) > 0, kinds)
    check("the package holds operation sites (a-f-G-I)", kinds.get("a-f-G-I", 0) > 0, kinds)


def main():
    work = tempfile.mkdtemp(prefix="hawkari-clients-")
    proc, base, accounts = start_server(work)
    try:
        for name in ("mopa", "cjtf-oir"):
            if name not in accounts:
                sys.exit(f"no demo account {name} in the server's output (logs in {work})")
        mopa = Session(base, "mopa", accounts["mopa"])
        coalition = Session(base, "cjtf-oir", accounts["cjtf-oir"])
        calendar_checks(mopa, coalition)
        cot_checks(mopa, coalition)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"clients: {RESULTS['passed']} passed, {RESULTS['failed']} failed")
    sys.exit(1 if RESULTS["failed"] else 0)


if __name__ == "__main__":
    main()
