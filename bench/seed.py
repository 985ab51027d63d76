"""Seeds a running tierdesk with N fault tickets B-00000.. for the HTTP benchmark."""
import concurrent.futures
import json
import sys
import urllib.request

base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])


def post(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return r.status


def ticket(i):
    customer = ["CUS-GOLD", "CUS-SILVER", "CUS-BRONZE", "CUS-STD"][i % 4]
    service = {"CUS-GOLD": "SVC-GOLD-DL", "CUS-SILVER": "SVC-SILVER-DL", "CUS-BRONZE": "SVC-BRONZE-DL", "CUS-STD": "SVC-STD-OV"}[customer]
    return post("/api/v1/tickets", {"id": "B-%05d" % i, "kind": "fault", "customer_id": customer, "service_id": service,
                                    "title": "bench", "events": [{"type": "reported"}, {"type": "prescreened"}, {"type": "dispatched", "to": "ops-gz"}]})


with concurrent.futures.ThreadPoolExecutor(8) as pool:
    codes = list(pool.map(ticket, range(n)))
print("seeded %d tickets (%d created)" % (n, codes.count(201)))
