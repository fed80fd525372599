#!/usr/bin/env python3
"""Probes of the kiosk's database safety, from outside, with the real binary.

  python3 probe_db.py --kiosk target/release/kiosk [--only 1,2,3,4,5]
                      [--kills 60] [--copies 520] [--sabotage] [--seed N]

1. kill -9 during `kiosk demo-data` (and `kiosk bench submit`): integrity,
   gapless per prefix-year numbering, counters == N, every number seen
   committed (by a concurrent read-only reader) or printed is still there.
2. Foreign databases x every command that opens the database: exit 3, a
   message, the file's bytes unchanged, no -wal/-shm left behind.
3. Byte-damaged copies: one number-issuing command + `db check` each: no
   number of the original issued again, no signal death.
4. `db recover` on a damaged header / schema page / records page.
5. `init` beside a leftover -wal of a deleted database.

--sabotage turns each probe's expectation deliberately wrong (small counts):
every probe must then report FAIL, showing that it can fail.
Exit status: 0 when every probe passed, 1 otherwise.
"""
import argparse
import glob
import hashlib
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

ARGS = None
KIOSK = None
REPO_TOML = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kiosk.toml")
NUM_RE = re.compile(r"^([A-Z0-9]+)-(\d{4})-(\d{6})$")
FAILS = []          # (probe, text)
ODD = []            # (probe, text)
COUNTS = {}         # probe -> dict
CHILDREN = set()


def fail(probe, text):
    FAILS.append((probe, text))
    print(f"  FAIL[{probe}] {text}", flush=True)


def odd(probe, text):
    ODD.append((probe, text))
    print(f"  ODD[{probe}] {text}", flush=True)


