"""Reads connections through the OpenHEXA SDK, for the provider's real-instance leg.

Standard input: a JSON list of reads, each {"key", "call", "identifier"}, where call is
the SDK's method (custom_connection, postgresql_connection, ...). The file named by the
only argument receives a JSON object by key: {"class", "fields"} for a connection read
(every dataclass field, and the PostgreSQL url property), {"error": {"type",
"message"}} for what the call raised. The environment decides how the SDK reads:
HEXA_SERVER_URL, HEXA_TOKEN and HEXA_WORKSPACE for the API, the variables of
provider::openhexa::env_vars for a local run.
"""

import dataclasses
import json
import sys

from openhexa.sdk import workspace


def read(call, identifier):
    conn = getattr(workspace, call)(identifier)
    fields = {f.name: getattr(conn, f.name) for f in dataclasses.fields(conn)}
    if isinstance(getattr(type(conn), "url", None), property):
        fields["url"] = conn.url
    return {"class": type(conn).__name__, "fields": fields}


results = {}
for r in json.load(sys.stdin):
    try:
        results[r["key"]] = read(r["call"], r["identifier"])
    except Exception as e:  # what the SDK raises is what the test checks
        results[r["key"]] = {"error": {"type": type(e).__name__, "message": str(e)}}
with open(sys.argv[1], "w") as out:
    json.dump(results, out)
