#!/usr/bin/env python3
"""Probe "disk": the kiosk on a full ext4 disk and on a read-only one.

Run as root (loop devices):  python3 probe_disk.py --kiosk target/release/kiosk

Probes
  A. full disk, command matrix: 20 MiB ext4 images with 1 KiB and 4 KiB
     blocks holding the kiosk's database with records; filled by a filler
     file to 0 free and to a few KiB free; every database command run alone
     and while another process (python sqlite3, WAL, open read transaction)
     holds the database open.  Checks: no signal death (rc < 0 or >= 128),
     a message naming the full disk and what to do, records intact after
     freeing (same numbers, gapless, counter = max, integrity_check ok), a
     new number follows the last.  `kiosk run` (without a display and under
     Xvfb) must stay up out of service, and (Xvfb) restart itself once
     space returns.
  B. fills during writes: loops of `demo-data --complaints K` processes
     while a filler fills the disk (also oscillating around the kiosk's
     4 MiB threshold); then free and verify that every number printed as
     saved is stored, none printed twice, numbering gapless.
  C. read-only: images mounted read-only (1 KiB and 4 KiB), a clean
     `remount,ro` attempt while held, and an emergency read-only remount
     (ext4 errors=remount-ro, triggered through sysfs trigger_fs_error, as
     after a disk error) while python and `kiosk run` hold the database.

Exit code 1 when any probe finds a hard failure (a loss, a repeated
number, a number printed as saved but not stored, a signal death or hang,
database damage, a write to a foreign file); 4 when it finds only
behaviour failures (a missing or misleading message, `kiosk run` in
service on an unwritable disk); 0 when none.

Extras: PROBE_PLAN='{json}' overrides the fill-during-write plan (e.g.
'{"loops":1,"leave":12288,"oscillate":30,"pause":0.02,"above":65536,
"complaints":1,"held":false,"prefill":null,"bs":1024}' with --only B);
PROBE_B_LOG=debug logs the submissions. To see where a SIGBUS hits, pass as
--kiosk a script that runs the kiosk under `strace -f -e signal=SIGBUS`.
Needs Xvfb for the `kiosk run` window checks (without it: no-display only).
"""
import argparse
import atexit
import errno
import http.server
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
REPO_TOML = os.path.join(REPO, "kiosk.toml")

MIN_FREE = 4 * 1024 * 1024
NUM_RE = re.compile(r"\b([A-Z0-9]+)-(\d{4})-(\d{6})\b")

FAILURES = []   # (probe, what, detail, kind)
QUIET = False
ODD = []        # notes
COUNTS = {}
MOUNTS = []     # mount points to unmount at exit
PROCS = []      # Popen objects to end at exit
TMPDIRS = []


def count(key, n=1):
    COUNTS[key] = COUNTS.get(key, 0) + n


HARD_WORDS = ("LOST", "died", "hung", "printed as saved twice", "not intact", "changed during",
              "does not follow", "not stored", "does not work again", "could not be set up", "deliberately")


def fail(probe, what, detail="", kind=None):
    """kind: "hard" (loss, repeat, signal, hang, foreign write, db damage) or
    "behaviour" (message missing or misleading, out-of-service wrong)."""
    if kind is None:
        kind = "hard" if any(w in what for w in HARD_WORDS) else "behaviour"
    FAILURES.append((probe, what, detail, kind))
    if QUIET:
        return
    print(f"  FAIL/{kind} [{probe}] {what}\n{indent(detail)}", flush=True)


def odd(note):
    ODD.append(note)
    print(f"  ODD  {note}", flush=True)


def indent(s, n=8, limit=3000):
    s = s if len(s) <= limit else s[:limit] + f"... [{len(s) - limit} more chars]"
    return "\n".join(" " * n + line for line in s.splitlines())


# ---------------------------------------------------------------- cleanup

def cleanup():
    for p in PROCS:
        try:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=5)
        except Exception:
            pass
    for m in reversed(MOUNTS):
        for _ in range(3):
            r = subprocess.run(["umount", m], capture_output=True)
            if r.returncode == 0 or not os.path.ismount(m):
                break
            time.sleep(0.5)
        if os.path.ismount(m):
            subprocess.run(["umount", "-l", m], capture_output=True)
    for d in TMPDIRS:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(cleanup)


def on_signal(signum, _frame):
    cleanup()
    sys.exit(130)


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)


