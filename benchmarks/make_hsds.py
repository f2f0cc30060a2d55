"""Write a synthetic HSDS 1.1 Tabular Data Package the size of a state 211 directory.

    python benchmarks/make_hsds.py OUT_FOLDER [--services 100000] [--seed 1]

Shaped like the Miami export: one location, address and phone per service, three schedule
rows, two languages and five taxonomy terms per service, about half the locations with
coordinates (spread over Florida), a tenth of the services peer-support related. Words are
drawn from a fixed list, so a run with the same seed writes the same files.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

PEER_CODES = [
    ("PN-8100.0500-070", "Alcohol Use Disorder Support Groups"),
    ("PN-8100.4500-240", "Gay/Lesbian/Bisexual/Transgender Support Groups"),
    ("PN-8100.4500-850", "Veteran Support Groups"),
    ("PN-8100.1000", "Bereavement Support Groups"),
    ("PN-8100.5000", "Mental Health Related Support Groups"),
    ("RF-8380", "Talklines/Warmlines"),
    ("RF-6500", "Peer Counseling"),
    ("PN-8100.4500-950", "Youth/Student Support Groups"),
]
OTHER_CODES = [
    ("BD-1800.2000", "Food Pantries"), ("BH-1800.8500", "Homeless Shelter"),
    ("BH-3900.3100", "Housing Search Assistance"), ("LF-7100.2500", "General Physical Examinations"),
    ("ND-2000.1500", "Career Development"), ("PH-1000", "Case/Care Management"),
    ("RF-3300", "Individual Counseling"), ("RF-2000", "Family Counseling"),
    ("TJ-3000", "Information and Referral"), ("NL-6000.2000-220", "Food Stamps/SNAP Applications"),
    ("LH-2700.6000", "Pharmacy Services"), ("FT-3000.1750", "Legal Services"),
    ("HL-8700.8000", "Volunteer Opportunities"), ("YF-3000.0270-050", "AIDS"),
    ("LN-5000", "Nursing Homes"), ("BM-6500.1500", "Clothing"),
]
WORDS = ("community support services families adults children program provides help with "
         "housing food counseling health care referrals assistance local residents free "
         "low cost weekly group meets staff trained volunteers confidential appointment "
         "walk in available call for information eligibility income county city center").split()
CITIES = [("Miami", "33137", 25.81, -80.19), ("Fort Lauderdale", "33301", 26.12, -80.14),
          ("Orlando", "32801", 28.54, -81.38), ("Tampa", "33602", 27.95, -82.46),
          ("Tallahassee", "32301", 30.44, -84.28), ("Jacksonville", "32202", 30.33, -81.66),
          ("Naples", "34102", 26.14, -81.79), ("Key West", "33040", 24.56, -81.78)]
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write(out: Path, services: int, seed: int) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = {name: open(out / f"{name}.csv", "w", newline="", encoding="utf-8")
             for name in ("organizations", "services", "locations", "physical_addresses",
                          "services_at_location", "phones", "regular_schedules", "languages",
                          "services_taxonomy", "taxonomy")}
    try:
        w = {name: csv.writer(handle) for name, handle in files.items()}
        w["organizations"].writerow(["id", "name", "description", "email", "url"])
        w["services"].writerow(["id", "organization_id", "name", "alternate_name",
                                "description", "url", "email", "status", "fees"])
        w["locations"].writerow(["id", "organization_id", "name", "latitude", "longitude"])
        w["physical_addresses"].writerow(["id", "location_id", "address_1", "city",
                                          "state_province", "postal_code", "country"])
        w["services_at_location"].writerow(["id", "service_id", "location_id"])
        w["phones"].writerow(["id", "location_id", "service_id", "number", "type"])
        w["regular_schedules"].writerow(["id", "service_id", "weekday", "opens_at", "closes_at"])
        w["languages"].writerow(["id", "service_id", "language"])
        w["services_taxonomy"].writerow(["id", "service_id", "taxonomy_id"])
        w["taxonomy"].writerow(["id", "name"])
        for code, name in PEER_CODES + OTHER_CODES:
            w["taxonomy"].writerow([code, name])
        organizations = max(1, services // 5)
        for org in range(1, organizations + 1):
            w["organizations"].writerow([org, f"ORGANIZATION {org}", _sentence(rng, 20), "",
                                         f"www.org{org}.example"])
        for sid in range(1, services + 1):
            org = rng.randint(1, organizations)
            peer = rng.random() < 0.1
            codes = rng.sample(OTHER_CODES, 4) + [rng.choice(PEER_CODES if peer else OTHER_CODES)]
            name = codes[-1][1].upper() if peer else f"SERVICE {sid}"
            w["services"].writerow([sid, org, name, "", _sentence(rng, rng.randint(30, 90)),
                                    "", "", "active", rng.choice(["", "Free", "Sliding scale"])])
            city, zip_code, lat, lon = rng.choice(CITIES)
            located = rng.random() < 0.5
            w["locations"].writerow([sid, org, name,
                                     f"{lat + rng.uniform(-0.2, 0.2):.5f}" if located else "",
                                     f"{lon + rng.uniform(-0.2, 0.2):.5f}" if located else ""])
            w["physical_addresses"].writerow([sid, sid, f"{rng.randint(1, 9999)} Main Street",
                                              city, "FL", zip_code, "US"])
            w["services_at_location"].writerow([sid, sid, sid])
            w["phones"].writerow([sid, sid, sid, f"305-555-{sid % 10000:04d}", "voice"])
            for n, day in enumerate(rng.sample(DAYS, 3)):
                w["regular_schedules"].writerow([f"{sid}-{n}", sid, day, "9:00am", "5:00pm"])
            for n, language in enumerate(rng.sample(["English", "Spanish", "Creole"], 2)):
                w["languages"].writerow([f"{sid}-{n}", sid, language])
            for n, (code, _) in enumerate(codes):
                w["services_taxonomy"].writerow([f"{sid}-{n}", sid, code])
    finally:
        for handle in files.values():
            handle.close()
    (out / "datapackage.json").write_text(json.dumps({
        "name": "synthetic-211", "title": "Synthetic 211 directory", "created": "2026-01-01",
        "resources": [{"name": name,
                       "path": f"{name}.csv"} for name in files]}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.out, args.services, args.seed)


if __name__ == "__main__":
    main()
