"""The same job as `tierdesk calendar add-working-days --batch`, done with pandas
and numpy: read `DATE,N` lines, find the N-th working day after DATE, write one
date a line. numpy knows weekends and a holiday list but not make-up working
days (weekend days declared working), so it gets some Chinese dates wrong; the
script counts how many when given tierdesk's output.

Usage: busday.py INPUT OUTPUT [TIERDESK_OUTPUT]
       busday.py --per-call   (ns per in-process busday_offset call)
"""
import pathlib
import sys
import time
import timeit
import tomllib

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent


def holidays():
    """Weekdays that are rest days, from tierdesk's own statutory calendar files."""
    days = []
    for path in sorted((ROOT / "data" / "calendars" / "cn").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for holiday in data.get("holiday", []):
            for item in holiday["off"]:
                first, _, last = item.partition("..")
                days.extend(pd.date_range(first, last or first).strftime("%Y-%m-%d"))
    dates = np.array(sorted(set(days)), dtype="datetime64[D]")
    return dates[np.is_busday(dates)]


def add_working_days(dates, n, calendar):
    # N-th working day strictly after DATE: roll back before stepping forward, roll
    # forward before stepping back, and leave DATE alone for N = 0.
    forward = np.busday_offset(dates, n, roll="backward", busdaycal=calendar)
    backward = np.busday_offset(dates, n, roll="forward", busdaycal=calendar)
    return np.where(n > 0, forward, np.where(n < 0, backward, dates))


def batch(src, dst, tierdesk_out=None):
    calendar = np.busdaycalendar(weekmask="1111100", holidays=holidays())
    start = time.perf_counter()
    frame = pd.read_csv(src, header=None, names=["date", "n"], dtype={"date": str, "n": np.int64})
    result = add_working_days(frame["date"].to_numpy(dtype="datetime64[D]"), frame["n"].to_numpy(), calendar)
    pd.Series(result.astype(str)).to_csv(dst, index=False, header=False)
    elapsed = time.perf_counter() - start
    print(f"pandas+numpy: {len(frame)} lines in {elapsed:.3f} s")
    if tierdesk_out:
        ours = pathlib.Path(tierdesk_out).read_text().split()
        theirs = pathlib.Path(dst).read_text().split()
        wrong = sum(a != b for a, b in zip(ours, theirs))
        print(f"numpy disagrees with tierdesk on {wrong} of {len(ours)} lines ({100 * wrong / len(ours):.1f}%): it has no make-up working days")


def per_call():
    calendar = np.busdaycalendar(weekmask="1111100", holidays=holidays())
    d = np.datetime64("2025-09-26")
    n = 1_000_000
    secs = timeit.timeit(lambda: np.busday_offset(d, 3, roll="backward", busdaycal=calendar), number=n)
    print(f"numpy.busday_offset scalar call: {secs / n * 1e9:.0f} ns")
    dates = np.full(n, d)
    counts = np.full(n, 3)
    start = time.perf_counter()
    np.busday_offset(dates, counts, roll="backward", busdaycal=calendar)
    print(f"numpy.busday_offset vectorised: {(time.perf_counter() - start) / n * 1e9:.1f} ns per element")


if __name__ == "__main__":
    if sys.argv[1:] == ["--per-call"]:
        per_call()
    else:
        batch(*sys.argv[1:])
