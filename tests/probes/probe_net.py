#!/usr/bin/env python3
"""probe_net: hostile central systems and hostile network printers against
the kiosk binary, from outside (stdlib only, loopback only).

Usage: probe_net.py --kiosk PATH [--only central,fault,ceiling,printer]
                    [--wrong]   (deliberately wrong expectations: must FAIL)

Exit code: 0 when no probe found a failure, 1 otherwise.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor

HOST = "127.0.0.1"
CUT = bytes([0x1D, 0x56])
TOKEN = "probe-net-token-kv1"
REPO_TOML = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kiosk.toml")
YEAR = time.gmtime().tm_year

FAILS = []  # (probe, text)
NOTES = []  # (probe, text)
LOCK = threading.Lock()
CHILDREN = set()
SERVERS = []
WRONG = False


def fail(probe, text):
    with LOCK:
        FAILS.append((probe, text))
    print(f"  FAIL [{probe}] {text}", flush=True)


def note(probe, text):
    with LOCK:
        NOTES.append((probe, text))
    print(f"  note [{probe}] {text}", flush=True)


def log(text):
    with LOCK:
        print(text, flush=True)


# --------------------------------------------------------------------------
# Running the kiosk, measured


def vm_hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


class Run:
    def __init__(self, rc, sig, out, err, peak_kib, secs, killed):
        self.rc, self.sig, self.out, self.err = rc, sig, out, err
        self.peak_kib, self.secs, self.killed = peak_kib, secs, killed

    @property
    def text(self):
        return self.out + self.err

    def brief(self):
        return (f"rc={self.rc} sig={self.sig} {self.secs:.1f}s "
                f"peak={self.peak_kib / 1024:.1f}MiB{' KILLED' if self.killed else ''}")


def run_kiosk(kdir, args, bound, extra_env=None):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("KIOSK"):
            del env[k]
    env.update(kdir.env)
    if extra_env:
        env.update(extra_env)
    cmd = [KIOSK, "--config", kdir.toml] + list(args)
    tfile = None
    if os.path.exists("/usr/bin/time"):
        # GNU time forks the kiosk from a tiny process: its %M is the kiosk's
        # own peak (ru_maxrss), even for runs too short for /proc polling.
        fd, tfile = tempfile.mkstemp(prefix="time-", dir=kdir.path)
        os.close(fd)
        cmd = ["/usr/bin/time", "-f", "%M %e %x", "-o", tfile] + cmd
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, cwd=kdir.path, start_new_session=True)
    with LOCK:
        CHILDREN.add(p)
    outs = {}

    def reader(name, stream):
        outs[name] = stream.read()

    ts = [threading.Thread(target=reader, args=("o", p.stdout)),
          threading.Thread(target=reader, args=("e", p.stderr))]
    for t in ts:
        t.start()
    peak, killed = 0, False
    while p.poll() is None:
        h = vm_hwm(p.pid)
        if h:
            peak = max(peak, h)
        if time.monotonic() - start > bound and not killed:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            killed = True
        time.sleep(0.003)
    secs = time.monotonic() - start
    for t in ts:
        t.join()
    with LOCK:
        CHILDREN.discard(p)
    rc = p.returncode
    sig = -rc if rc is not None and rc < 0 else None
    if tfile:
        try:
            with open(tfile) as f:
                lines = [l.strip() for l in f if l.strip()]
            os.unlink(tfile)
            for l in lines:
                m = re.match(r"Command terminated by signal (\d+)", l)
                if m:
                    sig = int(m.group(1))
                    rc = -sig
            m = re.match(r"(\d+) ([\d.]+) (-?\d+)$", lines[-1])
            if m:
                peak = max(peak, int(m.group(1)))
                if sig is None:
                    rc = int(m.group(3))
        except (OSError, IndexError):
            pass
    return Run(rc, sig, outs.get("o", b"").decode("utf-8", "replace"),
               outs.get("e", b"").decode("utf-8", "replace"), peak, secs, killed)


def files_of(path):
    out = {}
    for f in os.listdir(path):
        p = os.path.join(path, f)
        st = os.stat(p)
        out[f] = (st.st_size, st.st_mtime_ns) if f != "kiosk.db" else None
    return out


class KioskDir:
    """A kiosk folder: a copy of kiosk.toml, a token, a database."""

    def __init__(self, root, name, url="", timeout=2, batch=None):
        self.path = os.path.join(root, name)
        os.makedirs(self.path)
        self.toml = os.path.join(self.path, "kiosk.toml")
        shutil.copy(REPO_TOML, self.toml)
        self.token = os.path.join(self.path, "central.token")
        with open(self.token, "w") as f:
            f.write(TOKEN)
        os.chmod(self.token, 0o600)
        self.db = os.path.join(self.path, "kiosk.db")
        self.env = {
            "KIOSK__CENTRAL__URL": url,
            "KIOSK__CENTRAL__TOKEN_FILE": self.token,
            "KIOSK__CENTRAL__REQUEST_TIMEOUT_SECS": str(timeout),
            "KIOSK__CENTRAL__CONNECT_TIMEOUT_SECS": str(timeout),
            "KIOSK__STORAGE__DATABASE": self.db,
            "KIOSK__STORAGE__CREATE": "false",
            "KIOSK__PRINTER__TRANSPORT": "file:" + os.path.join(self.path, "receipts.bin"),
            "KIOSK_LOG": "warn",
        }
        if batch:
            self.env["KIOSK__CENTRAL__BATCH_SIZE"] = str(batch)

    def fill(self, ratings, complaints, seed=2026, template=None):
        if template:
            shutil.copy(template, self.db)
            return
        r = run_kiosk(self, ["init"], 60)
        assert r.rc == 0, r.text
        r = run_kiosk(self, ["demo-data", "--ratings", str(ratings), "--complaints",
                             str(complaints), "--months", "1", "--seed", str(seed)], 120)
        assert r.rc == 0, r.text

    def q(self, sql, args=()):
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()


# --------------------------------------------------------------------------
# A central system that speaks raw HTTP, with a pluggable behaviour


class Req:
    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def read_request(sock, buf):
    while b"\r\n\r\n" not in buf:
        if len(buf) > 65536:
            return None, b""
        d = sock.recv(65536)
        if not d:
            return None, b""
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) < 2:
        return None, b""
    headers = {}
    for l in lines[1:]:
        if ":" in l:
            k, v = l.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    n = min(int(headers.get("content-length", "0") or 0), 16 << 20)
    while len(rest) < n:
        d = sock.recv(65536)
        if not d:
            return None, b""
        rest += d
    return Req(parts[0], parts[1], headers, rest[:n]), rest[n:]


def rst(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def response(status, body=b"", ctype="application/json", extra=None, reason="X"):
    if isinstance(body, str):
        body = body.encode("utf-8")
    h = f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
    for k, v in (extra or {}).items():
        h += f"{k}: {v}\r\n"
    return h.encode("latin-1") + b"\r\n" + body


class Central:
    """records(srv, sock, req) -> keep_alive bool; updates likewise."""

    def __init__(self, records=None, updates=None, heartbeat=None):
        self.records_h = records or good_records
        self.updates_h = updates or (lambda s, sock, r: send(sock, response(404, b"")))
        self.heartbeat_h = heartbeat or (lambda s, sock, r: send(sock, response(204, b"")))
        self.stored = {}       # id -> [record json copies] (records the server committed)
        self.acked = set()     # ids answered accepted/duplicate in a complete 200
        self.rejected = set()  # ids answered rejected in a complete 200
        self.requests = {}
        self.batch_sizes = []
        self.lock = threading.Lock()
        self.stop = False
        self.state = {}
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind((HOST, 0))
        self.ls.listen(64)
        self.ls.settimeout(0.2)
        self.port = self.ls.getsockname()[1]
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()
        SERVERS.append(self)

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def loop(self):
        while not self.stop:
            try:
                s, _ = self.ls.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self.serve, args=(s,), daemon=True).start()

    def serve(self, sock):
        sock.settimeout(30)
        buf = b""
        try:
            while not self.stop:
                req, buf = read_request(sock, buf)
                if req is None:
                    break
                path = req.path.split("?")[0]
                key = ("records" if path.endswith("/v1/records") else
                       "updates" if path.endswith("/updates") else
                       "heartbeat" if path.endswith("/heartbeat") else path)
                with self.lock:
                    self.requests[key] = self.requests.get(key, 0) + 1
                h = {"records": self.records_h, "updates": self.updates_h,
                     "heartbeat": self.heartbeat_h}.get(key, lambda s, so, r: send(so, response(404)))
                if not h(self, sock, req):
                    break
        except OSError:
            pass
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def take(self, req, ids=None):
        """Stores the records of req (all, or those in ids); returns the list of
        (id, dup) stored."""
        body = req.json() or {}
        out = []
        recs = body.get("records", []) if isinstance(body, dict) else []
        with self.lock:
            self.batch_sizes.append(len(recs))
            for r in recs:
                rid = r.get("id")
                if ids is not None and rid not in ids:
                    continue
                dup = rid in self.stored
                self.stored.setdefault(rid, []).append(r)
                out.append((rid, dup))
        return out

    def close(self):
        self.stop = True
        try:
            self.ls.close()
        except OSError:
            pass


def send(sock, data, keep=True):
    try:
        sock.sendall(data)
    except OSError:
        return False
    return keep


def results_answer(srv, pairs, status_for=None):
    res = []
    for rid, dup in pairs:
        st = "duplicate" if dup else "accepted"
        res.append({"id": rid, "status": st})
    return json.dumps({"results": res})


def good_records(srv, sock, req):
    pairs = srv.take(req)
    ok = send(sock, response(200, results_answer(srv, pairs)))
    if ok:
        with srv.lock:
            srv.acked.update(rid for rid, _ in pairs)
    return ok


def ids_of(req):
    b = req.json() or {}
    return [r.get("id") for r in b.get("records", [])] if isinstance(b, dict) else []


# ---- hostile behaviours (records endpoint unless said) --------------------

def never_answers(srv, sock, req):
    srv.take(req)
    t0 = time.monotonic()
    while not srv.stop and time.monotonic() - t0 < 120:
        time.sleep(0.1)
    return False


def headers_then_stall(srv, sock, req):
    srv.take(req)
    send(sock, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"res")
    t0 = time.monotonic()
    while not srv.stop and time.monotonic() - t0 < 120:
        time.sleep(0.1)
    return False


def endless_chunked(srv, sock, req):
    srv.take(req)
    if not send(sock, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"):
        return False
    piece = b"4000\r\n" + b"[" * 0x4000 + b"\r\n"
    sent = 0
    while not srv.stop and sent < (4 << 30):
        try:
            sock.sendall(piece)
        except OSError:
            break
        sent += len(piece)
    srv.state.setdefault("sent_bytes", []).append(sent)
    return False


def gigabyte_body(srv, sock, req):
    srv.take(req)
    if not send(sock, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4294967296\r\n\r\n"):
        return False
    piece = b" " * 65536
    sent = 0
    while not srv.stop and sent < (4 << 30):
        try:
            sock.sendall(piece)
        except OSError:
            break
        sent += len(piece)
    srv.state.setdefault("sent_bytes", []).append(sent)
    return False


def json_10mb(srv, sock, req):
    # Valid JSON, all records accepted, padded to 10 MB, with Content-Length.
    pairs = srv.take(req)
    body = json.dumps({"results": [{"id": i, "status": "accepted"} for i, _ in pairs],
                       "pad": "x" * (10 << 20)})
    return send(sock, response(200, body))


def json_10mb_chunked(srv, sock, req):
    pairs = srv.take(req)
    body = json.dumps({"results": [{"id": i, "status": "accepted"} for i, _ in pairs],
                       "pad": "x" * (10 << 20)}).encode()
    if not send(sock, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"):
        return False
    for i in range(0, len(body), 65536):
        c = body[i:i + 65536]
        if not send(sock, b"%x\r\n" % len(c) + c + b"\r\n"):
            return False
    send(sock, b"0\r\n\r\n")
    return False


def deep_json(srv, sock, req):
    srv.take(req)
    body = b"[" * 500000 + b"]" * 500000
    return send(sock, response(200, body))


def deep_json_inside(srv, sock, req):
    # A well-formed results answer whose entries carry a deeply nested extra field.
    pairs = srv.take(req)
    deep = "[" * 100000 + "]" * 100000
    res = ",".join('{"id":"%s","status":"accepted","x":%s}' % (i, deep if n == 0 else "1")
                   for n, (i, _) in enumerate(pairs))
    ok = send(sock, response(200, '{"results":[' + res + ']}'))
    if ok:
        with srv.lock:
            srv.acked.update(i for i, _ in pairs)
    return ok


def wrong_ctype_html(srv, sock, req):
    srv.take(req)
    return send(sock, response(200, "<html><body>Login required</body></html>", ctype="text/html"))


def wrong_ctype_valid(srv, sock, req):
    # Valid results JSON served as text/html: the kiosk may take it or not.
    pairs = srv.take(req)
    ok = send(sock, response(200, results_answer(srv, pairs), ctype="text/html; charset=koi8-r"))
    if ok:
        with srv.lock:
            srv.acked.update(rid for rid, _ in pairs)
    return ok


def lying_accepts_stores_nothing(srv, sock, req):
    # Only under --wrong: a server that loses what it acknowledges, to show
    # that the loss check fires.
    pairs = [(i, False) for i in ids_of(req)]
    ok = send(sock, response(200, results_answer(srv, pairs)))
    if ok:
        with srv.lock:
            srv.acked.update(i for i, _ in pairs)
    return ok


def stale_answer_preloaded(srv, sock, req):
    # Answers 500 and, at once, on the same keep-alive connection, a second
    # answer "200 accepted" for the same ids, stored nowhere. A client that
    # reads that stale answer for its retry marks records delivered that the
    # server never stored.
    key = id(sock)
    with srv.lock:
        first = key not in srv.state.setdefault("socks", set())
        srv.state["socks"].add(key)
    if first:
        ids = ids_of(req)
        stale = json.dumps({"results": [{"id": i, "status": "accepted"} for i in ids]})
        return send(sock, response(500, "oops") + response(200, stale))
    return good_records(srv, sock, req)


def endless_1xx(srv, sock, req):
    srv.take(req)
    t0 = time.monotonic()
    while not srv.stop and time.monotonic() - t0 < 120:
        if not send(sock, b"HTTP/1.1 102 Processing\r\n\r\n"):
            break
        time.sleep(0.01)
    return False


GZ = {}


def gzip_bomb(srv, sock, req):
    import gzip
    srv.take(req)
    with srv.lock:
        if "b" not in GZ:
            GZ["b"] = gzip.compress(b"[" * (256 << 20), 9)
    return send(sock, response(200, GZ["b"], extra={"Content-Encoding": "gzip"}))


def status500(srv, sock, req):
    return send(sock, response(500, "<h1>Internal Server Error</h1>" + "e" * 5000, ctype="text/html"))


def r429_huge(srv, sock, req):
    return send(sock, response(429, "slow down", extra={"Retry-After": "99999999999"}))


def r429_u64(srv, sock, req):
    return send(sock, response(429, "slow down", extra={"Retry-After": "18446744073709551615"}))


def r429_negative(srv, sock, req):
    return send(sock, response(429, "slow down", extra={"Retry-After": "-300"}))


def r503_date_future(srv, sock, req):
    return send(sock, response(503, "maintenance", extra={"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}))


def reset_mid_body(srv, sock, req):
    pairs = srv.take(req)
    body = results_answer(srv, pairs).encode()
    try:
        sock.sendall(response(200, body)[: 60 + len(body) // 2])
        time.sleep(0.05)
    except OSError:
        pass
    rst(sock)
    return False


def reset_at_once(srv, sock, req):
    srv.take(req)
    rst(sock)
    return False


def partial_accept(srv, sock, req):
    # Takes and answers only every other record; the rest are missing from results.
    ids = ids_of(req)
    keep = set(ids[::2])
    pairs = srv.take(req, keep)
    ok = send(sock, response(200, results_answer(srv, pairs)))
    if ok:
        with srv.lock:
            srv.acked.update(rid for rid, _ in pairs)
    return ok


def phantom_ids(srv, sock, req):
    # Stores nothing; answers accepted for ids it was never sent.
    n = len(ids_of(req))
    res = [{"id": str(uuid.UUID(int=random.getrandbits(128), version=4)), "status": "accepted"}
           for _ in range(n)]
    if srv.state.get("bad_uuid"):
        res.append({"id": "not-a-uuid", "status": "accepted"})
    return send(sock, response(200, json.dumps({"results": res})))


def phantom_plus_real(srv, sock, req):
    # Half the real records plus phantom ids and a bogus status for the others.
    ids = ids_of(req)
    keep = set(ids[::2])
    pairs = srv.take(req, keep)
    res = [{"id": i, "status": "accepted"} for i, _ in pairs]
    res += [{"id": str(uuid.uuid4()), "status": "accepted"} for _ in range(5)]
    res += [{"id": i, "status": "maybe"} for i in ids[1::2][:3]]
    ok = send(sock, response(200, json.dumps({"results": res})))
    if ok:
        with srv.lock:
            srv.acked.update(i for i, _ in pairs)
    return ok


def duplicate_ids(srv, sock, req):
    # Every stored record answered twice: accepted then duplicate.
    pairs = srv.take(req)
    res = []
    for i, _ in pairs:
        res += [{"id": i, "status": "accepted"}, {"id": i, "status": "duplicate"}]
    ok = send(sock, response(200, json.dumps({"results": res})))
    if ok:
        with srv.lock:
            srv.acked.update(rid for rid, _ in pairs)
    return ok


def conflicting_ids(srv, sock, req):
    # Each id answered accepted AND rejected in the same answer.
    pairs = srv.take(req)
    res = []
    for n, (i, _) in enumerate(pairs):
        a = {"id": i, "status": "accepted"}
        r = {"id": i, "status": "rejected", "reason": "conflict"}
        res += [a, r] if n % 2 == 0 else [r, a]
    ok = send(sock, response(200, json.dumps({"results": res})))
    if ok:
        with srv.lock:
            srv.acked.update(rid for rid, _ in pairs)
            srv.rejected.update(rid for rid, _ in pairs)
    return ok


EVIL = ("\u202eevil\u202c \u2066iso\u2069 \u200b\u200f \x1b[31mRED\x1b[0m \x1b]0;title\x07 "
        "\x00nul \r\nnewline \x08\x08bs \x9b31m csi \ufeff bom \u061c alm"
        "\r\noutbox now: 0 pending, 9999 delivered, 0 rejected (forged line)")


def evil_reasons(srv, sock, req):
    pairs = srv.take(req)
    res = [{"id": i, "status": "rejected", "reason": f"{n}: {EVIL}"} for n, (i, _) in enumerate(pairs)]
    ok = send(sock, response(200, json.dumps({"results": res})))
    if ok:
        with srv.lock:
            srv.rejected.update(i for i, _ in pairs)
    return ok


def long_reasons(srv, sock, req):
    pairs = srv.take(req)
    res = []
    for n, (i, _) in enumerate(pairs):
        # 40 KiB of UTF-8: Cyrillic (2 bytes), emoji (4), combining marks, bidi (3), ASCII.
        unit = ["ж", "😀", "e\u0301", "\u202e", "a"][n % 5]
        reason = unit * (40960 // len(unit.encode()) + 1)
        res.append({"id": i, "status": "rejected", "reason": reason})
    ok = send(sock, response(200, json.dumps({"results": res}, ensure_ascii=False)))
    if ok:
        with srv.lock:
            srv.rejected.update(i for i, _ in pairs)
    return ok


def evil_error_body(srv, sock, req):
    return send(sock, response(404, "<h1>" + EVIL + "</h1>", ctype="text/html"))


def redirect_other(srv, sock, req):
    other = srv.state["other"]
    return send(sock, response(307, "", extra={"Location": f"{other.url}/v1/records"}))


def redirect_evil_location(srv, sock, req):
    loc = ("http://elsewhere.example/\u202egnp.exe\u202c/" + "x" * 300).encode("utf-8").decode("latin-1")
    return send(sock, response(302, "", extra={"Location": loc}))


def status401(srv, sock, req):
    return send(sock, response(401, '{"error":"unknown token"}'))


def status413_all(srv, sock, req):
    return send(sock, response(413, "<html>Request Entity Too Large</html>", ctype="text/html"))


def some_400(srv, sock, req):
    # 400 for requests that contain a "bad" record (the first 3 ids ever seen),
    # otherwise fine: those 3 must be held, the rest delivered.
    ids = ids_of(req)
    with srv.lock:
        bad = srv.state.setdefault("bad", set(ids[:3]))
    if any(i in bad for i in ids):
        return send(sock, response(400, '{"error":"bad record"}'))
    return good_records(srv, sock, req)


def trickle_body(srv, sock, req):
    pairs = srv.take(req)
    body = results_answer(srv, pairs).encode()
    if not send(sock, response(200, body)[: -len(body)]):
        return False
    for b in body:
        if srv.stop or not send(sock, bytes([b])):
            return False
        time.sleep(0.2)
    return False


def endless_headers(srv, sock, req):
    if not send(sock, b"HTTP/1.1 200 OK\r\n"):
        return False
    line = b"X-Pad: " + b"p" * 1000 + b"\r\n"
    t0 = time.monotonic()
    while not srv.stop and time.monotonic() - t0 < 120:
        try:
            sock.sendall(line)
        except OSError:
            break
    return False


def garbage(srv, sock, req):
    send(sock, b"\x00\xff\xfeSSH-2.0-nonsense\r\n\r\n" + os.urandom(4000))
    return False


def http09_close(srv, sock, req):
    # 200 without Content-Length, body ends at close, JSON truncated.
    srv.take(req)
    send(sock, b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"results":[{"id":')
    return False


def upd_stall(srv, sock, req):
    t0 = time.monotonic()
    while not srv.stop and time.monotonic() - t0 < 120:
        time.sleep(0.1)
    return False


def upd_endless(srv, sock, req):
    return endless_chunked(srv, sock, req)


def upd_json(obj):
    def h(srv, sock, req):
        return send(sock, response(200, json.dumps(obj)))
    return h


def upd_evil_keys(srv, sock, req):
    body = {"cursor": "c\u202e1", "answers": [{"number": "\x1b[2J\u202e", "status": "answered"}],
            "highest_numbers": {"\x1b[31mKV1\u202e-2026": 5, "KV1-\x1b[2J": 7, "\u2066KV1-2026": 9},
            "config": None}
    return send(sock, response(200, json.dumps(body)))


# --------------------------------------------------------------------------
# Checks shared by every central probe

BAD_CHAR_RE = None


def bad_chars(text):
    """Control characters other than \\n, and bidi/invisible formatting."""
    found = []
    for c in text:
        if c == "\n":
            continue
        cat = unicodedata.category(c)
        if cat == "Cc" or cat == "Cf" or c in "\u2028\u2029":
            found.append(f"U+{ord(c):04X}")
    return sorted(set(found))


def db_reason_checks(probe, kd):
    rows = kd.q("SELECT last_error, rejected_reason, hold_reason FROM outbox")
    worst = 0
    for row in rows:
        for v in row:
            if v is None:
                continue
            if isinstance(v, bytes):
                fail(probe, "a reason stored as a BLOB")
                v = v.decode("utf-8", "replace")
            n = len(v.encode("utf-8"))
            worst = max(worst, n)
            if n > 1024:
                fail(probe, f"a reason of {n} bytes in the database (> 1 KiB)")
                break
            b = bad_chars(v)
            if b:
                fail(probe, f"a stored reason holds {b}: {v[:120]!r}")
                break
    return worst


def outbox_counts(kd):
    rows = kd.q("SELECT state, hold, count(*) FROM outbox GROUP BY state, hold")
    c = {"pending": 0, "delivered": 0, "rejected": 0, "held": 0, "set_aside": 0}
    for state, hold, n in rows:
        c[state] += n
        if hold:
            c[hold] += n
    return c


def delivery_checks(probe, kd, srv, total):
    delivered = {r[0] for r in kd.q("SELECT record_id FROM outbox WHERE state='delivered'")}
    rejected = {r[0] for r in kd.q("SELECT record_id FROM outbox WHERE state='rejected'")}
    n = kd.q("SELECT count(*) FROM records")[0][0]
    if n != total:
        fail(probe, f"records table holds {n}, expected {total}")
    lost = delivered - set(srv.stored)
    if lost:
        fail(probe, f"LOSS: {len(lost)} records marked delivered that the server never stored, e.g. {sorted(lost)[:2]}")
    unacked = delivered - srv.acked
    if unacked and not lost:
        fail(probe, f"{len(unacked)} records marked delivered without an accepted/duplicate verdict from the server")
    wrong_rej = rejected - srv.rejected
    if wrong_rej:
        fail(probe, f"{len(wrong_rej)} records marked rejected the server never rejected")
    return delivered, rejected


# --------------------------------------------------------------------------
# Probe 1a: one hostile central system per kind


def central_kinds(other):
    T = 2
    # name -> (records handler, updates handler, expectation dict)
    # exp: rc (set or None), delivered ("none"|"all"|"some"|None), words (list)
    K = {}
    K["never_answers"] = (never_answers, upd_stall, dict(rc={1}, delivered="none", words=["in time"]))
    K["headers_then_stall"] = (headers_then_stall, None, dict(rc={1}, delivered="none"))
    K["endless_chunked_4GB"] = (endless_chunked, upd_endless, dict(rc={1}, delivered="none"))
    K["content_length_4GB_streamed"] = (gigabyte_body, None, dict(rc={1}, delivered="none"))
    K["json_10MB_content_length"] = (json_10mb, None, dict(rc={1}, delivered="none"))
    K["json_10MB_chunked"] = (json_10mb_chunked, None, dict(rc={1}, delivered="none"))
    K["deeply_nested_json"] = (deep_json, upd_json(json.loads("[" * 100 + "]" * 100)), dict(rc={1}, delivered="none"))
    K["deep_json_inside_results"] = (deep_json_inside, None, dict(rc=None, delivered=None))
    K["wrong_content_type_html"] = (wrong_ctype_html, None, dict(rc={1}, delivered="none"))
    K["wrong_content_type_valid_json"] = (wrong_ctype_valid, None, dict(rc=None, delivered=None))
    K["stale_answer_preloaded_keepalive"] = (stale_answer_preloaded, None, dict(rc=None, delivered=None))
    K["endless_102_processing"] = (endless_1xx, None, dict(rc={1}, delivered="none"))
    K["gzip_bomb_256MB"] = (gzip_bomb, None, dict(rc={1}, delivered="none"))
    K["status_500"] = (status500, None, dict(rc={1}, delivered="none"))
    K["429_retry_after_huge"] = (r429_huge, None, dict(rc={1}, delivered="none"))
    K["429_retry_after_u64max"] = (r429_u64, None, dict(rc={1}, delivered="none"))
    K["429_retry_after_negative"] = (r429_negative, None, dict(rc={1}, delivered="none"))
    K["503_retry_after_year_9999"] = (r503_date_future, None, dict(rc={1}, delivered="none"))
    K["reset_mid_body"] = (reset_mid_body, None, dict(rc={1}, delivered="none"))
    K["reset_at_once"] = (reset_at_once, None, dict(rc={1}, delivered="none"))
    K["accepts_only_some"] = (partial_accept, None, dict(rc={0, 1}, delivered="some"))
    K["accepted_for_unsent_ids"] = (phantom_ids, None, dict(rc={0, 1}, delivered="none"))
    K["accepted_for_unsent_plus_bad_uuid"] = (phantom_ids, None, dict(rc={1}, delivered="none", state={"bad_uuid": 1}))
    K["phantom_plus_bogus_status"] = (phantom_plus_real, None, dict(rc=None, delivered=None))
    K["duplicate_ids_in_results"] = (duplicate_ids, None, dict(rc={0}, delivered="all"))
    K["accepted_and_rejected_same_id"] = (conflicting_ids, None, dict(rc=None, delivered=None))
    K["reject_reasons_bidi_ansi"] = (evil_reasons, upd_evil_keys, dict(rc={0, 1}, delivered="none", rejected="all"))
    K["reject_reasons_40KB"] = (long_reasons, None, dict(rc={0, 1}, delivered="none", batch=10, rejected="all"))
    K["error_body_bidi_ansi_404"] = (evil_error_body, None, dict(rc={2}, delivered="none"))
    K["redirect_to_other_host"] = (redirect_other, None, dict(rc={2}, delivered="none"))
    K["redirect_location_bidi"] = (redirect_evil_location, None, dict(rc={2}, delivered="none"))
    K["status_401"] = (status401, None, dict(rc={2}, delivered="none"))
    K["status_413_always"] = (status413_all, None, dict(rc={1, 2}, delivered="none"))
    K["400_for_three_records"] = (some_400, None, dict(rc={1}, delivered="some", held=3))
    K["trickle_body_1B_per_200ms"] = (trickle_body, None, dict(rc={1}, delivered="none"))
    K["endless_headers"] = (endless_headers, None, dict(rc={1}, delivered="none"))
    K["garbage_not_http"] = (garbage, None, dict(rc={1}, delivered="none"))
    K["truncated_close_delimited"] = (http09_close, None, dict(rc={1}, delivered="none"))
    K["updates_stall_records_fine"] = (good_records, upd_stall, dict(rc={0}, delivered="all"))
    K["updates_highest_999999_bad_types"] = (good_records, upd_json(
        {"cursor": 5, "answers": "x", "highest_numbers": {"KV1-%d" % YEAR: -1, "KV1-%d " % YEAR: 1e30,
                                                         "KV1-1999": 3, "KV1-%d" % (YEAR + 1): 18446744073709551617}}),
        dict(rc={0}, delivered="all"))
    if WRONG:
        K["lying_server_must_show_LOSS"] = (lying_accepts_stores_nothing, None, dict(rc={0}, delivered="all"))
    return K


RECORDS_PER = (100, 20)  # ratings, complaints per hostile-central kiosk


def central_probe(root, template, name, spec, other):
    rec_h, upd_h, exp = spec
    if WRONG:
        exp = dict(exp, delivered="all")
    total = sum(RECORDS_PER)
    srv = Central(records=rec_h, updates=upd_h)
    if rec_h is redirect_other:
        srv.state["other"] = other
    srv.state.update(exp.get("state", {}))
    kd = KioskDir(root, "c-" + name, url=srv.url, timeout=2, batch=exp.get("batch"))
    kd.fill(*RECORDS_PER, template=template)
    # bound: updates (T) + 3 attempts (<= 3 T each, 413 halving more) + 2 waits <= 10 s + slack
    bound = 60
    snap = files_of(kd.path)
    r = run_kiosk(kd, ["sync", "--once"], bound)
    extra = set(files_of(kd.path)) - set(snap) - {"kiosk.db-wal", "kiosk.db-shm"}
    changed = [f for f in ("kiosk.toml", "central.token") if files_of(kd.path).get(f) != snap.get(f)]
    if extra or changed:
        fail("central:" + name, f"foreign write: new files {sorted(extra)}, changed {changed}")
    srv.close()
    o = run_kiosk(kd, ["outbox", "--limit", "500"], 30)
    res = {"name": name, "sync": r, "outbox": o}
    probe = "central:" + name
    if r.killed:
        fail(probe, f"sync --once still running after {bound}s (killed)")
    if r.sig:
        fail(probe, f"sync --once died of signal {r.sig}")
    if o.sig or o.killed:
        fail(probe, f"outbox died/hung: {o.brief()}")
    if r.peak_kib > 100 * 1024:
        fail(probe, f"peak RSS {r.peak_kib / 1024:.0f} MiB")
    elif r.peak_kib > 50 * 1024:
        note(probe, f"peak RSS {r.peak_kib / 1024:.0f} MiB (over the tests' 50 MiB)")
    b = bad_chars(o.out)
    if b:
        fail(probe, f"`kiosk outbox` prints raw {b}")
    bs = bad_chars(r.out + r.err)
    if bs:
        bl = [l for l in (r.out + r.err).splitlines() if bad_chars(l)]
        note(probe, f"FINDING `kiosk sync --once` output holds raw {bs} on {len(bl)} lines, e.g. "
             + " || ".join(repr(l[:160]) for l in sorted({x[:25]: x for x in bl}.values())[:3]))
    res["reason_max"] = db_reason_checks(probe, kd)
    delivered, rejected = delivery_checks(probe, kd, srv, total)
    c = outbox_counts(kd)
    res["counts"] = c
    if exp.get("rc") is not None and r.rc not in exp["rc"]:
        fail(probe, f"exit code {r.rc}, expected one of {sorted(exp['rc'])}; last lines: "
             + " | ".join(r.out.strip().splitlines()[-3:]))
    d = exp.get("delivered")
    if d == "none" and delivered:
        fail(probe, f"{len(delivered)} records marked delivered, expected none")
    if d == "all" and len(delivered) != total:
        fail(probe, f"{len(delivered)} of {total} delivered, expected all; counts {c}")
    if d == "some" and not delivered:
        fail(probe, f"nothing delivered, expected some; counts {c}")
    if exp.get("rejected") == "all" and len(rejected) != total:
        fail(probe, f"{len(rejected)} of {total} rejected, expected all; counts {c}")
    if exp.get("held") is not None and c["held"] != exp["held"]:
        fail(probe, f"{c['held']} held, expected {exp['held']}")
    if c["pending"] + c["delivered"] + c["rejected"] != total:
        fail(probe, f"outbox counts {c} do not add up to {total}")
    if name == "redirect_to_other_host" and other.requests:
        fail(probe, f"the redirect target got requests: {other.requests}")
    if name == "accepts_only_some":
        # The records answered must be delivered, the rest pending.
        if delivered != srv.acked:
            fail(probe, f"delivered {len(delivered)} != acked {len(srv.acked)}")
    if name in ("never_answers", "headers_then_stall", "trickle_body_1B_per_200ms") and r.secs > 30:
        fail(probe, f"took {r.secs:.1f}s with request_timeout 2 s")
    res["requests"] = dict(srv.requests)
    res["sent"] = srv.state.get("sent_bytes")
    last = [l for l in r.out.splitlines() if l.startswith(("stopped:", "outbox now:"))][-2:]
    longest = max((len(l.encode()) for l in r.out.splitlines()), default=0)
    res["longest_line"] = longest
    if longest > 4096:
        note(probe, f"FINDING `kiosk sync --once` prints a {longest}-byte line (reasons are not cut on screen)")
    forged = sum(1 for l in r.out.splitlines() if l.startswith("outbox now: 0 pending, 9999"))
    if forged:
        note(probe, f"FINDING a reject reason with CR LF forged {forged} lines of `kiosk sync --once` output, "
             "e.g. 'outbox now: 0 pending, 9999 delivered, 0 rejected (forged line)'")
    log(f"[central] {name:34s} {r.brief():42s} outbox={o.rc} {c} reasons<= {res['reason_max']}B "
        f"req={srv.requests} | {' | '.join(x[:150] for x in last)}")
    return res


# --------------------------------------------------------------------------
# Probe 1b: 1,000 records through a central that fails ~30% of requests


class FaultState:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.rate = 0.3
        self.faults = {}


FAULTS = ["500", "reset_before_store", "reset_after_store", "reset_mid_body", "stall_after_store",
          "429_1s", "503_no_retry_after", "partial", "garbage_200_after_store", "413_if_many",
          "phantom_and_dups", "truncated_json_after_store", "headers_stall", "accepted_twice",
          "401", "404_proxy_page", "close_no_answer"]


def fault_records(srv, sock, req):
    fs = srv.state["fs"]
    ids = ids_of(req)
    with srv.lock:
        f = fs.rng.choice(FAULTS) if fs.rng.random() < fs.rate else None
        if f == "413_if_many" and len(ids) < 2:
            f = "500"
        fs.faults[f] = fs.faults.get(f, 0) + 1
    if f is None:
        return good_records(srv, sock, req)
    if f == "500":
        return send(sock, response(500, "oops"))
    if f == "401":
        return send(sock, response(401, "who are you"))
    if f == "404_proxy_page":
        return send(sock, response(404, "<html>proxy: no route</html>", ctype="text/html"))
    if f == "close_no_answer":
        srv.take(req)
        sock.close()
        return False
    if f == "reset_before_store":
        rst(sock)
        return False
    if f == "reset_after_store":
        srv.take(req)
        rst(sock)
        return False
    if f == "reset_mid_body":
        return reset_mid_body(srv, sock, req)
    if f == "stall_after_store":
        srv.take(req)
        time.sleep(3)
        return False
    if f == "headers_stall":
        srv.take(req)
        send(sock, b"HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n{")
        time.sleep(3)
        return False
    if f == "429_1s":
        return send(sock, response(429, "", extra={"Retry-After": "1"}))
    if f == "503_no_retry_after":
        return send(sock, response(503, "busy"))
    if f == "partial":
        keep = set(ids[: max(1, len(ids) // 3)])
        pairs = srv.take(req, keep)
        ok = send(sock, response(200, results_answer(srv, pairs)))
        if ok:
            with srv.lock:
                srv.acked.update(i for i, _ in pairs)
        return ok
    if f == "garbage_200_after_store":
        srv.take(req)
        return send(sock, response(200, "<html>ok</html>"))
    if f == "truncated_json_after_store":
        pairs = srv.take(req)
        body = results_answer(srv, pairs)
        return send(sock, response(200, body[: len(body) // 2]))
    if f == "413_if_many":
        return send(sock, response(413, "too big"))
    if f == "phantom_and_dups":
        pairs = srv.take(req)
        res = [{"id": str(uuid.uuid4()), "status": "accepted"} for _ in range(3)]
        for i, d in pairs:
            res.append({"id": i, "status": "duplicate" if d else "accepted"})
            res.append({"id": i, "status": "duplicate"})
        ok = send(sock, response(200, json.dumps({"results": res})))
        if ok:
            with srv.lock:
                srv.acked.update(i for i, _ in pairs)
        return ok
    if f == "accepted_twice":
        # The same batch answered twice on the connection (a stale answer).
        ok = good_records(srv, sock, req)
        return ok
    return good_records(srv, sock, req)


def fault_updates(srv, sock, req):
    fs = srv.state["fs"]
    with srv.lock:
        bad = fs.rng.random() < fs.rate
    if bad:
        rst(sock)
        return False
    return send(sock, response(404, ""))


def fault_probe(root, n_ratings=800, n_complaints=200, runs_faulty=40, runs_good=6, batch=10):
    probe = "fault1000"
    srv = Central(records=fault_records, updates=fault_updates)
    srv.state["fs"] = FaultState(7)
    kd = KioskDir(root, "fault", url=srv.url, timeout=1, batch=batch)
    kd.fill(n_ratings, n_complaints, seed=99)
    total = kd.q("SELECT count(*) FROM records")[0][0]
    ids = {r[0] for r in kd.q("SELECT id FROM records")}
    peak, tsum, tmax, rcs = 0, 0.0, 0.0, {}
    t_start = time.monotonic()
    runs = 0
    for i in range(runs_faulty + runs_good):
        if i == runs_faulty:
            srv.state["fs"].rate = 0.0
        if outbox_counts(kd)["pending"] == 0:
            break
        r = run_kiosk(kd, ["sync", "--once"], 90)
        runs += 1
        peak = max(peak, r.peak_kib)
        tsum += r.secs
        tmax = max(tmax, r.secs)
        rcs[r.rc] = rcs.get(r.rc, 0) + 1
        if r.killed or r.sig:
            fail(probe, f"run {i}: {r.brief()}")
        if bad_chars(r.out):
            note(probe, f"sync output has raw {bad_chars(r.out)}")
        if time.monotonic() - t_start > 240 and srv.state["fs"].rate:
            note(probe, "stopped early: time budget")
            srv.state["fs"].rate = 0.0
    # once more with a server that behaves: nothing pending, nothing sent again
    srv.state["fs"].rate = 0.0
    before_copies = sum(len(v) for v in srv.stored.values())
    r = run_kiosk(kd, ["sync", "--once"], 90)
    runs += 1
    if r.rc != 0 or "outbox now: 0 pending" not in r.out:
        fail(probe, f"final run against a behaving server: {r.brief()} {r.out.strip().splitlines()[-2:]}")
    if sum(len(v) for v in srv.stored.values()) != before_copies:
        fail(probe, "records sent again after all were delivered")
    srv.close()
    c = outbox_counts(kd)
    stored = set(srv.stored)
    copies = sum(len(v) for v in srv.stored.values())
    # content: every copy of an id is identical, and matches the kiosk's record
    differ = [i for i, v in srv.stored.items() if any(json.dumps(x, sort_keys=True) != json.dumps(v[0], sort_keys=True) for x in v)]
    if differ:
        fail(probe, f"{len(differ)} ids arrived with differing content, e.g. {differ[0]}")
    foreign = stored - ids
    if foreign:
        fail(probe, f"server stored {len(foreign)} ids the kiosk does not hold")
    missing = ids - stored
    if missing:
        fail(probe, f"LOSS: {len(missing)} of {total} kiosk records never reached the server")
    rows = kd.q("SELECT id, kind, number, created_at, clock_trusted, data FROM records")
    mism = 0
    for rid, kind, number, created_at, trusted, data in rows:
        v = srv.stored.get(rid)
        if not v:
            continue
        x = v[0]
        if (x.get("kind"), x.get("number"), x.get("created_at"), x.get("clock_trusted")) != (kind, number, created_at, bool(trusted)):
            mism += 1
            continue
        try:
            d = json.loads(data)
        except ValueError:
            continue
        for k, val in d.items():
            if val not in ("", None) and x.get("data", {}).get(k) != val:
                mism += 1
                break
    if mism:
        fail(probe, f"{mism} records arrived with content differing from the kiosk's")
    if c["pending"] != 0 or c["delivered"] != total:
        fail(probe, f"after the server behaved: outbox {c}, expected 0 pending, {total} delivered")
    delivery_checks(probe, kd, srv, total)
    db_reason_checks(probe, kd)
    if WRONG and copies != len(stored):
        fail(probe, f"(wrong expectation) expected no retried copies, got {copies - len(stored)}")
    log(f"[fault1000] records={total} runs={runs} exit codes={rcs} distinct ids stored={len(stored)} "
        f"copies received={copies} requests={srv.requests} batches={len(srv.batch_sizes)} "
        f"faults={srv.state['fs'].faults} final outbox={c} peak={peak / 1024:.1f}MiB "
        f"time total={tsum:.1f}s max={tmax:.1f}s")
    return dict(total=total, runs=runs, stored=len(stored), copies=copies, faults=srv.state["fs"].faults,
                counts=c, peak=peak, tmax=tmax, tsum=tsum)


# --------------------------------------------------------------------------
# Probe 1c: highest_numbers ceilings


def numbers(kd):
    return sorted(r[0] for r in kd.q("SELECT number FROM records WHERE number IS NOT NULL"))


def ceiling_probe(root, ceiling, expect_refused, seed):
    probe = f"ceiling:{ceiling}"
    if WRONG:
        expect_refused = not expect_refused
    key = f"KV1-{YEAR}"
    srv = Central(records=good_records, updates=upd_json(
        {"cursor": "c1", "answers": [], "highest_numbers": {key: ceiling}, "config": None}))
    kd = KioskDir(root, f"ceil-{ceiling}".replace("-", "m").replace(".", "_"), url=srv.url, timeout=2)
    kd.fill(2, 3, seed=seed)
    before = numbers(kd)
    r = run_kiosk(kd, ["sync", "--once"], 60)
    srv.close()
    if r.sig or r.killed:
        fail(probe, r.brief())
    # one more complaint, through the ordinary path demo-data uses
    a = run_kiosk(kd, ["demo-data", "--ratings", "0", "--complaints", "2", "--months", "1",
                       "--seed", str(seed + 1)], 60)
    after = numbers(kd)
    new = sorted(set(after) - set(before))
    seqs = [int(n.rsplit("-", 1)[1]) for n in after]
    line = [l for l in r.text.splitlines() if "holds receipt numbers" in l or "highest_numbers" in l]
    msg = " | ".join(line)
    ok_num = True
    if a.rc != 0 or len(new) != 2:
        fail(probe, f"after the ceiling no new complaint number: demo-data rc={a.rc} {a.text.strip()[:300]}")
        ok_num = False
    if len(set(after)) != len(after):
        fail(probe, "a number issued twice")
    is_int = isinstance(ceiling, int) and not isinstance(ceiling, bool)
    valid_entry = is_int and 0 <= ceiling <= 999999
    if valid_entry and expect_refused:
        full = f"{key}-{ceiling:06d}"
        if full not in r.text or "central system" not in msg or "refused" not in msg:
            fail(probe, f"message does not name {full} / the central system / refusal: {msg!r}")
        if ok_num and max(int(n.rsplit('-', 1)[1]) for n in new) > 999999:
            fail(probe, "number past 999999")
        if ok_num and min(int(n.rsplit('-', 1)[1]) for n in new) <= max(int(b.rsplit('-', 1)[1]) for b in before):
            fail(probe, f"new numbers {new} not above the kiosk's own {before[-1]}")
    elif valid_entry:
        if ok_num and min(int(n.rsplit('-', 1)[1]) for n in new) <= ceiling:
            fail(probe, f"new number {new} at or below an accepted ceiling {ceiling}")
    else:
        skipped = any("cannot use" in l for l in line)
        if skipped == WRONG:
            fail(probe, f"invalid entry {ceiling!r}: skipped message {'present' if skipped else 'missing'}: {msg!r}")
    log(f"[ceiling] {str(ceiling):24s} sync {r.brief()} | {msg[:260]} | new complaints: {new} (before {before[-1]}) demo rc={a.rc}")
    return dict(ceiling=ceiling, new=new, msg=msg, rc=r.rc)


# --------------------------------------------------------------------------
# Probe 2: hostile network printers


class Printer:
    """kind: healthy, silent, no_status, close200, reset200, garbage, paper_out,
    trickle, late_first_answer, status_before_only, babbler"""

    def __init__(self, kind, timeout_ms):
        self.kind, self.timeout = kind, timeout_ms / 1000
        self.received = bytearray()
        self.answers = []  # (position of the request, after_cut?)
        self.stop = False
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind((HOST, 0))
        self.ls.listen(8)
        self.ls.settimeout(0.2)
        self.port = self.ls.getsockname()[1]
        self.conns = []
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()

    def loop(self):
        while not self.stop:
            try:
                s, _ = self.ls.accept()
            except (socket.timeout, OSError):
                continue
            self.conns.append(s)
            threading.Thread(target=self.serve, args=(s,), daemon=True).start()

    def cut_before(self, pos):
        return self.received.rfind(b"\x1d\x56", 0, pos) >= 0

    def serve(self, s):
        k = self.kind
        if k == "silent":
            while not self.stop:
                time.sleep(0.1)
            return
        if k == "babbler":
            s.settimeout(0.05)
        else:
            s.settimeout(0.05)
        scanned = 0
        answered = 0
        pending_late = []
        t0 = time.monotonic()
        try:
            while not self.stop and time.monotonic() - t0 < 60:
                if k in ("close200", "reset200") and len(self.received) >= 200:
                    if k == "reset200":
                        rst(s)
                    else:
                        s.close()
                    return
                if k == "status_before_only" and answered >= 3:
                    # keeps reading, never answers again
                    pass
                if k == "froze" and (pending_late or answered) :
                    # froze right after the first status request: reads nothing
                    # more, answers that first request late, once
                    for due, byte, pos in list(pending_late):
                        if time.monotonic() >= due:
                            s.sendall(bytes([byte]))
                            self.answers.append((pos, self.cut_before(pos)))
                            answered += 1
                            pending_late.remove((due, byte, pos))
                    time.sleep(0.02)
                    continue
                if k == "late_first_answer" and answered >= 1 and not pending_late:
                    # the printer froze after its one (late) answer: reads nothing more
                    time.sleep(0.05)
                    continue
                for due, byte, pos in list(pending_late):
                    if time.monotonic() >= due:
                        s.sendall(bytes([byte]))
                        self.answers.append((pos, self.cut_before(pos)))
                        answered += 1
                        pending_late.remove((due, byte, pos))
                if k == "babbler":
                    try:
                        s.sendall(b"\x12" * 64)
                    except OSError:
                        return
                want = 4096
                if k in ("close200", "reset200"):
                    want = 200 - len(self.received)
                if k == "trickle":
                    want = 8
                if k == "froze":
                    want = 1
                try:
                    d = s.recv(want)
                except socket.timeout:
                    continue
                if not d:
                    return
                self.received += d
                if k == "trickle":
                    time.sleep(0.1)
                while scanned + 3 <= len(self.received):
                    if self.received[scanned] == 0x10 and self.received[scanned + 1] == 0x04:
                        n = self.received[scanned + 2]
                        pos = scanned
                        scanned += 3
                        if k == "no_status":
                            continue
                        if k == "status_before_only" and answered >= 3:
                            continue
                        if k in ("late_first_answer", "froze"):
                            if answered == 0 and not pending_late:
                                pending_late.append((time.monotonic() + self.timeout * 1.5, 0x12, pos))
                            continue
                        if k == "garbage":
                            ans = [0xFF, 0x00, 0x41, 0x80][answered % 4]
                        elif k == "paper_out":
                            ans = {1: 0x1A, 2: 0x32}.get(n, 0x72)
                        else:
                            ans = 0x12
                        s.sendall(bytes([ans]))
                        if k != "garbage":
                            self.answers.append((pos, self.cut_before(pos)))
                        answered += 1
                    else:
                        scanned += 1
        except OSError:
            return

    def close(self):
        self.stop = True
        try:
            self.ls.close()
        except OSError:
            pass
        for c in self.conns:
            try:
                c.close()
            except OSError:
                pass


PRINTER_KINDS = {
    # kind: (allowed states, rc expected, words)
    "healthy": ({"printed"}, 0, "printed"),
    "silent_accepts_never_reads": ({"unconfirmed"}, 1, "sent, not confirmed"),
    "reads_never_answers_status": ({"unconfirmed"}, 1, "sent, not confirmed"),
    "closes_after_200_bytes": ({"failed", "unconfirmed"}, 1, None),
    "resets_after_200_bytes": ({"failed", "unconfirmed"}, 1, None),
    "garbage_status": ({"failed", "unconfirmed"}, 1, None),
    "paper_out": ({"failed"}, 1, "paper out"),
    "slow_trickle_reader": ({"failed", "unconfirmed", "printed"}, None, None),
    "status_before_only": ({"failed", "unconfirmed"}, 1, None),
    "late_answer_to_first_query_only": ({"failed", "unconfirmed"}, 1, None),
    "babbler_unasked_status_bytes": ({"failed", "unconfirmed", "printed"}, None, None),
    "froze_after_first_query_late_answer": ({"failed", "unconfirmed"}, 1, None),
}
KIND_MAP = {"healthy": "healthy", "silent_accepts_never_reads": "silent",
            "reads_never_answers_status": "no_status", "closes_after_200_bytes": "close200",
            "resets_after_200_bytes": "reset200", "garbage_status": "garbage",
            "paper_out": "paper_out", "slow_trickle_reader": "trickle",
            "status_before_only": "status_before_only",
            "late_answer_to_first_query_only": "late_first_answer",
            "babbler_unasked_status_bytes": "babbler",
            "froze_after_first_query_late_answer": "froze"}


def printer_probe(root, template, kind, timeout_ms=1000):
    probe = f"printer:{kind}@{timeout_ms}ms"
    allowed, rc_exp, words = PRINTER_KINDS[kind]
    if WRONG and kind == "healthy":
        allowed = {"failed"}
    p = Printer(KIND_MAP[kind], timeout_ms)
    kd = KioskDir(root, f"p-{kind}-{timeout_ms}", url="")
    kd.fill(0, 2, template=template)
    number = kd.q("SELECT number FROM records WHERE number IS NOT NULL ORDER BY number LIMIT 1")[0][0]
    jobs_before = kd.q("SELECT coalesce(max(id),0) FROM print_jobs")[0][0]
    bound = 20
    r = run_kiosk(kd, ["receipt", number], bound, extra_env={
        "KIOSK__PRINTER__TRANSPORT": f"tcp:{HOST}:{p.port}",
        "KIOSK__PRINTER__TIMEOUT_MS": str(timeout_ms)})
    time.sleep(0.1)
    p.close()
    jobs = kd.q("SELECT id, state, reason FROM print_jobs WHERE id > ? ORDER BY id", (jobs_before,))
    states = [j[1] for j in jobs]
    post_cut_answers = sum(1 for _, after in p.answers if after)
    if r.killed:
        fail(probe, f"`kiosk receipt` still running after {bound}s")
    if r.sig:
        fail(probe, f"signal {r.sig}")
    if r.secs > 10 * timeout_ms / 1000 + 2:
        fail(probe, f"took {r.secs:.1f}s with timeout_ms {timeout_ms}")
    if len(jobs) != 1:
        fail(probe, f"{len(jobs)} new print jobs: {jobs}")
    st = states[-1] if states else None
    if st not in allowed:
        fail(probe, f"print_jobs.state {st!r}, allowed {sorted(allowed)}; said: {r.err.strip()[:300]}")
    if st == "printed" and post_cut_answers == 0:
        fail(probe, f"WRONG PRINTED: state 'printed' but the printer answered no status request sent after the cut "
             f"(answers at {p.answers}, cut seen: {CUT in p.received}); said: {r.err.strip()[:200]}")
    if st == "printed" and r.rc != 0:
        fail(probe, f"printed but exit {r.rc}")
    if st != "printed" and r.rc == 0:
        fail(probe, f"state {st} but exit 0: {r.err.strip()[:200]}")
    if rc_exp is not None and r.rc != rc_exp:
        fail(probe, f"exit {r.rc}, expected {rc_exp}")
    if words and words not in r.text:
        fail(probe, f"message lacks {words!r}: {r.text.strip()[:300]}")
    if st != "printed" and " printed (printer" in r.text:
        fail(probe, f"says printed: {r.text.strip()[:200]}")
    log(f"[printer] {kind:36s} t={timeout_ms} {r.brief():42s} state={st} bytes_read={len(p.received)} "
        f"post-cut answers={post_cut_answers} | {r.err.strip()[:230]}")
    return dict(kind=kind, tmo=timeout_ms, rc=r.rc, state=st, secs=r.secs, peak=r.peak_kib, msg=r.err.strip())


# --------------------------------------------------------------------------


def main():
    global KIOSK, WRONG
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--only", default="central,fault,ceiling,printer")
    ap.add_argument("--kinds", default="")
    ap.add_argument("--wrong", action="store_true")
    ap.add_argument("--jobs", type=int, default=6)
    a = ap.parse_args()
    KIOSK = os.path.abspath(a.kiosk)
    WRONG = a.wrong
    only = set(a.only.split(","))
    root = tempfile.mkdtemp(prefix="probe-net-", dir="/tmp")
    t0 = time.monotonic()
    print(f"probe_net: kiosk={KIOSK} root={root} year={YEAR} wrong={WRONG}", flush=True)
    summary = {}
    try:
        tpl = KioskDir(root, "template")
        tpl.fill(*RECORDS_PER)
        template = tpl.db
        with ThreadPoolExecutor(max_workers=a.jobs) as ex:
            futs = []
            if "fault" in only:
                futs.append(("fault", ex.submit(fault_probe, root)))
            if "central" in only:
                other = Central(records=good_records)
                kinds = central_kinds(other)
                sel = [k for k in kinds if not a.kinds or k in a.kinds.split(",")]
                for k in sel:
                    futs.append(("central:" + k, ex.submit(central_probe, root, template, k, kinds[k], other)))
            if "ceiling" in only:
                for n, (ce, refused) in enumerate([(999998, True), (999999, True), (999000, True),
                                                   (998999, False), (500, False), (-1, False),
                                                   (10 ** 30, False), (2 ** 64 + 1, False), (1e6, False)]):
                    futs.append((f"ceiling:{ce}", ex.submit(ceiling_probe, root, ce, refused, 500 + 10 * n)))
            if "printer" in only:
                for tmo in (1000, 3000):
                    for k in PRINTER_KINDS:
                        if not a.kinds or k in a.kinds.split(","):
                            futs.append((f"printer:{k}@{tmo}", ex.submit(printer_probe, root, template, k, tmo)))
            for name, f in futs:
                try:
                    summary[name] = f.result()
                except Exception:
                    fail(name, "probe crashed: " + traceback.format_exc().strip().splitlines()[-1])
                    traceback.print_exc()
    finally:
        for p in list(CHILDREN):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
        for s in SERVERS:
            s.close()
        shutil.rmtree(root, ignore_errors=True)
    # ---- summary
    print("\n==== summary ====")
    cen = [v for k, v in summary.items() if k.startswith("central:")]
    if cen:
        peaks = [v["sync"].peak_kib for v in cen]
        times = [v["sync"].secs for v in cen]
        print(f"central kinds run: {len(cen)}; sync peak RSS {min(peaks) / 1024:.1f}-{max(peaks) / 1024:.1f} MiB; "
              f"wall {min(times):.1f}-{max(times):.1f} s; exit codes "
              + str(sorted({v['sync'].rc for v in cen})))
        for v in cen:
            print(f"  {v['name']:34s} rc={v['sync'].rc} {v['sync'].secs:5.1f}s {v['sync'].peak_kib / 1024:5.1f}MiB "
                  f"outbox={v['counts']} reason_max={v['reason_max']}B")
    pr = [v for k, v in summary.items() if k.startswith("printer:")]
    for v in pr:
        print(f"  printer {v['kind']:36s} timeout_ms={v['tmo']} rc={v['rc']} state={v['state']} {v['secs']:.1f}s "
              f"peak={v['peak'] / 1024:.1f}MiB")
    print(f"failures: {len(FAILS)}, notes: {len(NOTES)}, elapsed {time.monotonic() - t0:.0f}s")
    for p, t in FAILS:
        print(f"FAIL [{p}] {t}")
    for p, t in NOTES:
        print(f"note [{p}] {t}")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
