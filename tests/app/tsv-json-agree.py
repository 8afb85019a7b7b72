#!/usr/bin/env python3
# tsv-json-agree.py BRKSIM DIR FILE... : `brksim run --format=tsv` and
# `--format=json` of each FILE say the same of every step (step, line, op,
# name, request, ret, brk, top, rss, event kinds, trim verdict, site,
# thread, arena). The two printers keep digits, names and sites made by a
# step before (app/print_tsv.c, app/print_json.c): a kept text that goes
# stale shows here as one column that disagrees. Also writes, into DIR, a
# trace of 3000 ops whose lines jump by 1 to 14 (through every carry of a
# counted-up column), whose break and resident pages move and stay, with
# mmapped and failed calls, and checks it too.
import json
import random
import subprocess
import sys


def trace(path):
    rnd = random.Random(12)
    lines = ["# tsv-json-agree.py: lines that jump, a break that moves"]
    live = []
    slot = 0
    for i in range(3000):
        lines += ["# gap"] * rnd.choice([0, 0, 0, 1, 2, 5, 8, 9, 10, 13])
        r = rnd.random()
        if live and r < 0.4:
            lines.append("f %d" % live.pop(rnd.randrange(len(live))))
            continue
        slot += 1
        if r < 0.45:
            size = rnd.choice([200000, 1 << 62])  # mmapped, failed
        elif r < 0.6:
            size = rnd.randrange(20000, 90000)  # moves the break
        else:
            size = rnd.randrange(1, 600)
        if r > 0.9 and live:
            lines.append("r %d %d %d" % (slot, live.pop(), size))
        elif r > 0.85:
            lines.append("c %d 3 %d" % (slot, size))
        else:
            lines.append("a %d %d" % (slot, size))
        live.append(slot)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def ret_text(ret):
    if ret is None:
        return "-"
    if isinstance(ret, str):
        return ret
    if isinstance(ret, dict):
        return "A%d.%d+%s" % (ret["arena"], ret["heap"], hex(ret["offset"]))
    return hex(ret)


def check(brksim, path):
    tsv = subprocess.run([brksim, "run", "--format=tsv", path], capture_output=True, text=True, check=True).stdout
    doc = json.loads(subprocess.run([brksim, "run", "--format=json", path], capture_output=True, text=True,
                                    check=True).stdout)
    rows = [r.split("\t") for r in tsv.splitlines()]
    head = rows.pop(0)
    steps = doc["steps"]
    assert len(rows) == len(steps) > 0, (path, len(rows), len(steps))
    for row, s in zip(rows, steps):
        t = dict(zip(head, row))
        kinds = []
        for e in s["events"]:
            if e["kind"] not in kinds:
                kinds.append(e["kind"])
        verdicts = [e["verdict"] for e in s["events"] if e["kind"] == "trim_check"]
        want = {
            "step": str(s["step"]), "line": str(s["line"]), "op": s["op"],
            "brk": hex(s["brk"]), "top": hex(s["top"]), "rss": str(s["rss_pages"]),
            "events": ",".join(kinds) or "-", "trim": verdicts[-1] if verdicts else "-",
            "thread": str(s["thread"]),
        }
        if s["op"] not in ("malloc_trim", "mallopt"):
            want["name"] = s.get("name", "-")
            want["request"] = "-" if s["op"] == "free" else str(s["request"])
            want["ret"] = ret_text(s["ret"])
            if s["op"] == "sbrk":  # what sbrk returned: the break before (an offset), or -1
                want["ret"] = "-" if s["aborted"] else "=-1" if s["value"] < 0 else "=" + hex(s["value"])
            want["site"] = s.get("site", "-")
            r = s["ret"]
            want["arena"] = str(r["arena"]) if isinstance(r, dict) else "0" if isinstance(r, int) else "-"
        for k, v in want.items():
            assert t[k] == v, "%s step %s: %s is %r in tsv, %r in json" % (path, s["step"], k, t[k], v)
    return len(rows)


def main():
    brksim, tmp = sys.argv[1], sys.argv[2]
    generated = tmp + "/tsv-json-agree.ops"
    trace(generated)
    for path in [generated] + sys.argv[3:]:
        n = check(brksim, path)
        print("%s: %d steps agree" % (path, n))


main()
