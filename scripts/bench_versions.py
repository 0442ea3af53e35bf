#!/usr/bin/env python3
# Benchmark: GET /v1/journeys/{id}/version-summaries with 100 versions on a served runtime.
# Run from the repository root after `cargo build -p runtime --bin journeys-runtime`.
import json, subprocess, time, urllib.request, statistics, tempfile, os, re, sys
d = tempfile.mkdtemp()
p = subprocess.Popen(["target/debug/journeys-runtime","serve","--db",os.path.join(d,"b.sqlite"),"--listen","127.0.0.1:0","--catalog","journeys/samples/catalog.json"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ,"RUST_LOG":"info"})
base=token=None
lines=[]
while base is None or token is None:
    line=p.stdout.readline(); lines.append(line)
    if not line: print("".join(lines)); sys.exit(1)
    m=re.search(r"(http://127\.0\.0\.1:\d+)", line)
    if m and base is None: base=m.group(1)
    m=re.match(r"token (\S+)", line)
    if m: token=m.group(1)
def req(method, path, body=None, ctype="application/json"):
    r=urllib.request.Request(base+path, method=method, data=body, headers={"Authorization":"Bearer "+token,"Content-Type":ctype,"X-Switchboard-Computer":"bench"})
    with urllib.request.urlopen(r) as resp: return resp.read()
req("POST","/v1/contacts",open("runtime/samples/contacts.csv","rb").read(),"text/csv")
req("PUT","/v1/segments/renewals-due",json.dumps({"kind":"static","contactIds":["c%02d"%i for i in range(1,21)]}).encode())
j=json.load(open("runtime/samples/voice-journey.json"))
for i in range(100):
    j["tiles"][0]["start"]["startAt"]="2099-01-01T%02d:%02d:00Z"%(i//60,i%60)
    req("POST","/v1/journeys/renewals/versions",json.dumps(j).encode())
times=[]
for _ in range(30):
    t=time.perf_counter(); body=req("GET","/v1/journeys/renewals/version-summaries"); times.append((time.perf_counter()-t)*1000)
n=len(json.loads(body))
print(f"versions={n} median={statistics.median(times):.2f}ms min={min(times):.2f}ms max={max(times):.2f}ms runs={len(times)}")
p.terminate(); p.wait()
