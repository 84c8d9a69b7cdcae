#!/usr/bin/env python3
"""Writes the demo's illustrative incidents into demo/dataset.json.

The four reports name no single incident; they say the Islamic State keeps up
hit-and-run attacks, roadside bombs and abductions in the disputed territories and
in Salahuddin, Kirkuk, Diyala and Anbar (reports 001 and 002). So that the map and
the coverage analysis have something to show, this script places made-up incidents
of those kinds at random points inside the disputed districts, on fixed seeds, and
says so in every narrative and source. They are not real events.

Run from the repository root: python3 demo/illustrative_incidents.py
"""
import json
import random

DISTRICTS = ["IQG15Q07", "IQG15Q09", "IQG15Q03", "IQG15Q06", "IQG11Q04", "IQG13Q04",
             "IQG13Q02", "IQG13Q03", "IQG13Q01", "IQG16Q07", "IQG10Q05", "IQG10Q06"]
TYPES = [("hit_and_run", 5), ("ied", 4), ("abduction", 2), ("indirect_fire", 2),
         ("arson", 1), ("armed_clash", 1), ("security_operation", 2)]
COUNT = 60


def rings(geometry):
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return polys


def inside(point, polys):
    x, y = point
    for poly in polys:
        hit = False
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    hit = not hit
        if hit:
            return True
    return False


def main():
    rng = random.Random(2025)
    with open("data/iraq-boundaries/irq_admbnda_adm2_cso_20190603.geojson") as f:
        adm2 = {ft["properties"]["ADM2_PCODE"]: ft for ft in json.load(f)["features"]}
    with open("demo/dataset.json") as f:
        dataset = json.load(f)
    stamp = {k: dataset["areas"][0][k] for k in ("version", "created_by", "created_at", "updated_by", "updated_at")}
    source = {
        "publisher": "Hawkari demo",
        "title": "Illustrative incident made up for the demo, in the pattern reports 001 and 002 describe",
        "reference": "demo/illustrative_incidents.py",
        "reliability": "F",
        "credibility": 6,
    }
    incidents = []
    kinds = [t for t, w in TYPES for _ in range(w)]
    for n in range(COUNT):
        pcode = rng.choice(DISTRICTS)
        feature = adm2[pcode]
        polys = rings(feature["geometry"])
        xs = [c[0] for p in polys for c in p[0]]
        ys = [c[1] for p in polys for c in p[0]]
        while True:
            point = (round(rng.uniform(min(xs), max(xs)), 4), round(rng.uniform(min(ys), max(ys)), 4))
            if inside(point, polys):
                break
        day = 1 + rng.randrange(0, 150)
        month, mday = [(6, 30), (7, 31), (8, 31), (9, 30), (10, 31)], day
        m = 6
        for mm, length in month:
            if mday <= length:
                m = mm
                break
            mday -= length
        kind = rng.choice(kinds)
        killed = rng.choice([0, 0, 0, 1, 1, 2, 3])
        record = {
            "id": f"demo-incident-{n + 1:03}",
            "when": f"2025-{m:02}-{mday:02}",
            "point": {"lat": point[1], "lon": point[0]},
            # A made-up point somewhere in the district: the page names the district
            # and governorate (in the reader's language) from the point.
            "location_precision": "district",
            "type": kind,
            "actors": [{"name": "ISIS", "role": "perpetrator"}] if kind != "security_operation"
            else [{"organisation_id": rng.choice(["iraqi-army", "sector-6", "joint-brigades"]), "role": "responder"}],
            "casualties": [{"party": "security_forces" if kind != "abduction" else "civilians",
                            "killed": {"low": killed, "best": killed, "high": killed + 1}}] if killed else [],
            "sources": [source],
            "narrative": "Illustrative incident for the demo; not a real event.",
            "owner_org_id": "joint-brigades",
            "release_groups": ["all_partners"],
            **stamp,
        }
        incidents.append(record)
    incidents.sort(key=lambda r: r["id"])
    areas = dataset.pop("areas")
    dataset["incidents"] = incidents
    dataset["areas"] = areas
    with open("demo/dataset.json", "w") as f:
        json.dump(dataset, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
