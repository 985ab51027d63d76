"""Opens K bronze faults on a running tierdesk whose acceptance falls due over the
next WINDOW seconds (the first LEAD seconds from now), for the scheduler benchmark.

Each fault is reported, pre-screened and dispatched 10 minutes before its
acceptance is due, and nobody accepts it: the scheduler must record the breach
at the due instant. Prints the first and last due instants.
"""
import concurrent.futures
import datetime
import json
import sys
import time
import urllib.request

base, token, k, window = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
lead = float(sys.argv[5]) if len(sys.argv) > 5 else 20.0


def post(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status
    except urllib.error.HTTPError as e:
        if e.code == 409:
            return 409
        raise


post("/api/v1/customers", {"id": "CUS-SCHED", "name": "Scheduler bench", "level": "bronze"})
post("/api/v1/services", {"id": "SVC-SCHED", "customer_id": "CUS-SCHED", "name": "Line", "category": "dedicated_line", "scope": "city"})
post("/api/v1/departments", {"id": "ops-bench", "name": "Operations", "kind": "operations"})

start = int(time.time()) + lead


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def fault(i):
    due = start + int(i * window / k)
    at = iso(due - 600)
    return post("/api/v1/tickets", {"id": "S-%05d" % i, "kind": "fault", "customer_id": "CUS-SCHED", "service_id": "SVC-SCHED",
                                    "title": "bench", "events": [{"at": at, "type": "reported"}, {"at": at, "type": "prescreened"},
                                                                 {"at": at, "type": "dispatched", "to": "ops-bench"}]})


with concurrent.futures.ThreadPoolExecutor(8) as pool:
    codes = list(pool.map(fault, range(k)))
print("opened %d faults (%d created); acceptance due from %s to %s" % (k, codes.count(201), iso(start), iso(start + window)))
if time.time() > start:
    print("warning: opening took longer than the lead; the first breaches were due before their ticket existed", file=sys.stderr)
