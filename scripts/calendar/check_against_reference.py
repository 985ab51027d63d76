#!/usr/bin/env python3
"""Cross-check data/calendars/cn/*.toml against the chinesecalendar reference fixture.

Usage (from the repository root, Python >= 3.11 for tomllib):
    python3 scripts/calendar/check_against_reference.py

Inputs:
  data/calendars/cn/YYYY.toml                                  the calendar data
  crates/tierdesk-calendar/tests/data/reference-chinesecalendar-1.11.0.csv
                                                               written by export_reference.py
  crates/tierdesk-calendar/tests/data/reference-deviations.csv notice-backed dates where the
                                                               data intentionally differs from
                                                               the reference (date,workday,reason)

A day is a working day iff it is in some `work` list, or it is Monday-Friday and in no
`off` block. For every date in the reference the script checks:
  * workday/non-workday agrees with the reference (unless listed as a deviation, in
    which case the data must match the deviation's `workday` value);
  * when the reference names a holiday for the date, the date lies in an `off` block
    whose `name` or one of whose `also` names equals it (case-insensitively:
    chinesecalendar spells "Tomb-sweeping Day" / "Mid-autumn Festival").
It also validates the files' structure. Prints every problem and exits 1 if there is
any; otherwise prints one summary line and exits 0.
"""

import csv
import datetime as dt
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data" / "calendars" / "cn"
TEST_DATA = ROOT / "crates" / "tierdesk-calendar" / "tests" / "data"
REFERENCE = TEST_DATA / "reference-chinesecalendar-1.11.0.csv"
DEVIATIONS = TEST_DATA / "reference-deviations.csv"

TOP_KEYS = {"year", "notice", "published", "holiday"}
HOLIDAY_KEYS = {"name", "name_zh", "also", "also_zh", "off", "work"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_item(item: str) -> list[dt.date]:
    """'YYYY-MM-DD' or inclusive range 'YYYY-MM-DD..YYYY-MM-DD' -> list of dates."""
    parts = item.split("..")
    if len(parts) not in (1, 2) or not all(DATE_RE.match(p) for p in parts):
        raise ValueError(f"bad date item {item!r}")
    start = dt.date.fromisoformat(parts[0])
    end = dt.date.fromisoformat(parts[-1])
    if end < start:
        raise ValueError(f"range {item!r} ends before it starts")
    days = []
    while start <= end:
        days.append(start)
        start += dt.timedelta(days=1)
    return days


def load_data(problems: list[str]):
    off: dict[dt.date, tuple[str, set[str]]] = {}  # date -> (file:name, {names, lowercased})
    work: dict[dt.date, str] = {}
    files = sorted(DATA_DIR.glob("*.toml"))
    if not files:
        problems.append(f"no TOML files in {DATA_DIR}")
    for path in files:
        where = path.relative_to(ROOT)
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{where}: invalid TOML: {exc}")
            continue
        for key in doc.keys() - TOP_KEYS:
            problems.append(f"{where}: unknown key {key!r}")
        year = doc.get("year")
        if not isinstance(year, int) or path.stem != str(year):
            problems.append(f"{where}: year = {year!r} does not match the file name")
            continue
        if "published" in doc:
            try:
                dt.date.fromisoformat(doc["published"])
            except (TypeError, ValueError):
                problems.append(f"{where}: published = {doc['published']!r} is not an ISO date")
        for i, hol in enumerate(doc.get("holiday", [])):
            label = f"{where}: holiday #{i + 1} ({hol.get('name', '?')})"
            for key in hol.keys() - HOLIDAY_KEYS:
                problems.append(f"{label}: unknown key {key!r}")
            for key in ("name", "name_zh", "off", "work"):
                if key not in hol:
                    problems.append(f"{label}: missing key {key!r}")
            if len(hol.get("also", [])) != len(hol.get("also_zh", [])):
                problems.append(f"{label}: also and also_zh differ in length")
            names = {hol.get("name", "").casefold()} | {a.casefold() for a in hol.get("also", [])}
            for kind in ("off", "work"):
                for item in hol.get(kind, []):
                    try:
                        days = parse_item(item)
                    except ValueError as exc:
                        problems.append(f"{label}: {exc}")
                        continue
                    for day in days:
                        if abs(day.year - year) > 1:
                            problems.append(f"{label}: {day} is not within {year} or an adjacent year")
                        if kind == "work":
                            if day.weekday() < 5:
                                problems.append(f"{label}: make-up working day {day} is not a weekend day")
                            if day in work or day in off:
                                problems.append(f"{label}: {day} declared more than once")
                            work[day] = label
                        else:
                            if day in off or day in work:
                                problems.append(f"{label}: {day} declared more than once")
                            off[day] = (label, names)
    return off, work


def main() -> int:
    problems: list[str] = []
    off, work = load_data(problems)

    deviations: dict[dt.date, bool] = {}
    with DEVIATIONS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            deviations[dt.date.fromisoformat(row["date"])] = row["workday"] == "true"

    days = 0
    documented = 0
    with REFERENCE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != ["date", "workday", "holiday"]:
            problems.append(f"{REFERENCE.name}: unexpected header {reader.fieldnames}")
        expected = dt.date(2004, 1, 1)
        for row in reader:
            day = dt.date.fromisoformat(row["date"])
            if day != expected:
                problems.append(f"reference: expected {expected}, found {day}")
            expected = day + dt.timedelta(days=1)
            days += 1
            ref_workday = row["workday"] == "true"
            ours = day in work or (day.weekday() < 5 and day not in off)
            if day in deviations:
                if ours != deviations[day]:
                    problems.append(f"{day}: data says workday={ours}, documented deviation says {deviations[day]}")
                elif ours == ref_workday:
                    problems.append(f"{day}: listed as a deviation but data and reference agree (stale entry)")
                else:
                    documented += 1
            elif ours != ref_workday:
                what = work.get(day) or (off[day][0] if day in off else "plain weekday/weekend rule")
                problems.append(
                    f"{day} ({day:%a}): data workday={str(ours).lower()}, "
                    f"reference workday={row['workday']} {row['holiday']!r} [{what}]"
                )
            ref_name = row["holiday"]
            if ref_name:
                if day not in off:
                    problems.append(f"{day}: reference holiday {ref_name!r} but the date is in no off block")
                elif ref_name.casefold() not in off[day][1]:
                    problems.append(f"{day}: reference holiday {ref_name!r} not among names of [{off[day][0]}]")
        if expected != dt.date(2027, 1, 1):
            problems.append(f"reference: ends at {expected - dt.timedelta(days=1)}, expected 2026-12-31")

    for p in problems:
        print(p)
    if problems:
        print(f"{days} days, {len(problems)} disagreements")
        return 1
    suffix = f" ({documented} documented deviation{'s' if documented != 1 else ''})" if documented else ""
    print(f"{days} days, 0 disagreements{suffix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