def sha(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None


def listing(d):
    out = {}
    for n in sorted(os.listdir(d)):
        p = os.path.join(d, n)
        if os.path.isfile(p):
            out[n] = sha(p)
        else:
            out[n] = "dir"
    return out


def make_config(d, db, create, kiosk_id=None, name="kiosk.toml"):
    """A copy of the repo's kiosk.toml pointed at `db` in `d`."""
    with open(REPO_TOML, encoding="utf-8") as f:
        text = f.read()
    text, n1 = re.subn(r'(?m)^database = .*$', f'database = "{db}"', text)
    text, n2 = re.subn(r'(?m)^create = .*$', f'create = {"true" if create else "false"}', text)
    text, n3 = re.subn(r'(?m)^transport = "file:data/receipts.bin"',
                       f'transport = "file:{d}/receipts.bin"', text)
    text, n4 = re.subn(r'(?m)^token_file = .*$', f'token_file = "{d}/central.token"', text)
    assert n1 == n2 == n3 == n4 == 1, (n1, n2, n3, n4)
    if kiosk_id:
        text, n5 = re.subn(r'(?m)^id = "kovachevtsi-lobby-1"', f'id = "{kiosk_id}"', text)
        assert n5 == 1
    cfg = os.path.join(d, name)
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(text)
    tok = os.path.join(d, "central.token")
    if not os.path.exists(tok):
        with open(tok, "w") as f:
            f.write("probe-token-0123456789abcdef")
        os.chmod(tok, 0o600)
    return cfg


def env():
    e = dict(os.environ)
    e["KIOSK_LOG"] = "warn"
    for k in list(e):
        if k.startswith("KIOSK__"):
            del e[k]
    return e


def kiosk(cfg, args, timeout=60, extra_env=None, cwd=None):
    """Runs kiosk --config cfg ARGS; returns (rc, text). rc None on timeout."""
    e = env()
    if extra_env:
        e.update(extra_env)
    p = subprocess.Popen([KIOSK, "--config", cfg] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=e, cwd=cwd or os.path.dirname(cfg),
                         start_new_session=True)
    CHILDREN.add(p)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        rc = None
    CHILDREN.discard(p)
    return rc, (out.decode("utf-8", "replace") + err.decode("utf-8", "replace"))


def signal_death(rc):
    return rc is not None and (rc < 0 or rc >= 128)


def series_check(probe, db, label, expect_counters=True, must_have=(), sabotage=False):
    """integrity, gapless 1..N per prefix-year, counters == N, must_have ⊆ db.
    Returns (ok, numbers set, total records)."""
    ok = True
    try:
        c = sqlite3.connect(db, timeout=10)
        ic = [r[0] for r in c.execute("pragma integrity_check")]
        if ic != ["ok"]:
            fail(probe, f"{label}: integrity_check {ic[:5]}")
            ok = False
        nums = [r[0] for r in c.execute("select number from records where number is not null")]
        total = c.execute("select count(*) from records").fetchone()[0]
        counters = {(p, y): s for p, y, s in c.execute("select prefix, year, last_sequence from counters")}
        c.close()
    except sqlite3.Error as ex:
        fail(probe, f"{label}: cannot read the database: {ex}")
        return False, set(), 0
    series = {}
    for n in nums:
        m = NUM_RE.match(n)
        if not m:
            fail(probe, f"{label}: malformed number {n!r}")
            ok = False
            continue
        series.setdefault((m.group(1), int(m.group(2))), []).append(int(m.group(3)))
    for key, seqs in sorted(series.items()):
        s = sorted(seqs)
        if len(s) != len(set(s)):
            fail(probe, f"{label}: duplicate numbers in {key}")
            ok = False
        if s != list(range(1, len(s) + 1)):
            missing = sorted(set(range(1, max(s) + 1)) - set(s))[:10]
            fail(probe, f"{label}: series {key} not gapless 1..{len(s)}: max {max(s)}, missing {missing}")
            ok = False
        want = len(s) + (1 if sabotage else 0)
        if expect_counters and counters.get(key) != want:
            fail(probe, f"{label}: counters {key} last_sequence {counters.get(key)} != N {want}")
            ok = False
    for key, v in counters.items():
        if key not in series:
            fail(probe, f"{label}: counter {key}={v} with no record of that series (number lost)")
            ok = False
    have = set(nums)
    lost = [n for n in must_have if n not in have]
    if lost:
        fail(probe, f"{label}: {len(lost)} numbers reported saved are missing: {sorted(lost)[:10]}")
        ok = False
    return ok, have, total


# ---------------------------------------------------------------- probe 1
class Poller(threading.Thread):
    """Reads committed numbers from the database (read-only) while a child
    writes it: what it sees was committed before the kill."""

    def __init__(self, pattern):
        super().__init__(daemon=True)
        self.pattern = pattern
        self.seen = set()
        self.max_total = 0
        self.stop = threading.Event()
        self.reads = 0
        self.errors = 0

    def run(self):
        while not self.stop.is_set():
            for db in glob.glob(self.pattern):
                try:
                    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
                    rows = c.execute("select number from records").fetchall()
                    c.close()
                    self.reads += 1
                    self.max_total = max(self.max_total, len(rows))
                    self.seen.update((db, r[0]) for r in rows if r[0])
                except sqlite3.Error:
                    self.errors += 1
            time.sleep(0.003)


def kill_run(cfg, args, pattern, delay):
    poll = Poller(pattern)
    poll.start()
    e = env()
    p = subprocess.Popen([KIOSK, "--config", cfg] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=e, cwd=os.path.dirname(cfg),
                         start_new_session=True)
    CHILDREN.add(p)
    time.sleep(delay)
    finished = p.poll() is not None
    if not finished:
        os.kill(p.pid, signal.SIGKILL)
    out = p.communicate()[0].decode("utf-8", "replace")
    CHILDREN.discard(p)
    poll.stop.set()
    poll.join()
    return p.returncode, finished, out, poll


def probe1(tmp):
    probe = "1-kill9"
    rng = random.Random(ARGS.seed + 1)
    d = os.path.join(tmp, "p1")
    os.makedirs(d)
    db = os.path.join(d, "kiosk.db")
    cfg = make_config(d, db, create=False)
    rc, out = kiosk(cfg, ["init"])
    if rc != 0:
        fail(probe, f"init rc={rc}: {out}")
        return
    # calibrate: how long a 300-complaint run takes
    t0 = time.time()
    rc, out = kiosk(cfg, ["demo-data", "--ratings", "20", "--complaints", "300", "--months", "24", "--seed", "1"])
    full = time.time() - t0
    if rc != 0:
        fail(probe, f"calibration demo-data rc={rc}: {out}")
        return
    print(f"  calibration: 320 records in {full:.2f}s", flush=True)
    kills = completes = 0
    reported = set()
    nkills = ARGS.kills
    expected_total = None
    last_total = sqlite3.connect(db).execute("select count(*) from records").fetchone()[0]
    sab_done = False
    i = 0
    while kills < nkills and i < nkills * 3:
        i += 1
        r, ccount = rng.randint(0, 40), rng.randint(100, 300)
        months = rng.choice([1, 6, 13, 24])
        delay = rng.uniform(0.0, full * (r + ccount) / 320 * 1.1)
        rc, finished, out, poll = kill_run(
            cfg, ["demo-data", "--ratings", str(r), "--complaints", str(ccount),
                  "--months", str(months), "--seed", str(rng.randint(1, 10**9))], db, delay)
        seen = {n for (_, n) in poll.seen}
        if finished:
            completes += 1
            if rc != 0:
                fail(probe, f"demo-data finished with rc={rc}: {out[-500:]}")
            m = re.search(r"Receipt numbers (\S+) to (\S+)\.", out)
            if m:
                seen |= {m.group(1), m.group(2)}
            expected_total = last_total + r + ccount
        else:
            kills += 1
            if rc != -9:
                odd(probe, f"killed run {i} ended rc={rc}: {out[-300:]}")
        if ARGS.sabotage and not sab_done:
            seen.add("KV1-2026-999999")
            sab_done = True
        reported |= seen
        ok, have, total = series_check(probe, db, f"after run {i} ({'finished' if finished else 'killed'} at {delay:.3f}s)",
                                       must_have=reported)
        if finished and total != expected_total:
            fail(probe, f"finished run {i}: {total} records, expected {expected_total}")
        if total < last_total or total < poll.max_total:
            fail(probe, f"run {i}: records went down: {total} < {max(last_total, poll.max_total)}")
        last_total = total
        if not ok and len(FAILS) > 30:
            break
    ok, have, total = series_check(probe, db, "final", must_have=reported)
    demo_total = total
    c = sqlite3.connect(db)
    per = c.execute("select prefix, year, last_sequence from counters order by 1,2").fetchall()
    c.close()
    # db check must call the final database sound
    rc, out = kiosk(cfg, ["db", "check"])
    if rc != 0:
        fail(probe, f"db check after the kills rc={rc}: {out[-800:]}")
    # bench submit: its scratch database stays behind after a kill
    bkills = 0
    bnums = 0
    for j in range(ARGS.bench_kills):
        bd = os.path.join(tmp, f"p1b{j}")
        os.makedirs(bd)
        bcfg = make_config(bd, os.path.join(bd, "kiosk.db"), create=False)
        delay = rng.uniform(1.0, 6.0)
        rc, finished, out, poll = kill_run(
            bcfg, ["bench", "submit", "--printer", "healthy", "--iterations", "400"],
            os.path.join(bd, "kiosk-bench-submit-*", "bench.db"), delay)
        dbs = glob.glob(os.path.join(bd, "kiosk-bench-submit-*", "bench.db"))
        if finished:
            odd(probe, f"bench submit finished before the kill at {delay:.1f}s rc={rc}: {out[-300:]}")
            continue
        bkills += 1
        if len(dbs) != 1:
            odd(probe, f"bench kill {j}: scratch databases found: {dbs} output {out[-300:]}")
            continue
        seen = {n for (_, n) in poll.seen}
        ok, have, total = series_check(probe, dbs[0], f"bench kill {j} at {delay:.2f}s", must_have=seen)
        bnums += len(have)
    # kill -9 during `init` (the creation itself), then init again + db check
    ikills = iok = 0
    states = {}
    cal = os.path.join(tmp, "p1cal")
    os.makedirs(cal)
    t0 = time.time()
    kiosk(make_config(cal, os.path.join(cal, "kiosk.db"), create=False), ["init"])
    tinit = time.time() - t0
    for j in range(ARGS.init_kills):
        idir = os.path.join(tmp, f"p1i{j}")
        os.makedirs(idir)
        idb = os.path.join(idir, "kiosk.db")
        icfg = make_config(idir, idb, create=False)
        delay = rng.uniform(0.3 * tinit, 1.1 * tinit)
        rc, finished, out, _ = kill_run(icfg, ["init"], idb + ".none", delay)
        if finished:
            continue
        ikills += 1
        st = "no file" if not os.path.exists(idb) else f"{os.path.getsize(idb)} bytes" + (
            "+wal" if os.path.exists(idb + "-wal") else "")
        rc1, out1 = kiosk(icfg, ["init"])
        rc2, out2 = kiosk(icfg, ["db", "check"])
        states[st] = states.get(st, 0) + 1
        if signal_death(rc1) or signal_death(rc2):
            fail(probe, f"init killed at {delay:.3f}s ({st}): init again rc={rc1}, db check rc={rc2}")
        elif rc1 == 0 and rc2 != 0:
            fail(probe, f"init killed at {delay:.3f}s ({st}): init again made a database db check calls damaged: {out2[-300:]}")
        elif rc1 == 0:
            iok += 1
            series_check(probe, idb, f"init killed at {delay:.3f}s, init again")
        else:
            odd(probe, f"init killed at {delay:.3f}s left {st}; init again refused rc={rc1}: {out1.strip()[-300:]}")
    COUNTS[probe + "-init"] = dict(init_kills=ikills, reinit_sound=iok, left_after_kill=states)
    COUNTS[probe] = dict(demo_runs=i, kills=kills, runs_finished=completes,
                         numbers_reported_saved=len(reported), numbers_found=len(have) if False else None,
                         records_final=demo_total, counters=per, bench_kills=bkills,
                         bench_numbers_found=bnums)
    c = sqlite3.connect(db)
    nums = {r[0] for r in c.execute("select number from records where number is not null")}
    c.close()
    COUNTS[probe]["numbers_found"] = len(nums)
    COUNTS[probe]["reported_and_found"] = len(reported & nums)


# ---------------------------------------------------------------- probe 2
def make_kiosk_db(d, ratings, complaints, months=6, kiosk_id=None, seed=2026):
    db = os.path.join(d, "kiosk.db")
    cfg = make_config(d, db, create=False, kiosk_id=kiosk_id, name="make.toml")
    rc, out = kiosk(cfg, ["init"])
    assert rc == 0, out
    if ratings or complaints:
        rc, out = kiosk(cfg, ["demo-data", "--ratings", str(ratings), "--complaints", str(complaints),
                              "--months", str(months), "--seed", str(seed)])
        assert rc == 0, out
    os.remove(cfg)
    assert not os.path.exists(db + "-wal"), "wal left after a clean exit"
    return db


def foreign_kinds(base):
    kinds = {}

    def fresh(name):
        d = os.path.join(base, name)
        os.makedirs(d)
        return d, os.path.join(d, "kiosk.db")

    d, db = fresh("empty-file")
    open(db, "wb").close()
    kinds["empty file (0 bytes)"] = d
    d, db = fresh("empty-sqlite")
    c = sqlite3.connect(db)
    c.executescript("PRAGMA user_version = 0; VACUUM;")
    c.close()
    kinds["empty SQLite database"] = d
    d, db = fresh("other-program")
    c = sqlite3.connect(db)
    c.executescript("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                    "INSERT INTO moz_places (url) VALUES ('https://kovachevtsi.bg');")
    c.close()
    kinds["another program's tables"] = d
    d, db = fresh("user-version-0")
    make_kiosk_db(d, 5, 5)
    c = sqlite3.connect(db)
    c.executescript("PRAGMA user_version = 0; VACUUM;")
    c.close()
    for x in ("-wal", "-shm"):
        if os.path.exists(db + x):
            os.remove(db + x)
    kinds["user_version=0; vacuum"] = d
    d, db = fresh("other-kiosk")
    make_kiosk_db(d, 5, 5, kiosk_id="kovachevtsi-village-2")
    kinds["another kiosk's database"] = d
    d, db = fresh("application-id")
    make_kiosk_db(d, 5, 5)
    c = sqlite3.connect(db)
    c.executescript("PRAGMA application_id = 305419896;")  # 0x12345678
    c.close()
    for x in ("-wal", "-shm"):
        if os.path.exists(db + x):
            os.remove(db + x)
    kinds["application_id changed"] = d
    return kinds


P2_COMMANDS = [
    ["outbox"],
    ["sync", "--once"],
    ["report", "--year", "2026"],
    ["receipt", "KV1-2026-000001", "--out", "OUT/r.bin"],
    ["demo-data", "--ratings", "1", "--complaints", "1"],
    ["export", "--year", "2026", "--dir", "OUT"],
    ["init"],
    ["db", "check"],
    ["outbox", "--requeue", "all"],
]


def probe2(tmp):
    probe = "2-foreign"
    base = os.path.join(tmp, "p2")
    os.makedirs(base)
    kinds = foreign_kinds(base)
    n = refused = 0
    for kind, d in kinds.items():
        db = os.path.join(d, "kiosk.db")
        with open(db, "rb") as f:
            pristine = f.read()
        cfg = make_config(d, db, create=False)
        out_dir = os.path.join(tmp, "p2out", os.path.basename(d))
        cmds = list(P2_COMMANDS) + [["run:xvfb"], ["run:nodisplay"]]
        for args in cmds:
            # every command meets the foreign file as it was made
            with open(db, "wb") as f:
                f.write(pristine)
            for x in ("-wal", "-shm"):
                if os.path.exists(db + x):
                    os.remove(db + x)
            shutil.rmtree(out_dir, ignore_errors=True)
            os.makedirs(out_dir)
            before_db = sha(db)
            before_ls = listing(d)
            if args[0].startswith("run:"):
                wrap = args[0]
                e = env()
                if wrap == "run:nodisplay":
                    e.pop("DISPLAY", None)
                    e.pop("WAYLAND_DISPLAY", None)
                    argv = ["timeout", "-s", "KILL", "6", KIOSK, "--config", cfg, "run"]
                else:
                    argv = ["xvfb-run", "-a", "timeout", "-s", "TERM", "6", KIOSK, "--config", cfg, "run"]
                p = subprocess.run(argv, capture_output=True, env=e, cwd=d, timeout=40)
                rc, text = p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")
                name = wrap
            else:
                a = [x.replace("OUT", out_dir) for x in args]
                extra = {"KIOSK__CENTRAL__URL": "http://127.0.0.1:9"} if args[0] == "sync" else None
                rc, text = kiosk(cfg, a, timeout=30, extra_env=extra)
                name = " ".join(args)
            n += 1
            after_db = sha(db)
            after_ls = listing(d)
            label = f"{kind} x `{name}`"
            want = 0 if ARGS.sabotage else 3
            is_run = name.startswith("run:")
            soft = kind == "empty file (0 bytes)" and name == "init"
            report = odd if soft else fail
            if is_run:
                # run stays up out of service (ended by timeout: 124 / -9) or
                # exits 3; it must say why and never write.
                if rc not in (3, 124, -9, 137) or ARGS.sabotage:
                    fail(probe, f"{label}: rc={rc}: {text.strip()[-300:]}")
                else:
                    refused += 1
            elif rc != want:
                report(probe, f"{label}: rc={rc}, expected {want}: {text.strip()[-400:]}")
            else:
                refused += 1
            low = text.lower()
            understandable = any(w in low for w in ("not this kiosk", "out of service", "out-of-service",
                                                      "empty file"))
            if not understandable or db not in text:
                report(probe, f"{label}: message does not say why / name the file: {text.strip()[-400:]!r}")
            if after_db != before_db:
                report(probe, f"{label}: the file's bytes changed (size {len(pristine)} -> {os.path.getsize(db)})")
            if after_ls != before_ls:
                report(probe, f"{label}: files beside it changed: {sorted(set(after_ls) ^ set(before_ls))} / {[k for k in after_ls if after_ls.get(k) != before_ls.get(k)]}")
            msg = [l for l in text.strip().splitlines() if "kiosk" in l.lower() and ("database" in l or "out of service" in l)]
            COUNTS.setdefault(probe + "-messages", {})[label] = f"rc={rc} " + (msg[-1][:260] if msg else text.strip()[-200:])
    COUNTS[probe] = dict(kinds=len(kinds), commands=len(P2_COMMANDS) + 2, runs=n,
                         refused_as_expected=refused)


# ---------------------------------------------------------------- probe 3
def numbers_of(db):
    c = sqlite3.connect(db)
    s = {r[0] for r in c.execute("select number from records where number is not null")}
    c.close()
    return s


def damage(data, mode, rng, pagesize=4096):
    b = bytearray(data)
    pages = len(b) // pagesize
    if mode == "header":
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(0, 100)] ^= rng.randint(1, 255)
    elif mode == "schema":
        for _ in range(rng.randint(1, 16)):
            b[rng.randrange(100, pagesize)] ^= rng.randint(1, 255)
    elif mode == "page":
        pg = rng.randrange(1, pages)
        for _ in range(rng.randint(1, 16)):
            b[pg * pagesize + rng.randrange(0, pagesize)] ^= rng.randint(1, 255)
    elif mode == "pages":
        for _ in range(rng.randint(2, 8)):
            pg = rng.randrange(0, pages)
            for _ in range(rng.randint(1, 8)):
                b[pg * pagesize + rng.randrange(0, pagesize)] ^= rng.randint(1, 255)
    elif mode == "wipe-page":
        pg = rng.randrange(1, pages)
        b[pg * pagesize:(pg + 1) * pagesize] = bytes([rng.choice([0, 0xFF, 0x5A])]) * pagesize
    elif mode == "bytes":
        for _ in range(rng.randint(1, 64)):
            b[rng.randrange(0, len(b))] ^= 1 << rng.randrange(8)
    return bytes(b)


def probe3(tmp):
    probe = "3-damaged"
    rng = random.Random(ARGS.seed + 3)
    base = os.path.join(tmp, "p3")
    os.makedirs(base)
    od = os.path.join(base, "orig")
    os.makedirs(od)
    orig = make_kiosk_db(od, 200, 180, months=18)
    with open(orig, "rb") as f:
        good = f.read()
    orig_nums = numbers_of(orig)
    per_series_max = {}
    for n in orig_nums:
        m = NUM_RE.match(n)
        k = (m.group(1), int(m.group(2)))
        per_series_max[k] = max(per_series_max.get(k, 0), int(m.group(3)))
    print(f"  original: {len(good)} bytes, {len(good)//4096} pages, {len(orig_nums)} numbers, series {per_series_max}", flush=True)
    modes = ["header", "schema", "page", "pages", "wipe-page", "bytes"]
    stats = {m: dict(copies=0, submit_refused=0, submit_opened=0, check_refused=0, check_sound=0)
             for m in modes}
    reissued = deaths = hangs = issued_on_damaged = 0
    cd = os.path.join(base, "copy")
    os.makedirs(cd)
    db = os.path.join(cd, "kiosk.db")
    cfg = make_config(cd, db, create=False)
    for i in range(ARGS.copies):
        mode = modes[i % len(modes)]
        bad = damage(good, mode, rng)
        if bad == good:
            continue
        for x in ("", "-wal", "-shm"):
            if os.path.exists(db + x):
                os.remove(db + x)
        for x in glob.glob(db + ".damaged-*"):
            os.remove(x)
        with open(db, "wb") as f:
            f.write(bad)
        st = stats[mode]
        st["copies"] += 1
        # one number-issuing command: one complaint, dated within the last month
        m = None
        rc, out = kiosk(cfg, ["demo-data", "--ratings", "0", "--complaints", "1", "--months", "1" if i % 2 == 0 else "13",
                              "--seed", str(i)], timeout=60)
        if rc is None:
            hangs += 1
            fail(probe, f"copy {i} ({mode}): demo-data hung > 60 s")
        elif signal_death(rc):
            deaths += 1
            fail(probe, f"copy {i} ({mode}): demo-data died rc={rc}: {out[-300:]}")
            shutil.copy(db, os.path.join(base, f"death-{i}.db"))
        if rc == 0:
            st["submit_opened"] += 1
            m = re.search(r"Receipt numbers (\S+) to (\S+)\.", out)
            if not m:
                odd(probe, f"copy {i} ({mode}): demo-data rc 0 but no number printed: {out[-300:]}")
            else:
                issued = m.group(1)
                against = orig_nums | ({issued} if ARGS.sabotage else set())
                if issued in against:
                    fail(probe, f"copy {i} ({mode}): issued {issued}, already in the original")
                    reissued += 1
                    shutil.copy(os.path.join(base, "last-bad.db") if False else db, os.path.join(base, f"reissue-{i}.db"))
                mm = NUM_RE.match(issued)
                k = (mm.group(1), int(mm.group(2)))
                if int(mm.group(3)) != per_series_max.get(k, 0) + 1:
                    odd(probe, f"copy {i} ({mode}): issued {issued}, original's highest in {k} was {per_series_max.get(k, 0)}")
        else:
            st["submit_refused"] += 1
            if rc is not None and rc != 3:
                odd(probe, f"copy {i} ({mode}): demo-data refused with rc={rc} (not 3): {out.strip()[-200:]}")
        rc2, out2 = kiosk(cfg, ["db", "check"], timeout=60)
        if rc2 is None:
            hangs += 1
            fail(probe, f"copy {i} ({mode}): db check hung")
        elif signal_death(rc2):
            deaths += 1
            fail(probe, f"copy {i} ({mode}): db check died rc={rc2}: {out2[-300:]}")
        if rc2 == 0:
            st["check_sound"] += 1
            if rc != 0:
                odd(probe, f"copy {i} ({mode}): db check says sound but demo-data refused rc={rc}: {out.strip()[-200:]}")
        else:
            st["check_refused"] += 1
            if rc == 0:
                issued_on_damaged += 1
                if issued_on_damaged <= 5:
                    lines = out2.strip().splitlines()
                    dmg = [l for l in lines if l.startswith("damage:")][:2]
                    odd(probe, f"copy {i} ({mode}): demo-data issued {issued if m else '?'} (exit 0), then db check exit {rc2}: {dmg}")
                    shutil.copy(db, os.path.join(base, f"issued-on-damaged-{i}.db"))
    tot = {k: sum(s[k] for s in stats.values()) for k in next(iter(stats.values()))}
    COUNTS[probe] = dict(total=tot, per_mode=stats, issued_then_check_damaged=issued_on_damaged, reissued=reissued, signal_deaths=deaths, hangs=hangs)


# ---------------------------------------------------------------- probe 4
def probe4(tmp):
    probe = "4-recover"
    base = os.path.join(tmp, "p4")
    os.makedirs(base)
    od = os.path.join(base, "orig")
    os.makedirs(od)
    orig = make_kiosk_db(od, 500, 100, months=6)
    with open(orig, "rb") as f:
        good = f.read()
    pages = len(good) // 4096
    orig_nums = numbers_of(orig)
    results = {}

    def hdr(b):
        return b"\xff" * 100 + b[100:]

    def schema(b):
        return b[:100] + b"\x5a" * (4096 - 100) + b[4096:]

    cases = [("damaged header", hdr), ("damaged schema page", schema)]
    # a records page in the middle, wiped
    for pg in (pages // 3, pages // 2, (2 * pages) // 3):
        cases.append((f"page {pg} of {pages} zeroed",
                      lambda b, pg=pg: b[:pg * 4096] + b"\0" * 4096 + b[(pg + 1) * 4096:]))
    for name, fn in cases:
        for use_out in (False, True):
            d = os.path.join(base, re.sub(r"\W+", "-", name) + ("-out" if use_out else ""))
            os.makedirs(d)
            db = os.path.join(d, "kiosk.db")
            bad = fn(good)
            with open(db, "wb") as f:
                f.write(bad)
            cfg = make_config(d, db, create=False)
            args = ["db", "recover"]
            newp = os.path.join(d, "new.db")
            if use_out:
                args += ["--out", newp]
            rc, out = kiosk(cfg, args, timeout=120)
            label = f"{name}{' --out' if use_out else ''}"
            results[label] = dict(rc=rc, said=[l for l in out.splitlines() if "saved" in l or "lost" in l or "place" in l.lower()])
            print(f"  --- {label}: rc={rc}\n" + "\n".join("    " + l for l in out.strip().splitlines()[-14:]), flush=True)
            if signal_death(rc) or rc is None:
                fail(probe, f"{label}: rc={rc}")
                continue
            m = re.search(r"records saved: (\d+) of (\d+)", out)
            if not m:
                fail(probe, f"{label}: recover does not say 'records saved: X of Y': {out[-500:]}")
                continue
            saved, found = int(m.group(1)), int(m.group(2))
            damaged_kept = glob.glob(db + ".damaged-*")
            in_place = sha(db)
            if rc == 0:
                if saved < found:
                    fail(probe, f"{label}: exit 0 with {saved} of {found} saved")
                target = newp if use_out else db
                try:
                    n = sqlite3.connect(target).execute("select count(*) from records").fetchone()[0]
                except sqlite3.Error as ex:
                    n = f"unreadable: {ex}"
                if n != saved:
                    fail(probe, f"{label}: recover said {saved} saved, new database has {n}")
                try:
                    cn, co = sqlite3.connect(target), sqlite3.connect(orig)
                    tabs = {}
                    for t in ("records", "personal_data", "outbox", "rating_reasons", "record_flags"):
                        a = co.execute(f"select count(*) from {t}").fetchone()[0]
                        b = cn.execute(f"select count(*) from {t}").fetchone()[0]
                        tabs[t] = f"{b} of {a}"
                    ptext = co.execute("select count(*) from personal_data where free_text <> ''").fetchone()[0]
                    ptext2 = cn.execute("select count(*) from personal_data where free_text <> ''").fetchone()[0]
                    tabs["complaint texts"] = f"{ptext2} of {ptext}"
                    results[label]["rows_in_new_vs_original"] = tabs
                    if "nothing was lost" in out and any(v.split(" of ")[0] != v.split(" of ")[1] for v in tabs.values()):
                        fail(probe, f"{label}: says nothing was lost but {tabs}")
                except sqlite3.Error as ex:
                    results[label]["rows_in_new_vs_original"] = f"unreadable {ex}"
                if n != 600 and name == "damaged header":
                    fail(probe, f"{label}: only {n} of 600 records")
                if not use_out:
                    want_kept = not ARGS.sabotage
                    kept_ok = any(sha(x) == hashlib.sha256(bad).hexdigest() for x in damaged_kept)
                    if kept_ok != want_kept:
                        fail(probe, f"{label}: damaged file kept={kept_ok} ({damaged_kept})")
                    # the recovered database numbers on, no number twice
                    rc2, out2 = kiosk(cfg, ["demo-data", "--ratings", "0", "--complaints", "1", "--months", "1"])
                    mm = re.search(r"Receipt numbers (\S+) to", out2)
                    if rc2 != 0 or not mm:
                        fail(probe, f"{label}: demo-data after recover rc={rc2}: {out2[-300:]}")
                    elif mm.group(1) in orig_nums:
                        fail(probe, f"{label}: after recover issued {mm.group(1)} again")
                    else:
                        results[label]["next_number"] = mm.group(1)
                    rc3, out3 = kiosk(cfg, ["db", "check"])
                    if rc3 != 0:
                        fail(probe, f"{label}: db check after recover rc={rc3}: {out3[-300:]}")
                else:
                    if in_place != hashlib.sha256(bad).hexdigest():
                        fail(probe, f"{label}: --out changed the damaged file")
            else:
                if rc != 3:
                    odd(probe, f"{label}: refused with rc={rc}, not 3")
                if saved >= found and saved > 0:
                    odd(probe, f"{label}: refused though {saved} of {found} saved")
                if in_place != hashlib.sha256(bad).hexdigest():
                    fail(probe, f"{label}: refused but the damaged file at the path changed")
                if "NOT put in place" not in out:
                    fail(probe, f"{label}: refusal does not say NOT put in place")
                if ARGS.sabotage:
                    fail(probe, f"{label}: (sabotage) expected success")
            results[label]["saved_of_found"] = f"{saved} of {found}"
    # kill -9 during `db recover` (damaged header): kiosk.db must always be
    # either the damaged file or a full copy, never missing or partial
    rng = random.Random(ARGS.seed + 4)
    bad = hdr(good)
    d = os.path.join(base, "recover-kill-cal")
    os.makedirs(d)
    db = os.path.join(d, "kiosk.db")
    with open(db, "wb") as f:
        f.write(bad)
    cfg = make_config(d, db, create=False)
    t0 = time.time()
    kiosk(cfg, ["db", "recover"])
    trec = time.time() - t0
    rk = 0
    states = {}
    for j in range(ARGS.recover_kills):
        d = os.path.join(base, f"recover-kill-{j}")
        os.makedirs(d)
        db = os.path.join(d, "kiosk.db")
        with open(db, "wb") as f:
            f.write(bad)
        cfg = make_config(d, db, create=False)
        delay = rng.uniform(0.2 * trec, 1.05 * trec)
        rc, finished, out, _ = kill_run(cfg, ["db", "recover"], db + ".none", delay)
        if finished:
            continue
        rk += 1
        if not os.path.exists(db):
            st = "kiosk.db missing"
            fail(probe, f"recover killed at {delay:.3f}s: kiosk.db is missing (files: {sorted(os.listdir(d))})")
        elif sha(db) == hashlib.sha256(bad).hexdigest():
            st = "damaged file in place"
        else:
            try:
                n = sqlite3.connect(db).execute("select count(*) from records").fetchone()[0]
            except sqlite3.Error as ex:
                n = f"unreadable ({ex})"
            st = f"other file in place: {n} records"
            if n != 600:
                fail(probe, f"recover killed at {delay:.3f}s: kiosk.db holds {n} records (files: {sorted(os.listdir(d))})")
        if not any(sha(os.path.join(d, x)) == hashlib.sha256(bad).hexdigest() for x in os.listdir(d)):
            fail(probe, f"recover killed at {delay:.3f}s: the damaged file is gone ({sorted(os.listdir(d))})")
        states[st] = states.get(st, 0) + 1
        # a later command must never number from 1 again
        rc2, out2 = kiosk(cfg, ["demo-data", "--ratings", "0", "--complaints", "1", "--months", "1"])
        mm = re.search(r"Receipt numbers (\S+) to", out2)
        if rc2 == 0 and mm and mm.group(1) in orig_nums:
            fail(probe, f"recover killed at {delay:.3f}s ({st}): next command issued {mm.group(1)} again")
    results["recover killed with SIGKILL"] = dict(kills=rk, calibrated_s=round(trec, 3), states=states)
    COUNTS[probe] = results


# ---------------------------------------------------------------- probe 5
def probe5(tmp):
    probe = "5-leftover-wal"
    base = os.path.join(tmp, "p5")
    os.makedirs(base)
    res = {}
    variants = [("wal+shm", True), ("wal only", False), ("0-byte db + wal+shm", True)]
    for vname, keep_shm in variants:
        for create in (False, True):
            d = os.path.join(base, f"{vname.replace(' ', '-').replace('+', '-')}-create-{create}")
            os.makedirs(d)
            db = os.path.join(d, "kiosk.db")
            cfg = make_config(d, db, create=False)
            rc, out = kiosk(cfg, ["init"])
            assert rc == 0, out
            # a database with a body: 200 complaints, checkpointed at a clean exit
            rc, out = kiosk(cfg, ["demo-data", "--ratings", "0", "--complaints", "200", "--months", "1"])
            assert rc == 0, out
            # kill -9 a writer so that its -wal is left with frames
            walsize = 0
            for attempt in range(20):
                rc, finished, out, _ = kill_run(cfg, ["demo-data", "--ratings", "50", "--complaints", "3000",
                                                      "--seed", str(attempt)], db + ".none", 0.3 + 0.1 * attempt)
                walsize = os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0
                if not finished and walsize > 32:
                    break
            if walsize <= 32:
                fail(probe, f"{vname}: could not leave a -wal with frames")
                continue
            os.remove(db)
            if vname.startswith("0-byte"):
                open(db, "wb").close()
            if not keep_shm and os.path.exists(db + "-shm"):
                os.remove(db + "-shm")
            cfg = make_config(d, db, create=create)
            pristine = {x: open(db + x, "rb").read() for x in ("", "-wal", "-shm") if os.path.exists(db + x)}
            before = listing(d)
            cmds = [["init"], ["demo-data", "--ratings", "1", "--complaints", "1"], ["outbox"]]
            for args in cmds:
                # each command meets the leftover as the kill left it
                for x in ("", "-wal", "-shm"):
                    if os.path.exists(db + x):
                        os.remove(db + x)
                for x, b in pristine.items():
                    with open(db + x, "wb") as f:
                        f.write(b)
                rc, out = kiosk(cfg, args)
                after = listing(d)
                label = f"{vname}, create={create}, `{' '.join(args)}`"
                res[label] = dict(rc=rc, said=out.strip()[-300:], db_made=os.path.exists(db))
                print(f"  --- {label}: rc={rc} made={os.path.exists(db)}\n    " + out.strip()[-400:].replace("\n", "\n    "), flush=True)
                refused = rc not in (0, None) and not signal_death(rc)
                if ARGS.sabotage:
                    refused = not refused
                if os.path.exists(db) and os.path.getsize(db) > 0:
                    rc2, out2 = kiosk(cfg, ["db", "check"])
                    res[label]["db_check"] = rc2
                    if rc2 != 0:
                        fail(probe, f"{label}: made a database that db check reports damaged (rc={rc2}): {out2[-400:]}")
                        shutil.copy(db, os.path.join(base, f"made-{len(res)}.db"))
                if not refused:
                    fail(probe, f"{label}: not refused (rc={rc}): {out.strip()[-300:]}")
                    continue
                if "-wal" not in out or "move" not in out.lower():
                    (fail if (args[0] == "init" or create) else odd)(probe, f"{label}: refusal does not name the -wal / say to move it: {out.strip()[-300:]}")
                if after != before:
                    fail(probe, f"{label}: files changed: {set(after.items()) ^ set(before.items())}")
            # moved away as told: init works and the result is sound
            for x in ("-wal", "-shm"):
                if os.path.exists(db + x):
                    os.rename(db + x, os.path.join(d, "moved" + x))
            if os.path.exists(db):
                os.rename(db, os.path.join(d, "moved.db"))
            cfg0 = make_config(d, db, create=False)
            rc, out = kiosk(cfg0, ["init"])
            rc2, out2 = kiosk(cfg0, ["db", "check"])
            res[f"{vname}, create={create}: init after moving"] = dict(rc=rc, check=rc2)
            if rc != 0 or rc2 != 0:
                fail(probe, f"{vname}: after moving the -wal away init rc={rc} check rc={rc2}: {out} {out2}")
    COUNTS[probe] = res


def main():
    global ARGS, KIOSK
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--only", default="1,2,3,4,5")
    ap.add_argument("--kills", type=int, default=70)
    ap.add_argument("--bench-kills", type=int, default=6)
    ap.add_argument("--init-kills", type=int, default=20)
    ap.add_argument("--recover-kills", type=int, default=25)
    ap.add_argument("--copies", type=int, default=540)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--sabotage", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ARGS = ap.parse_args()
    KIOSK = os.path.abspath(ARGS.kiosk)
    tmp = tempfile.mkdtemp(prefix="probe-db-", dir="/tmp")
    print(f"kiosk {KIOSK}; temp {tmp}; sabotage={ARGS.sabotage}", flush=True)
    probes = {"1": probe1, "2": probe2, "3": probe3, "4": probe4, "5": probe5}
    t0 = time.time()
    try:
        for k in ARGS.only.split(","):
            t = time.time()
            print(f"=== probe {k}", flush=True)
            nf = len(FAILS)
            try:
                probes[k](tmp)
            except Exception as ex:  # a probe that cannot run is a failure
                import traceback
                traceback.print_exc()
                fail(f"probe{k}", f"crashed: {ex!r}")
            print(f"=== probe {k}: {'PASS' if len(FAILS) == nf else 'FAIL'} in {time.time() - t:.0f}s", flush=True)
    finally:
        for p in list(CHILDREN):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
        if not ARGS.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print("\n=== counts")
    for k, v in COUNTS.items():
        if isinstance(v, dict):
            print(f"{k}:")
            for kk, vv in v.items():
                print(f"  {kk}: {vv}")
        else:
            print(f"{k}: {v}")
    print(f"\n=== {len(FAILS)} failures, {len(ODD)} odd, {time.time() - t0:.0f}s")
    for p, t in FAILS:
        print(f"FAIL[{p}] {t}")
    for p, t in ODD:
        print(f"ODD[{p}] {t}")
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
