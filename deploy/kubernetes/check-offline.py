#!/usr/bin/env python3
"""Offline check of deploy/kubernetes/*.yaml when no cluster answers `kubectl create --dry-run=client`
(kubectl still needs the API server's discovery for that). Parses every document and checks the fields
the Indexed Job relies on. Exit 1 with one line per problem."""
import glob, sys, yaml

problems = []
docs = [d for f in sorted(glob.glob(sys.argv[1] + "/*.yaml")) for d in yaml.safe_load_all(open(f)) if d]
kinds = {d["kind"]: d for d in docs if d.get("kind") != "Job"}
jobs = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Job"}
for d in docs:
    for key in ("apiVersion", "kind", "metadata"):
        if key not in d: problems.append(f"{d.get('kind', '?')}: missing {key}")
shards = jobs.get("stampede-shards", {}).get("spec", {})
if shards.get("completionMode") != "Indexed": problems.append("stampede-shards: completionMode must be Indexed")
if shards.get("completions") != shards.get("parallelism"): problems.append("stampede-shards: completions != parallelism")
for name, job in jobs.items():
    pod = job["spec"]["template"]["spec"]
    if pod.get("restartPolicy") not in ("Never", "OnFailure"): problems.append(f"{name}: Job pods need restartPolicy Never/OnFailure")
    volumes = {v["name"] for v in pod.get("volumes", [])}
    for c in pod["containers"]:
        for m in c.get("volumeMounts", []):
            if m["name"] not in volumes: problems.append(f"{name}/{c['name']}: mount {m['name']} has no volume")
if shards:
    env = {e["name"]: e["value"] for e in shards["template"]["spec"]["containers"][0].get("env", [])}
    if env.get("STAMPEDE_SHARDS") != str(shards.get("completions")): problems.append("STAMPEDE_SHARDS must equal completions")
for p in problems: print(p)
print(f"{len(docs)} documents, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