def sh(*args, check=True):
    r = subprocess.run(list(args), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{args}: rc={r.returncode} {r.stderr.strip()}")
    return r


# ---------------------------------------------------------------- images

class Image:
    """A 20 MiB ext4 image with `bs`-byte blocks on a loop device."""

    def __init__(self, root, name, bs, size_mb=20):
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.img = os.path.join(self.dir, "disk.img")
        self.mnt = os.path.join(self.dir, "mnt")
        os.makedirs(self.mnt)
        self.bs = bs
        with open(self.img, "wb") as f:
            f.truncate(size_mb * 1024 * 1024)
        sh("mkfs.ext4", "-q", "-F", "-b", str(bs), self.img)
        self.fill_path = os.path.join(self.mnt, "fill")

    @property
    def db(self):
        return os.path.join(self.mnt, "kiosk.db")

    def mount(self, opts="loop,errors=remount-ro"):
        sh("mount", "-o", opts, self.img, self.mnt)
        if self.mnt not in MOUNTS:
            MOUNTS.append(self.mnt)

    def umount(self):
        for _ in range(10):
            r = sh("umount", self.mnt, check=False)
            if r.returncode == 0:
                break
            time.sleep(0.3)
        else:
            raise RuntimeError(f"umount {self.mnt}: {r.stderr}")
        if self.mnt in MOUNTS:
            MOUNTS.remove(self.mnt)

    def device(self):
        return sh("findmnt", "-n", "-o", "SOURCE", self.mnt).stdout.strip()

    def free(self):
        st = os.statvfs(self.mnt)
        return st.f_bfree * st.f_frsize, st.f_bavail * st.f_frsize

    def fill(self, leave=0, sync=True):
        """Writes the filler until not one more byte fits, then gives back
        `leave` bytes. Returns (free for root, free for users)."""
        fd = os.open(self.fill_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            for chunk in (1 << 20, 64 << 10, 4096, 1024, 512, 1):
                buf = b"\0" * chunk
                while True:
                    try:
                        os.write(fd, buf)
                    except OSError as e:
                        if e.errno in (errno.ENOSPC, errno.EDQUOT):
                            break
                        raise
            if sync:
                try:
                    os.fsync(fd)
                except OSError:
                    pass
            # writes after the fsync: delayed allocation may have freed some
            for chunk in (4096, 1024, 1):
                buf = b"\0" * chunk
                while True:
                    try:
                        os.write(fd, buf)
                    except OSError:
                        break
            if leave:
                size = os.fstat(fd).st_size
                os.ftruncate(fd, max(0, size - leave))
                if sync:
                    os.fsync(fd)
        finally:
            os.close(fd)
        if sync:
            os.sync()
        return self.free()

    def fill_to(self, free_bytes):
        """Fills until about `free_bytes` stay free (not below)."""
        fd = os.open(self.fill_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            while True:
                _, f = self.free()
                room = f - free_bytes
                if room <= 4096:
                    break
                try:
                    os.write(fd, b"\0" * min(room - 4096, 1 << 20) if room > 8192 else b"\0" * 4096)
                except OSError:
                    break
        finally:
            os.close(fd)

    def reserves(self):
        """(ext4's reserved clusters, root-only blocks) in bytes; measured
        once on a disk with room."""
        if getattr(self, "_res", None) is None:
            dev = os.path.basename(self.device())
            with open(f"/sys/fs/ext4/{dev}/reserved_clusters") as f:
                resv = int(f.read()) * self.bs
            st = os.statvfs(self.mnt)
            self._res = (resv, (st.f_bfree - st.f_bavail) * st.f_frsize - resv)
        return self._res

    def root_usable(self):
        st = os.statvfs(self.mnt)
        return st.f_bfree * st.f_frsize - self.reserves()[0]

    def jump_to(self, leave, zeros):
        """One write that leaves `leave` bytes usable by root: the disk goes
        from roomy to (nearly) full in one step, not through 0."""
        fd = os.open(self.fill_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            n = self.root_usable() - leave
            n -= n % self.bs
            if n > 0:
                try:
                    os.write(fd, zeros[:n] if n <= len(zeros) else zeros)
                except OSError:
                    pass
        finally:
            os.close(fd)

    def give_back(self, avail):
        """Shortens the filler so that about `avail` bytes are free for users."""
        have = self.root_usable() - self.reserves()[1]
        need = avail - have
        if need > 0 and os.path.exists(self.fill_path):
            size = os.path.getsize(self.fill_path)
            with open(self.fill_path, "r+b") as fh:
                fh.truncate(max(0, size - need - (-need % self.bs)))

    def unfill(self):
        try:
            os.unlink(self.fill_path)
        except FileNotFoundError:
            pass
        os.sync()


# ---------------------------------------------------------------- kiosk

class Kiosk:
    def __init__(self, binary, work, central_url):
        self.binary = binary
        self.work = work
        self.config = os.path.join(work, "kiosk.toml")
        shutil.copy(REPO_TOML, self.config)
        self.token = os.path.join(work, "central.token")
        with open(self.token, "w") as f:
            f.write("probe-disk-token-0123456789abcdef")
        os.chmod(self.token, 0o600)
        self.central_url = central_url
        self.display = None

    def env(self, db, url="", log="warn", display=False):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("KIOSK") and k not in
               ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "SLINT_BACKEND")}
        env.update({
            "KIOSK__STORAGE__DATABASE": db,
            "KIOSK__STORAGE__CREATE": "false",
            "KIOSK__CENTRAL__URL": url,
            "KIOSK__CENTRAL__TOKEN_FILE": self.token,
            "KIOSK__CENTRAL__REQUEST_TIMEOUT_SECS": "2",
            "KIOSK__CENTRAL__CONNECT_TIMEOUT_SECS": "2",
            "KIOSK__PRINTER__TRANSPORT": "file:" + os.path.join(self.work, "receipts.bin"),
            "KIOSK__SPEECH__ENABLED": "false",
            "KIOSK_LOG": log,
        })
        if display and self.display:
            env["DISPLAY"] = self.display
        return env

    def argv(self, args):
        return [self.binary, "--config", self.config] + list(args)

    def run(self, db, args, url="", timeout=120, log="warn"):
        t0 = time.time()
        p = subprocess.Popen(self.argv(args), env=self.env(db, url, log), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True, cwd=self.work)
        PROCS.append(p)
        try:
            out, err = p.communicate(timeout=timeout)
            hung = False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            hung = True
        PROCS.remove(p)
        return Result(args, p.returncode, out.decode(errors="replace"), err.decode(errors="replace"),
                      hung, time.time() - t0)

    def start(self, db, args, display=False, log="info", url=""):
        logf = tempfile.NamedTemporaryFile(dir=self.work, prefix="run-", suffix=".log", delete=False)
        p = subprocess.Popen(self.argv(args), env=self.env(db, url, log, display), stdout=logf,
                             stderr=subprocess.STDOUT, start_new_session=True, cwd=self.work)
        p.logpath = logf.name
        logf.close()
        PROCS.append(p)
        return p


class Result:
    def __init__(self, args, rc, out, err, hung, secs):
        self.args, self.rc, self.out, self.err, self.hung, self.secs = args, rc, out, err, hung, secs

    @property
    def text(self):
        return self.out + self.err

    def signal_death(self):
        return self.rc is not None and (self.rc < 0 or self.rc >= 128)

    def describe(self):
        return f"rc={self.rc}{' (HUNG, killed)' if self.hung else ''} in {self.secs:.1f}s\n{self.text.strip()}"


def read_log(p):
    try:
        with open(p.logpath, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def stop(p, sig=signal.SIGTERM):
    """Ends a started process; returns (rc before we stopped it or None, log)."""
    own = p.poll()
    if own is None:
        try:
            os.killpg(p.pid, sig)
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        except ProcessLookupError:
            pass
    if p in PROCS:
        PROCS.remove(p)
    return own, read_log(p)


def wait_log(p, needle, secs):
    end = time.time() + secs
    while time.time() < end:
        if needle in read_log(p):
            return True
        if p.poll() is not None:
            return needle in read_log(p)
        time.sleep(0.1)
    return False


# ---------------------------------------------------------------- holder

HOLDER = r"""
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
mode = c.execute("PRAGMA journal_mode").fetchone()[0]
c.execute("BEGIN")
n = c.execute("SELECT count(*) FROM records").fetchone()[0]
print("held", mode, n, flush=True)
sys.stdin.read()
try:
    c.execute("COMMIT"); c.close()
except Exception as e:
    print("close:", e, flush=True)
"""


class Holder:
    """Another process holding the database open: WAL, open read transaction."""

    def __init__(self, db):
        self.p = subprocess.Popen([sys.executable, "-c", HOLDER, db], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        PROCS.append(self.p)
        line = self.p.stdout.readline().decode()
        if not line.startswith("held wal"):
            raise RuntimeError(f"holder did not start: {line!r} {self.p.stdout.read()!r}")

    def release(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=10)
        except Exception:
            os.killpg(self.p.pid, signal.SIGKILL)
            self.p.wait()
        if self.p in PROCS:
            PROCS.remove(self.p)
        return self.p.returncode


# ---------------------------------------------------------------- database checks

def snapshot(db):
    c = sqlite3.connect(db, timeout=10)
    try:
        s = {
            "integrity": [r[0] for r in c.execute("PRAGMA integrity_check")],
            "records": c.execute("SELECT count(*) FROM records").fetchone()[0],
            "numbers": sorted(r[0] for r in c.execute("SELECT number FROM records WHERE number IS NOT NULL")),
            "counters": {f"{p}-{y}": n for p, y, n in c.execute("SELECT prefix, year, last_sequence FROM counters")},
            "personal": c.execute("SELECT count(*) FROM personal_data").fetchone()[0],
            "outbox": c.execute("SELECT count(*) FROM outbox").fetchone()[0],
        }
    finally:
        c.close()
    return s


def check_db(probe, db, before=None, same=False, printed=()):
    """Intact: integrity ok, numbers gapless from 1 and unique, counter = max;
    nothing of `before` lost (equal when `same`); every printed number stored."""
    bad = []
    s = snapshot(db)
    if s["integrity"] != ["ok"]:
        bad.append(f"integrity_check: {s['integrity'][:5]}")
    if len(set(s["numbers"])) != len(s["numbers"]):
        bad.append("duplicate numbers stored")
    series = {}
    for n in s["numbers"]:
        m = NUM_RE.fullmatch(n)
        if not m:
            bad.append(f"odd number {n!r}")
            continue
        series.setdefault(f"{m[1]}-{m[2]}", []).append(int(m[3]))
    for key, seqs in series.items():
        seqs.sort()
        if seqs != list(range(1, len(seqs) + 1)):
            missing = sorted(set(range(1, seqs[-1] + 1)) - set(seqs))
            bad.append(f"{key}: numbers not gapless: missing {missing[:20]} (max {seqs[-1]}, {len(seqs)} stored)")
        ctr = s["counters"].get(key)
        if ctr != seqs[-1]:
            bad.append(f"{key}: counter last_sequence={ctr} but highest stored is {seqs[-1]}")
    if before is not None:
        lost = sorted(set(before["numbers"]) - set(s["numbers"]))
        if lost:
            bad.append(f"LOST numbers: {lost[:20]} ({len(lost)})")
        if s["records"] < before["records"]:
            bad.append(f"records {before['records']} -> {s['records']}")
        if same and (s["records"], s["numbers"], s["personal"], s["outbox"]) != (
                before["records"], before["numbers"], before["personal"], before["outbox"]):
            bad.append(f"changed: records {before['records']}->{s['records']}, numbers "
                       f"{len(before['numbers'])}->{len(s['numbers'])}, personal {before['personal']}->"
                       f"{s['personal']}, outbox {before['outbox']}->{s['outbox']}")
    missing_printed = sorted(set(printed) - set(s["numbers"]))
    if missing_printed:
        bad.append(f"LOST: numbers printed as saved but not stored: {missing_printed[:20]} ({len(missing_printed)})")
    count("db verifications")
    if bad:
        fail(probe, "database not intact", "\n".join(bad))
    return s, bad


def works_again(probe, k, db, before):
    """After freeing: one more complaint gets the next number."""
    r = k.run(db, ["demo-data", "--ratings", "0", "--complaints", "1", "--months", "1"])
    count("works-again submissions")
    if r.rc != 0:
        fail(probe, "kiosk does not work again after freeing the disk", r.describe())
        return before
    got = NUM_RE.findall(r.out)
    after = snapshot(db)
    expect = None
    if before["numbers"]:
        m = NUM_RE.fullmatch(before["numbers"][-1])
        expect = f"{m[1]}-{m[2]}-{int(m[3]) + 1:06d}"
    shown = "-".join(got[0]) if got else None
    if expect and shown != expect:
        fail(probe, "new number does not follow the last", f"last stored {before['numbers'][-1]}, "
             f"new {shown}\n{r.describe()}")
    if shown not in after["numbers"]:
        fail(probe, "new number not stored", f"{shown}\n{r.describe()}")
    return after


# ---------------------------------------------------------------- central

class Central503(http.server.BaseHTTPRequestHandler):
    def _no(self):
        body = b'{"error":"maintenance"}'
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Retry-After", "1")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _no

    def log_message(self, *a):
        pass


def start_central():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Central503)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


def start_xvfb():
    if not shutil.which("Xvfb"):
        odd("Xvfb not installed: `kiosk run` probed without a display only")
        return None
    for n in range(71, 99):
        if os.path.exists(f"/tmp/.X{n}-lock") or os.path.exists(f"/tmp/.X11-unix/X{n}"):
            continue
        p = subprocess.Popen(["Xvfb", f":{n}", "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        PROCS.append(p)
        for _ in range(50):
            if os.path.exists(f"/tmp/.X11-unix/X{n}"):
                return f":{n}"
            if p.poll() is not None:
                break
            time.sleep(0.1)
    odd("Xvfb did not start")
    return None


# ---------------------------------------------------------------- probe A / C: command matrix

def command_list(k, img, first_number, year):
    out = os.path.join(k.work, "out")
    os.makedirs(out, exist_ok=True)
    return [
        ("init", ["init"], ""),
        ("db check", ["db", "check"], ""),
        ("db recover", ["db", "recover"], ""),
        ("db recover --out", ["db", "recover", "--out", os.path.join(out, f"rec-{random.randrange(1 << 30)}.db")], ""),
        ("demo-data", ["demo-data", "--ratings", "1", "--complaints", "1", "--months", "1"], ""),
        ("outbox", ["outbox"], ""),
        ("outbox --requeue", ["outbox", "--requeue", "all"], ""),
        ("sync --once", ["sync", "--once"], k.central_url),
        ("report", ["report", "--year", year], ""),
        ("export", ["export", "--year", year, "--dir", out], ""),
        ("receipt --out", ["receipt", first_number, "--out", os.path.join(out, "r.bin")], ""),
        ("receipt (printer)", ["receipt", first_number], ""),
        ("bench submit", ["bench", "submit", "--iterations", "2", "--printer", "healthy"], ""),
        ("check-config", ["check-config"], ""),
    ]


# Commands that only read may succeed on a full or read-only disk.
READ_ONLY_OK = {"db check", "db recover --out", "check-config", "report", "outbox", "receipt --out", "export"}


def message_ok(state, text):
    t = text.lower()
    if state == "full":
        return "full" in t and ("free space" in t or "frees space" in t)
    return "read-only" in t or "read only" in t


def matrix(probe, k, img, db, state, first_number, year, expect_words=None, run_secs=4.0):
    """Runs every command once in the current disk state; returns per-command rc."""
    rows = []
    for name, args, url in command_list(k, img, first_number, year):
        r = k.run(db, args, url=url)
        count(f"{probe.split(':')[0]} command runs")
        rows.append((name, r.rc))
        if r.hung:
            fail(probe, f"`{name}` hung (>120 s)", r.describe())
            continue
        if r.signal_death():
            fail(probe, f"`{name}` died of a signal / exit >= 128", f"kiosk {' '.join(args)}\n{r.describe()}")
            continue
        if r.rc == 0:
            if name == "init" and "kept" in r.text:
                if not message_ok(state, r.text):
                    fail(probe, f"`init` exit 0 on the {state} disk: says the database is sound and kept, "
                         f"without naming the {state} disk", r.describe())
            elif name not in READ_ONLY_OK:
                fail(probe, f"`{name}` succeeded on a {state} disk (a write command)", r.describe())
            elif expect_words and not message_ok(state, r.text):
                pass  # a read that works is fine
            continue
        if not message_ok(expect_words or state, r.text):
            if name.startswith("db recover") and "another process" in r.text and r.rc == 1:
                continue
            fail(probe, f"`{name}` refused without saying the disk is {state} and what to do",
                 f"kiosk {' '.join(args)}\n{r.describe()}")
        elif r.rc != 3:
            odd(f"[{probe}] `{name}` exit code {r.rc} (README says 3): {r.text.strip()[:300]}")
    # kiosk run: without a display, and under Xvfb.
    for disp in ([False, True] if k.display else [False]):
        name = "run (Xvfb)" if disp else "run (no display)"
        p = k.start(db, ["run"], display=disp)
        count(f"{probe.split(':')[0]} command runs")
        ok = wait_log(p, "out of service", run_secs + 6)
        time.sleep(0.5)
        own, log = stop(p)
        rows.append((name, own if own is not None else "up"))
        if own is not None and (own < 0 or own >= 128):
            fail(probe, f"`{name}` died of a signal", f"rc={own}\n{log}")
        elif "kiosk started" in log:
            fail(probe, f"`{name}` started IN SERVICE on the {state} disk instead of out of service"
                 f"{'' if own is None else f' (then exited {own})'}", log)
        elif own is not None:
            fail(probe, f"`{name}` exited ({own}) instead of staying out of service", log)
        elif not ok:
            fail(probe, f"`{name}` did not say out of service", log)
        elif not message_ok(expect_words or state, log):
            fail(probe, f"`{name}` out of service without naming the {state} disk / what to do", log)
    return rows


def crash_writer(k, db, probe, tag):
    """A demo-data writer killed with SIGKILL once its -wal has frames; the
    state of the database as a copy of its files sees it."""
    p = k.start(db, ["demo-data", "--ratings", "0", "--complaints", "5000", "--months", "1"], log="warn")
    wal = db + "-wal"
    end = time.time() + 30
    while time.time() < end and p.poll() is None:
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            break
        time.sleep(0.002)
    time.sleep(random.uniform(0, 0.05))
    own, _ = stop(p, signal.SIGKILL)
    if own is not None:
        odd(f"[{probe}] the writer ended by itself ({own}) before the kill")
    have_wal = os.path.exists(wal) and os.path.getsize(wal) > 0
    copy = os.path.join(k.work, f"crash-copy-{tag}")
    os.makedirs(copy, exist_ok=True)
    for suffix in ("", "-wal"):
        if os.path.exists(db + suffix):
            shutil.copy(db + suffix, os.path.join(copy, "kiosk.db" + suffix))
    before = snapshot(os.path.join(copy, "kiosk.db"))
    if not have_wal:
        odd(f"[{probe}] the killed writer left no -wal; the state is a clean database")
    return before, (os.path.getsize(wal) if have_wal else 0)


def full_disk_states(k, root, deadline):
    print("\n== A. full disk: command matrix", flush=True)
    for bs in (1024, 4096):
        img = Image(root, f"full-{bs}", bs)
        img.mount()
        db = img.db
        r1 = k.run(db, ["init"])
        r2 = k.run(db, ["demo-data", "--ratings", "60", "--complaints", "40", "--months", "1"])
        if r1.rc or r2.rc:
            fail(f"A:{bs}", "setup failed", r1.describe() + "\n" + r2.describe(), kind="hard")
            img.umount()
            continue
        first = snapshot(db)["numbers"][0]
        year = first.split("-")[1]
        for leave, held in [(0, False), (0, True), (3 * bs, False), (3 * bs, True), (16384, False), (16384, True)]:
            if True:
                probe = f"A:bs={bs}:free={'0' if not leave else str(leave // 1024) + 'KiB'}:{'held' if held else 'alone'}"
                print(f"-- {probe}", flush=True)
                before = snapshot(db)
                holder = Holder(db) if held else None
                free, avail = img.fill(leave)
                print(f"   filled: {free} bytes free (root), {avail} for users", flush=True)
                rows = matrix(probe, k, img, db, "full", first, year)
                print("   " + ", ".join(f"{n}={rc}" for n, rc in rows), flush=True)
                count("A states")
                # auto-restart of `kiosk run` under Xvfb once space returns
                restart = None
                if k.display and leave == 0:
                    restart = k.start(db, ["run"], display=True)
                    if not wait_log(restart, "out of service", 10):
                        fail(probe, "run (Xvfb) for the restart check did not go out of service", read_log(restart))
                img.unfill()
                if restart is not None:
                    ok = wait_log(restart, "can be used again", 25)
                    end = time.time() + 10
                    while restart.poll() is None and time.time() < end:
                        time.sleep(0.2)
                    own, log = stop(restart)
                    count("A run restarts after freeing")
                    if not ok:
                        fail(probe, "`kiosk run` did not notice the freed disk within 25 s", log)
                    elif own != 0:
                        fail(probe, f"`kiosk run` after freeing: rc={own} (expected exit 0 for the restart)", log)
                if holder:
                    hrc = holder.release()
                    if hrc != 0:
                        odd(f"[{probe}] the python holder ended with {hrc}")
                check_db(probe, db, before, same=True)
                works_again(probe, k, db, before)
                left = sorted(set(os.listdir(img.mnt)) - {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "lost+found"})
                if left:
                    odd(f"[{probe}] left on the disk: {left}")
                    for n in left:
                        pth = os.path.join(img.mnt, n)
                        if n.startswith("kiosk-bench-submit-"):
                            shutil.rmtree(pth, ignore_errors=True)
                if time.time() > deadline:
                    odd("time budget reached in probe A; stopped early")
                    img.umount()
                    return
        # after a crash: a writer killed with SIGKILL leaves its -wal and
        # -shm; then the disk fills (to 0 and into the band where SQLite's
        # first -shm writes fault on 1 KiB blocks)
        for leave in (0, 16384):
            probe = f"A:bs={bs}:free={leave // 1024}KiB:after-crash"
            print(f"-- {probe}", flush=True)
            before, walsize = crash_writer(k, db, probe, f"A-{bs}-{leave}")
            free, avail = img.fill(leave)
            print(f"   killed writer left -wal ({walsize} bytes), -shm {os.path.exists(db + '-shm')}; "
                  f"{len(before['numbers'])} numbers; filled: {free} free (root), {avail} for users", flush=True)
            rows = matrix(probe, k, img, db, "full", first, year)
            print("   " + ", ".join(f"{n}={rc}" for n, rc in rows), flush=True)
            count("A states")
            img.unfill()
            check_db(probe, db, before, same=True)
            works_again(probe, k, db, before)
        img.unfill()
        img.umount()


# ---------------------------------------------------------------- probe B: fills during writes

def submit_loop(k, db, stop_evt, results, seed_base, complaints):
    i = 0
    while not stop_evt.is_set():
        i += 1
        r = k.run(db, ["demo-data", "--ratings", "0", "--complaints", str(complaints), "--months", "1",
                       "--seed", str(seed_base + i)], timeout=60, log=os.environ.get("PROBE_B_LOG", "warn"))
        results.append(r)


def expand(text, contiguous=True):
    """Numbers a demo-data run said it saved (its first and last only when
    other processes wrote at the same time: then its range interleaves)."""
    m = re.search(r"Receipt numbers (\S+) to (\S+?)\.", text)
    if not m:
        return []
    if not contiguous:
        return sorted({m[1], m[2]})
    a, b = NUM_RE.fullmatch(m[1]), NUM_RE.fullmatch(m[2])
    if not a or not b:
        return [m[1], m[2]]
    if (a[1], a[2]) != (b[1], b[2]):
        return [m[1], m[2]]
    return [f"{a[1]}-{a[2]}-{i:06d}" for i in range(int(a[3]), int(b[3]) + 1)]


def filler_thread(img, plan, stop_evt, log):
    """Fills the disk during the writes. Cycles: give back room just above
    the kiosk's threshold (4 MiB for users), wait, then in one write take
    it all but `leave` bytes (0 or in the band where a fresh -shm's first
    writes fault on 1 KiB blocks)."""
    try:
        zeros = bytes(24 << 20)
        time.sleep(plan["delay"])
        img.jump_to(plan["leave"], zeros)
        log.append(("full", time.time(), img.free()))
        start = time.time()
        for _ in range(plan["oscillate"]):
            if stop_evt.is_set() or time.time() - start > 6:
                break
            time.sleep(random.uniform(0, plan["pause"]))
            img.give_back(MIN_FREE + random.randrange(0, plan["above"]))
            time.sleep(random.uniform(0, plan["pause"]))
            img.jump_to(plan["leave"], zeros)
            log.append(("full", time.time(), img.free()))
    except Exception as e:  # noqa
        log.append(("error", time.time(), repr(e)))


def fills_during_writes(k, root, runs, deadline):
    print(f"\n== B. fills during writes ({runs} runs)", flush=True)
    rnd = random.Random(int(os.environ.get("PROBE_SEED", "0")) or None)
    imgs = {}
    for key, bs in ((1024, 1024), (4096, 4096), ("1024-small-db", 1024)):
        img = Image(root, f"writes-{key}", bs)
        img.mount()
        r1 = k.run(img.db, ["init"])
        r2 = k.run(img.db, ["demo-data", "--ratings", "20", "--complaints", "10", "--months", "1"])
        if r1.rc or r2.rc:
            fail(f"B:{key}", "setup failed", r1.describe() + "\n" + r2.describe(), kind="hard")
            continue
        img.reserves()
        imgs[key] = {"img": img, "printed": {}, "before": snapshot(img.db)}
    done = 0
    for run in range(runs):
        if time.time() > deadline:
            odd(f"time budget reached in probe B after {done} runs")
            break
        bs = 1024 if run % 4 != 3 else 4096
        if bs not in imgs:
            continue
        st = imgs[bs]
        img, db = st["img"], st["img"].db
        plan = {
            "delay": rnd.uniform(0.0, 1.2),
            "oscillate": rnd.choice([0, 3, 10, 30, 60]),
            "pause": rnd.choice([0.005, 0.02, 0.1, 0.3]),
            "above": rnd.choice([4096, 64 * 1024, 512 * 1024]),
            "leave": rnd.choice([0, 8192, 12288, 16384, 24576]),
            "prefill": rnd.choice([None, None, MIN_FREE + rnd.randrange(0, 1 << 20)]),
            "loops": rnd.choice([1, 1, 2, 3]),
            "complaints": rnd.choice([1, 1, 3, 10, 50]),
            "held": run % 5 == 4,
        }
        if run % 3 == 1:
            # the plan that reproduces the SIGBUS most often: one writer
            # loop, 1 KiB blocks, the disk jumping from 4 MiB + up to 64 KiB
            # free for users to 12 KiB left for root in one write
            plan.update({"loops": 1, "leave": 12288, "oscillate": 30, "pause": 0.02, "above": 65536,
                         "complaints": 1, "held": False, "prefill": None, "bs": "1024-small-db"})
        plan.update(json.loads(os.environ.get("PROBE_PLAN", "{}")))
        if "bs" in plan and plan["bs"] in imgs:
            bs = plan["bs"]
            st = imgs[bs]
            img, db = st["img"], st["img"].db
        probe = f"B:run{run + 1}:bs={bs}"
        img.unfill()
        if plan["prefill"]:
            img.give_back(1 << 40)
            img.jump_to(plan["prefill"] + img.reserves()[1], bytes(24 << 20))
        holder = Holder(db) if plan["held"] else None
        stop_evt = threading.Event()
        results, flog = [], []
        loops = [threading.Thread(target=submit_loop, args=(k, db, stop_evt, results, run * 100000 + j * 10000,
                                                            plan["complaints"]))
                 for j in range(plan["loops"])]
        for t in loops:
            t.start()
        ft = threading.Thread(target=filler_thread, args=(img, plan, stop_evt, flog))
        ft.start()
        ft.join(timeout=30)
        time.sleep(0.6)  # submissions on the full disk
        stop_evt.set()
        for t in loops:
            t.join(timeout=120)
        img.unfill()
        if holder:
            holder.release()
        count("B runs")
        ok_runs = sum(1 for r in results if r.rc == 0)
        deaths = [r for r in results if r.signal_death() or r.hung]
        refused = [r for r in results if r.rc not in (0, None) and not r.signal_death()]
        count("B submissions (processes)", len(results))
        count("B submissions saved", ok_runs)
        count("B submissions refused", len(refused))
        for r in deaths:
            fail(probe, "a submission process died of a signal or hung", f"plan={plan}\nkiosk {' '.join(r.args)}\n{r.describe()}")
        for r in refused:
            if not message_ok("full", r.text):
                fail(probe, "a refused submission did not say the disk is full / what to do",
                     f"plan={plan}\n{r.describe()}")
            elif r.rc != 3:
                odd(f"[{probe}] refused submission exit {r.rc}: {r.text.strip()[:200]}")
        printed_now = []
        for r in results:
            nums = expand(r.out, contiguous=plan["loops"] == 1)
            if r.rc != 0 and nums:
                odd(f"[{probe}] numbers printed by a run that failed (rc={r.rc}): {nums[:3]}")
            printed_now.extend(nums)
        repeats = [n for n in printed_now if n in st["printed"]]
        dup_now = [n for n in set(printed_now) if printed_now.count(n) > 1]
        if repeats or dup_now:
            fail(probe, "a number was printed as saved twice", f"{sorted(set(repeats + dup_now))[:20]}")
        for n in printed_now:
            st["printed"][n] = run + 1
        fulls = [e for e in flog if e[0] == "full"]
        errs = [e for e in flog if e[0] == "error"]
        if errs:
            odd(f"[{probe}] filler error {errs}")
        if not fulls:
            odd(f"[{probe}] the filler never filled the disk")
        else:
            count("B disk fills during writes", len(fulls))
        s, bad = check_db(probe, db, st["before"], printed=list(st["printed"]))
        st["before"] = s
        done += 1
        print(f"   {probe}: plan={plan} processes={len(results)} saved={ok_runs} refused={len(refused)} "
              f"deaths={len(deaths)} printed={len(printed_now)} stored={len(s['numbers'])} fills={len(fulls)}",
              flush=True)
    for bs, st in imgs.items():
        probe = f"B:final:{bs}"
        s = st["before"]
        works_again(probe, k, st["img"].db, s)
        check_db(probe, st["img"].db, s, printed=list(st["printed"]))
        st["img"].umount()


# ---------------------------------------------------------------- probe C: read-only

def populate(k, img, probe):
    r1 = k.run(img.db, ["init"])
    r2 = k.run(img.db, ["demo-data", "--ratings", "20", "--complaints", "15", "--months", "1"])
    if r1.rc or r2.rc:
        fail(probe, "setup failed", r1.describe() + "\n" + r2.describe(), kind="hard")
        return None
    return snapshot(img.db)


def read_only_states(k, root, deadline):
    print("\n== C. read-only", flush=True)
    for bs in (1024, 4096):
        # C1: mounted read-only from the start
        probe = f"C:bs={bs}:mounted-ro"
        print(f"-- {probe}", flush=True)
        img = Image(root, f"ro-{bs}", bs)
        img.mount()
        before = populate(k, img, probe)
        if before is None:
            img.umount()
            continue
        first, year = before["numbers"][0], before["numbers"][0].split("-")[1]
        img.umount()
        img.mount("loop,ro")
        rows = matrix(probe, k, img, img.db, "read-only", first, year)
        print("   " + ", ".join(f"{n}={rc}" for n, rc in rows), flush=True)
        count("C states")
        img.umount()
        img.mount()
        check_db(probe, img.db, before, same=True)
        before = works_again(probe, k, img.db, before)

        # C1b: mounted read-only after a crash: a killed writer's -wal left
        probe = f"C:bs={bs}:mounted-ro-after-crash"
        print(f"-- {probe}", flush=True)
        before, walsize = crash_writer(k, img.db, probe, f"C-{bs}")
        img.umount()
        img.mount("loop,ro")
        print(f"   killed writer left -wal ({walsize} bytes); {len(before['numbers'])} numbers", flush=True)
        rows = matrix(probe, k, img, img.db, "read-only", first, year)
        print("   " + ", ".join(f"{n}={rc}" for n, rc in rows), flush=True)
        count("C states")
        img.umount()
        img.mount()
        check_db(probe, img.db, before, same=True)
        before = works_again(probe, k, img.db, before)

        # C2: clean remount,ro while python holds it (the kernel refuses: busy)
        probe = f"C:bs={bs}:remount-ro-while-held"
        print(f"-- {probe}", flush=True)
        holder = Holder(img.db)
        r = sh("mount", "-o", "remount,ro", img.mnt, check=False)
        if r.returncode == 0:
            odd(f"[{probe}] remount,ro succeeded while the database was open for writing")
            sh("mount", "-o", "remount,rw", img.mnt)
        else:
            print(f"   remount,ro while held: rc={r.returncode} {r.stderr.strip()}", flush=True)
        # C3: emergency read-only (ext4 error, errors=remount-ro) while held by
        # python and by `kiosk run` (Xvfb if there is one)
        probe = f"C:bs={bs}:emergency-ro-while-held"
        print(f"-- {probe}", flush=True)
        runner = k.start(img.db, ["run"], display=True)
        up = wait_log(runner, "kiosk started", 15)
        if not up:
            fail(probe, "`kiosk run` did not start on a sound database", read_log(runner))
        time.sleep(1.0)
        dev = os.path.basename(img.device())
        with open(f"/sys/fs/ext4/{dev}/trigger_fs_error", "w") as f:
            f.write("probe-disk: simulated disk error\n")
        time.sleep(0.5)
        try:
            with open(os.path.join(img.mnt, "probe-write"), "w") as f:
                f.write("x")
            fail(probe, "setup: the file system did not go read-only", "", kind="hard")
        except OSError as e:
            print(f"   file system now refuses writes: {e.strerror}; statvfs ST_RDONLY="
                  f"{bool(os.statvfs(img.mnt).f_flag & os.ST_RDONLY)}; options="
                  f"{sh('findmnt', '-n', '-o', 'OPTIONS', img.mnt).stdout.strip()}", flush=True)
        rows = matrix(probe, k, img, img.db, "read-only", first, year)
        print("   " + ", ".join(f"{n}={rc}" for n, rc in rows), flush=True)
        count("C states")
        # the held kiosk: still alive? try its periodic work for a few seconds
        time.sleep(3)
        own, log = stop(runner)
        if own is not None and (own < 0 or own >= 128):
            fail(probe, "`kiosk run` holding the database died of a signal after the read-only remount",
                 f"rc={own}\n{log[-3000:]}")
        elif own is not None:
            odd(f"[{probe}] `kiosk run` holding the database exited {own} after the read-only remount: {log[-1500:]}")
        tail = log.split("kiosk started", 1)[-1]
        print("   held `kiosk run` after the remount said:\n" + indent(
            "\n".join(l for l in tail.splitlines() if "kiosk" in l and ("WARN" in l or "ERROR" in l))[-2000:] or "(nothing)"),
            flush=True)
        holder.release()
        img.umount()
        r = sh("e2fsck", "-fy", img.img, check=False)
        if r.returncode not in (0, 1):
            odd(f"[{probe}] e2fsck rc={r.returncode}: {r.stdout[-500:]}")
        img.mount()
        check_db(probe, img.db, before, same=True)
        before = works_again(probe, k, img.db, before)

        # C4: emergency read-only with nobody holding the database
        probe = f"C:bs={bs}:emergency-ro-alone"
        print(f"-- {probe}", flush=True)
        dev = os.path.basename(img.device())
        with open(f"/sys/fs/ext4/{dev}/trigger_fs_error", "w") as f:
            f.write("probe-disk: simulated disk error\n")
        time.sleep(0.3)
        rows = matrix(probe, k, img, img.db, "read-only", first, year)
        print("   " + ", ".join(f"{n}={rc}" for n, rc in rows), flush=True)
        count("C states")
        img.umount()
        sh("e2fsck", "-fy", img.img, check=False)
        img.mount()
        check_db(probe, img.db, before, same=True)
        works_again(probe, k, img.db, before)
        img.umount()
        if time.time() > deadline:
            odd("time budget reached in probe C; stopped early")
            return


# ---------------------------------------------------------------- self-test

def self_test(k, root):
    """Each check must be able to fail: run it once against a wrong expectation."""
    global QUIET
    print("== self-test: the checks can fail", flush=True)
    QUIET = True
    caught = 0
    n_before = len(FAILURES)
    # 1. a signal death is seen
    r = Result(["x"], -7, "", "", False, 0)
    caught += r.signal_death()
    p = subprocess.run(["sh", "-c", "kill -BUS $$"])
    caught += Result(["x"], p.returncode, "", "", False, 0).signal_death()
    # 2. a wrong message is seen
    caught += not message_ok("full", "the database is locked by another kiosk process")
    caught += not message_ok("read-only", "the disk holding the database is full; free space")
    # 3. a lost, a gap, a counter mismatch, a printed-but-not-stored number are seen
    img = Image(root, "selftest", 1024)
    img.mount()
    k.run(img.db, ["init"])
    k.run(img.db, ["demo-data", "--ratings", "2", "--complaints", "5", "--months", "1"])
    s = snapshot(img.db)
    _, bad = check_db("selftest", img.db, s, printed=[s["numbers"][-1][:-6] + "999999"])
    caught += bool(bad)
    c = sqlite3.connect(img.db)
    c.execute("PRAGMA foreign_keys=OFF")
    rid = c.execute("SELECT id FROM records WHERE number=?", (s["numbers"][2],)).fetchone()[0]
    for t in ("personal_data", "record_flags", "outbox", "print_jobs"):
        c.execute(f"DELETE FROM {t} WHERE record_id=?", (rid,))
    c.execute("DELETE FROM records WHERE id=?", (rid,))
    c.commit()
    c.close()
    _, bad = check_db("selftest", img.db, s)
    caught += bool(bad)
    # 4. the hazard is real here: python's sqlite3, first write in WAL mode
    #    with 16 KiB left on a 1 KiB-block disk, dies of SIGBUS
    img.unfill()
    ctl = os.path.join(img.mnt, "control.db")
    c = sqlite3.connect(ctl)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("CREATE TABLE t(x)")
    c.commit()
    c.close()
    img.fill(16384)
    p = subprocess.run([sys.executable, "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], isolation_level=None); "
                        "c.execute('insert into t values (randomblob(100))')", ctl], capture_output=True)
    sigbus = p.returncode == -signal.SIGBUS
    print(f"   control: python sqlite3 first WAL write with 16 KiB free on 1 KiB blocks: rc={p.returncode}"
          f" ({'SIGBUS: the hazard is live on this kernel' if sigbus else 'no SIGBUS'})", flush=True)
    caught += Result(["python"], p.returncode, "", "", False, 0).signal_death()
    img.unfill()
    for n in ("control.db", "control.db-wal", "control.db-shm"):
        if os.path.exists(os.path.join(img.mnt, n)):
            os.unlink(os.path.join(img.mnt, n))
    # 5. a full disk that the kiosk would not report: expect it to say "everything fine"
    img.fill(0)
    r = k.run(img.db, ["outbox"])
    caught += not ("everything fine" in r.text)
    img.unfill()
    img.umount()
    # remove the self-test's own failures
    QUIET = False
    del FAILURES[n_before:]
    print(f"   self-test: {caught}/8 wrong expectations caught", flush=True)
    if caught != 8:
        fail("selftest", f"only {caught}/8 deliberately wrong expectations were caught", "")
    count("self-test wrong expectations caught", caught)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--runs", type=int, default=24, help="fill-during-write runs (>= 20)")
    ap.add_argument("--only", default="ABC")
    ap.add_argument("--budget", type=float, default=560, help="seconds for the whole run")
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("needs root for loop devices", file=sys.stderr)
        return 2
    binary = os.path.abspath(a.kiosk)
    t0 = time.time()
    deadline = t0 + a.budget
    root = tempfile.mkdtemp(prefix="probe-disk-", dir="/tmp")
    TMPDIRS.append(root)
    work = os.path.join(root, "work")
    os.makedirs(work)
    marker = os.path.join(root, "marker")
    open(marker, "w").close()
    srv, url = start_central()
    k = Kiosk(binary, work, url)
    k.display = start_xvfb()
    print(f"kiosk: {binary} ({subprocess.run([binary, '--version'], capture_output=True, text=True).stdout.strip()})"
          f"; display {k.display}; central {url}; temp {root}", flush=True)
    try:
        self_test(k, root)
        if "A" in a.only:
            full_disk_states(k, root, t0 + a.budget * 0.45)
        if "C" in a.only:
            read_only_states(k, root, t0 + a.budget * 0.7)
        if "B" in a.only:
            fills_during_writes(k, root, a.runs, deadline)
    finally:
        srv.shutdown()
        # foreign writes: the kiosk's files anywhere but in this probe's
        # folders (the repo's data/, the installed paths, the temporary
        # folder's bench scratch databases); edits by others in the repository
        # (its source) are not the kiosk's and are not counted
        r = subprocess.run(["find", REPO, "/etc/kiosk", "/var/lib/kiosk", "-maxdepth", "3",
                            "-newer", marker, "(", "-name", "kiosk.db*", "-o", "-name", "receipts*",
                            "-o", "-path", os.path.join(REPO, "data*"), ")"], capture_output=True, text=True)
        r2 = subprocess.run(["find", "/tmp", "-maxdepth", "1", "-newer", marker, "-name", "kiosk-bench-submit-*"],
                            capture_output=True, text=True)
        changed = [l for l in (r.stdout + r2.stdout).splitlines() if l.strip()]
        if changed:
            fail("foreign", "kiosk files written outside the probe's folders during the probe",
                 "\n".join(changed[:20]), kind="hard")
        count("foreign-write checks")
        dm = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
        for line in dm.splitlines():
            if "kiosk" in line and ("segfault" in line or "bus error" in line.lower() or "traps" in line):
                odd(f"dmesg: {line}")
        cleanup()
    print(f"\n== counts ({time.time() - t0:.0f} s)")
    for key in sorted(COUNTS):
        print(f"   {key}: {COUNTS[key]}")
    print(f"== odd: {len(ODD)}")
    for n in ODD:
        print("   " + n[:600])
    hard = [f for f in FAILURES if f[3] == "hard"]
    print(f"== failures: {len(FAILURES)} ({len(hard)} hard: loss/repeat/signal/hang/foreign write/damage; "
          f"{len(FAILURES) - len(hard)} behaviour: message or out-of-service)")
    for probe, what, detail, kind in FAILURES:
        print(f" - {kind} [{probe}] {what}\n{indent(detail, limit=1500)}")
    print("exit: 1 = hard failure, 4 = only behaviour failures, 0 = none")
    return 1 if hard else (4 if FAILURES else 0)


if __name__ == "__main__":
    sys.exit(main())
