#!/usr/bin/env python3
"""Export the chinesecalendar reference fixture as CSV on stdout.

Pinned dependency: chinesecalendar==1.11.0  (pip install chinesecalendar==1.11.0)

Usage:
    python3 scripts/calendar/export_reference.py \
        > crates/tierdesk-calendar/tests/data/reference-chinesecalendar-1.11.0.csv

Columns (header `date,workday,holiday`), one row per day 2004-01-01..2026-12-31:
  date     ISO date
  workday  `true`/`false` per chinese_calendar.is_workday
  holiday  English holiday name from chinese_calendar.get_holiday_detail for days
           off because of a statutory holiday; empty for working days (including
           make-up working days) and for plain weekends.
"""

import csv
import datetime as dt
import sys

PINNED_VERSION = "1.11.0"
FIRST = dt.date(2004, 1, 1)
LAST = dt.date(2026, 12, 31)


def main() -> int:
    try:
        import chinese_calendar
    except ImportError:
        sys.exit(f"error: chinese_calendar is not installed; run: pip install chinesecalendar=={PINNED_VERSION}")
    version = getattr(chinese_calendar, "__version__", None)
    if version != PINNED_VERSION:
        sys.exit(
            f"error: chinesecalendar {version!r} is installed but this fixture is pinned to "
            f"{PINNED_VERSION}; run: pip install chinesecalendar=={PINNED_VERSION}"
        )

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["date", "workday", "holiday"])
    day = FIRST
    while day <= LAST:
        workday = chinese_calendar.is_workday(day)
        is_off, name = chinese_calendar.get_holiday_detail(day)
        if workday:
            assert not is_off, day
        holiday = name if (is_off and name) else ""
        out.writerow([day.isoformat(), "true" if workday else "false", holiday])
        day += dt.timedelta(days=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
