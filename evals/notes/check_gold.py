"""Temporary checker for labellers (the real loader lives in summarizer/eval/gold.py)."""
import json, re, sys
STATUS = {"proposed", "planned", "underway", "completed", "cancelled", "postponed"}
FIELDS = {
    "trips": {"traveler": str, "traveler_role": (str, type(None)), "destinations": list, "when": (str, type(None)),
              "date": (str, type(None)), "purpose": (str, type(None)), "status": str, "ordinal": (int, type(None)), "evidence": list},
    "summits": {"participants": list, "location": (str, type(None)), "when": (str, type(None)), "date": (str, type(None)),
                "status": str, "ordinal": (int, type(None)), "evidence": list},
    "commitments": {"actor": str, "action": str, "counterparty": (str, type(None)), "occasion": (str, type(None)), "evidence": list},
    "skepticism": {"holder": str, "target": str, "reason": (str, type(None)), "evidence": list},
}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
def body(path):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    if lines and lines[0].startswith("id: ") and "" in lines[:7]:
        return text.split("\n\n", 1)[1]
    return text
bad = 0
for p in sys.argv[1:]:
    g = json.load(open(p, encoding="utf-8"))
    art = body("/work/main/" + g["article"])
    for k in ("format", "id", "article", "published", "summary"):
        if k not in g: print(p, "missing", k); bad += 1
    for cat, spec in FIELDS.items():
        for i, r in enumerate(g.get(cat, [])):
            for f, t in spec.items():
                if f not in r: print(p, cat, i, "missing", f); bad += 1
                elif not isinstance(r[f], t): print(p, cat, i, f, "bad type"); bad += 1
            if "status" in r and r["status"] not in STATUS: print(p, cat, i, "bad status", r["status"]); bad += 1
            d = r.get("date")
            if d and not all(DATE.match(x) for x in d.split("/")): print(p, cat, i, "bad date", d); bad += 1
            for q in r.get("evidence", []):
                if q not in art: print(p, cat, i, "evidence not verbatim in body:", repr(q[:80])); bad += 1
            if not r.get("evidence"): print(p, cat, i, "no evidence"); bad += 1
print("problems:", bad)
