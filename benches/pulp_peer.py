#!/usr/bin/env python3
"""Independent PuLP + HiGHS peer of forcegen's optimisation model.

This script is the independent reference implementation that forcegen's benchmarks and
tests compare against. It was written from the product specification only (now
docs/spec.md, sections "Scenario files" and "The model", plus the scenario format, now
docs/guide/scenario-format.md), never from forcegen's Rust sources, so that agreement
between the two is evidence that both implement the specification and not a shared bug:

* the lexicographic stage values (priority-1 ... priority-5, burden, cost / troops /
  units) and the overall coverage must agree with `forcegen solve --format json`
  to about 1e-6 relative;
* the end-to-end time of this script (parse, build with PuLP, one HiGHS solve per stage
  as a PuLP user would write it) is the baseline forcegen's benches compare with.

Usage:
    python3 benches/pulp_peer.py SCENARIO.toml [--relax] [--mip-gap G]
                                 [--time-limit S] [--json]

Exit codes: 0 success (also time_limit), 2 usage, 3 infeasible (a hard floor cannot be
met), 65 invalid scenario data, 66 missing/unreadable file, 70 solver failure.

Points the specification leaves open, and what this peer chose
----------------------------------------------------------------
 1. LP relaxation and the multinationality binaries y(m,q): the spec makes x continuous
    in the relaxation (`--relax`, `integer = false`) and calls y binary without
    exception ("a member counts with at least one whole unit"). This peer follows that
    literally: under --relax only x (units) is relaxed, y stays binary, so a scenario
    with some min_members > 1 is still a (small) MIP and the MIP gap applies to it. The
    textbook LP relaxation (y in [0, 1] too) is available for comparison with
    `PEER_RELAX_Y=continuous` in the environment; the two readings give different
    stage values on some scenarios (a member's 2/3 of a unit counts 2/3 of a member).
 2. y(m,q) exists only for members with at least one offer eligible for q (for any other
    member y would be forced to 0, so this changes nothing).
 3. Member caps (constraint 4) count deployed units x (troops_per_unit * x,
    cost_per_unit * x), not the rotation pool rot * x; a cap row is written only for a
    phase in which the member has an eligible pair with a non-zero coefficient.
 4. Offer capacity (constraint 3) is written for each phase in which the offer has at
    least one eligible pair; units may be fractional, x may still be integer (so an offer
    of 2.5 units gives at most 2 whole units).
 5. Eligibility precedence: equal capability or q's capability `*` gives f = 1 (a
    substitution is only consulted when the capabilities differ and q's is not `*`).
 6. The burden stage is skipped if no member has a burden_key (the max over an empty set
    is undefined). Sum of keys = sum over members with a key. Members with a key but no
    eligible pair get no row (their ratio is 0). The stage value is the auxiliary
    variable w >= B(m) * (sum keys) / key(m).
 7. The last stage is chosen from the whole offers table: `cost` if any offer has
    cost_per_unit > 0, else `troops` if any has troops_per_unit > 0, else `units`
    (total units = sum of x over all pairs, deployed units not pool units).
 8. The hold of a stage is its objective expression <= v + 1e-7 max(1, |v|), v being the
    value of the solution HiGHS returned (with a MIP gap > 0 that is the incumbent, not
    necessarily the true optimum). The burden hold is on w.
 9. "Counted as 1 within 1e-6 of the target": read as target - covered <= 1e-6 *
    max(1, target) (absolute for small targets, relative for large troop/equipment
    targets). Integer x are rounded to the nearest whole number first when within 1e-6
    of it (solver integrality noise), for the coverage only; stage values are the
    solver's objective values.
10. The time limit is for the whole solve (all stages, as the README says): each stage
    gets what is left. If HiGHS stops on the time limit with a MIP incumbent, that value
    is held and reported (stage status `time_limit`); a stage stopped without a solution
    (or an LP stopped early) is not used. The stages left unsolved are reported with
    status `not_solved` and their value at the last plan found, and the result status is
    `time_limit`; the coverage is that of the last plan found.
11. Infeasibility can only come from the hard floors (every other row is satisfiable by
    x = 0 with slacks), so an infeasible first stage is reported as `infeasible`, exit 3.
    The floor diagnosis of the spec (re-solve with floors soft) is not part of this peer.
12. A requirement's phase defaults to the only phase; with several phases it is required
    (README). A scenario without [[phase]] has one phase "all", not sustained.
13. Priority levels are whole numbers 1..5; stages are created only for levels present
    in the requirements table (even if a level's requirements have no eligible offer).
14. Workbooks (xlsx) are not supported by this peer (exit 65 with a message).
15. [objective] may only hold `fairness` (and `mode = "lexicographic"`); the optional
    weighted mode is not implemented. [checks] is read and ignored; [solver].backend is
    ignored (this peer is always PuLP + HiGHS).
16. Defaults follow docs/spec.md: `integer` defaults to true (whole units). `lead_share`
    = 0 is accepted ([0, 1], "a lead without a lead_share adds nothing").
17. A lead with no eligible offer for q keeps its row: l(q) = lead_share target is
    forced and the term adds a constant 1 to its priority stage, as the formula says.
18. The 1e-7 holds leave slack that later stages may use, so two correct solvers can
    disagree at the 1e-7..1e-6 relative level (e.g. the tutorial's LP cost comes out as
    429.99996 rather than 430, as scenarios/tutorial/EXPECTED.md notes). Compare stage
    values with a tolerance of about 1e-6 relative, not exactly.
19. CSV: a UTF-8 BOM is allowed and lines starting with `#` are comments (README); list
    cells are split on `;` with blanks dropped; inline TOML list fields may be arrays,
    and inline `equipment` may also be a table {item = count}.
"""

import time

_T0 = time.perf_counter()

import argparse  # noqa: E402
import csv  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tomllib  # noqa: E402

import pulp  # noqa: E402

HOLD_REL = 1e-7
COVER_TOL = 1e-6
DEFAULT_GAP = 1e-4
DEFAULT_TIME = 60.0
DEFAULT_DOMAINS = ["land", "sea", "air"]


class DataError(Exception):
    """Invalid scenario data (exit 65)."""


class FileError(Exception):
    """Missing or unreadable file (exit 66)."""


# --------------------------------------------------------------------------- input


MEMBER_COLS = ["id", "name", "burden_key", "max_troops", "max_cost", "caveats", "reliability"]
OFFER_COLS = ["id", "member", "capability", "domain", "units", "troops_per_unit",
              "cost_per_unit", "readiness_days", "rotation", "phases", "equipment"]
REQ_COLS = ["id", "domain", "capability", "phase", "measure", "target", "minimum",
            "priority", "max_readiness_days", "max_share", "min_members",
            "excluded_caveats", "lead", "lead_share", "region", "description"]
SUB_COLS = ["required", "substitute", "factor"]
TABLE_COLS = {"members": MEMBER_COLS, "offers": OFFER_COLS,
              "requirements": REQ_COLS, "substitutions": SUB_COLS}


def _empty(v):
    return v is None or (isinstance(v, str) and v.strip() == "")


def _num(row, key, where, default=None, required=False):
    v = row.get(key)
    if _empty(v):
        if required:
            raise DataError(f"{where}: field `{key}` is required")
        return default
    if isinstance(v, bool):
        raise DataError(f"{where}: field `{key}`, value `{v}`: not a number")
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise DataError(f"{where}: field `{key}`, value `{v}`: not a number") from None
    if not math.isfinite(x):
        raise DataError(f"{where}: field `{key}`, value `{v}`: must be finite")
    return x


def _str(row, key, where, default=None, required=False):
    v = row.get(key)
    if _empty(v):
        if required:
            raise DataError(f"{where}: field `{key}` is required")
        return default
    return str(v).strip()


def _list(row, key):
    v = row.get(key)
    if _empty(v):
        return []
    if isinstance(v, list):
        items = [str(t).strip() for t in v]
    else:
        items = [t.strip() for t in str(v).split(";")]
    return [t for t in items if t]


def _equipment(row, where):
    v = row.get("equipment")
    if _empty(v):
        return {}
    if isinstance(v, dict):
        pairs = [(str(k), c) for k, c in v.items()]
    else:
        pairs = []
        for item in _list(row, "equipment"):
            if ":" not in item:
                raise DataError(f"{where}: field `equipment`, value `{item}`: expected item:count")
            k, c = item.rsplit(":", 1)
            pairs.append((k.strip(), c.strip()))
    eq = {}
    for k, c in pairs:
        try:
            n = float(c)
        except (TypeError, ValueError):
            raise DataError(f"{where}: field `equipment`, value `{k}:{c}`: bad count") from None
        if not math.isfinite(n) or n < 0:
            raise DataError(f"{where}: field `equipment`, value `{k}:{c}`: count must be >= 0")
        if k in eq:
            raise DataError(f"{where}: field `equipment`: item `{k}` given twice")
        eq[k] = n
    return eq


def read_csv(path, table):
    try:
        with open(path, "r", encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except OSError as e:
        raise FileError(f"{path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text") from None
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.lstrip().startswith("#")]
    reader = csv.reader(io.StringIO("".join(lines)))
    rows = [r for r in reader if any(c.strip() for c in r)]
    if not rows:
        raise DataError(f"{path}: empty table")
    header = [h.strip() for h in rows[0]]
    known = TABLE_COLS[table]
    for h in header:
        if h not in known:
            raise DataError(f"{path}: unknown column `{h}` in the {table} table")
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise DataError(f"{path}: row {i}: {len(r)} fields, header has {len(header)}")
        d = dict(zip(header, r))
        d["__where__"] = f"{path}:{i}"
        out.append(d)
    return out


def inline_rows(rows, table, tomlpath):
    out = []
    known = TABLE_COLS[table]
    for i, r in enumerate(rows, start=1):
        for k in r:
            if k not in known:
                raise DataError(f"{tomlpath}: [[{table}]] #{i}: unknown key `{k}`")
        d = dict(r)
        d["__where__"] = f"{tomlpath}: [[{table}]] #{i}"
        out.append(d)
    return out


def load(path):
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as e:
        raise FileError(f"{path}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise DataError(f"{path}: invalid TOML: {e}") from None
    base = os.path.dirname(os.path.abspath(path))
    top_known = {"scenario", "phase", "tables", "objective", "solver", "checks",
                 "members", "offers", "requirements", "substitutions"}
    for k in doc:
        if k not in top_known:
            raise DataError(f"{path}: unknown key `{k}`")
    sc = doc.get("scenario", {})
    for k in sc:
        if k not in ("name", "description", "domains", "cost_unit"):
            raise DataError(f"{path}: unknown key `scenario.{k}`")
    domains = list(sc.get("domains", DEFAULT_DOMAINS))
    name = sc.get("name", os.path.basename(base))

    phases = []
    for i, ph in enumerate(doc.get("phase", []), start=1):
        for k in ph:
            if k not in ("id", "sustained", "description", "name"):
                raise DataError(f"{path}: [[phase]] #{i}: unknown key `{k}`")
        if "id" not in ph:
            raise DataError(f"{path}: [[phase]] #{i}: `id` is required")
        phases.append((str(ph["id"]), bool(ph.get("sustained", False))))
    if not phases:
        phases = [("all", False)]
    phase_ids = [p for p, _ in phases]
    if len(set(phase_ids)) != len(phase_ids):
        raise DataError(f"{path}: duplicate phase id")

    tables = doc.get("tables", {})
    for k in tables:
        if k not in ("members", "offers", "requirements", "substitutions", "workbook"):
            raise DataError(f"{path}: unknown key `tables.{k}`")
    if "workbook" in tables or any("#" in str(v) or str(v).lower().endswith((".xlsx", ".xls"))
                                   for v in tables.values()):
        raise DataError(f"{path}: workbooks are not supported by this peer")
    raw = {}
    for t in ("members", "offers", "requirements", "substitutions"):
        if t in tables and t in doc:
            raise DataError(f"{path}: table `{t}` named both in [tables] and inline")
        if t in tables:
            raw[t] = read_csv(os.path.join(base, tables[t]), t)
        elif t in doc:
            raw[t] = inline_rows(doc[t], t, path)
        elif t != "substitutions":
            raise DataError(f"{path}: table `{t}` is missing")
        else:
            raw[t] = []

    obj = doc.get("objective", {})
    for k in obj:
        if k not in ("fairness", "mode"):
            raise DataError(f"{path}: unknown key `objective.{k}`")
    if obj.get("mode", "lexicographic") != "lexicographic":
        raise DataError(f"{path}: objective.mode `{obj['mode']}` not supported by this peer")
    fairness = obj.get("fairness")
    if fairness not in (None, "troops", "cost"):
        raise DataError(f"{path}: objective.fairness must be \"troops\" or \"cost\"")

    sol = doc.get("solver", {})
    for k in sol:
        if k not in ("backend", "integer", "time_limit_s", "mip_gap"):
            raise DataError(f"{path}: unknown key `solver.{k}`")
    integer = bool(sol.get("integer", True))
    time_limit = float(sol.get("time_limit_s", DEFAULT_TIME))
    mip_gap = float(sol.get("mip_gap", DEFAULT_GAP))

    # members
    members = {}
    for r in raw["members"]:
        w = r["__where__"]
        mid = _str(r, "id", w, required=True)
        if mid in members:
            raise DataError(f"{w}: duplicate member id `{mid}`")
        key = _num(r, "burden_key", w)
        if key is not None and key <= 0:
            raise DataError(f"{w}: field `burden_key`: must be > 0")
        mt = _num(r, "max_troops", w)
        mc = _num(r, "max_cost", w)
        for f, v in (("max_troops", mt), ("max_cost", mc)):
            if v is not None and v < 0:
                raise DataError(f"{w}: field `{f}`: must be >= 0")
        members[mid] = {"id": mid, "key": key, "max_troops": mt, "max_cost": mc,
                        "caveats": set(_list(r, "caveats"))}
    if not members:
        raise DataError(f"{path}: the members table is empty")

    # offers
    offers = []
    seen_ids = set()
    counter = {}
    for r in raw["offers"]:
        w = r["__where__"]
        m = _str(r, "member", w, required=True)
        if m not in members:
            raise DataError(f"{w}: field `member`, value `{m}`: unknown member")
        cap = _str(r, "capability", w, required=True)
        dom = _str(r, "domain", w, required=True)
        if dom not in domains:
            raise DataError(f"{w}: field `domain`, value `{dom}`: unknown domain")
        units = _num(r, "units", w, required=True)
        if units <= 0:
            raise DataError(f"{w}: field `units`: must be > 0")
        tpu = _num(r, "troops_per_unit", w, 0.0)
        cpu = _num(r, "cost_per_unit", w, 0.0)
        rd = _num(r, "readiness_days", w, 0.0)
        rot = _num(r, "rotation", w, 1.0)
        for f, v in (("troops_per_unit", tpu), ("cost_per_unit", cpu), ("readiness_days", rd)):
            if v < 0:
                raise DataError(f"{w}: field `{f}`: must be >= 0")
        if rot < 1:
            raise DataError(f"{w}: field `rotation`: must be >= 1")
        ph = _list(r, "phases")
        for p in ph:
            if p not in phase_ids:
                raise DataError(f"{w}: field `phases`, value `{p}`: unknown phase")
        if len(set(ph)) != len(ph):
            raise DataError(f"{w}: field `phases`: a phase is repeated")
        counter[(m, cap)] = counter.get((m, cap), 0) + 1
        oid = _str(r, "id", w, f"{m}/{cap}/{counter[(m, cap)]}")
        if oid in seen_ids:
            raise DataError(f"{w}: duplicate offer id `{oid}`")
        seen_ids.add(oid)
        offers.append({"id": oid, "member": m, "cap": cap, "domain": dom, "units": units,
                       "tpu": tpu, "cpu": cpu, "ready": rd, "rot": rot,
                       "phases": set(ph) if ph else set(phase_ids),
                       "equip": _equipment(r, w)})
    if not offers:
        raise DataError(f"{path}: the offers table is empty")

    # requirements
    reqs = []
    seen_ids = set()
    for r in raw["requirements"]:
        w = r["__where__"]
        qid = _str(r, "id", w, required=True)
        if qid in seen_ids:
            raise DataError(f"{w}: duplicate requirement id `{qid}`")
        seen_ids.add(qid)
        dom = _str(r, "domain", w, required=True)
        if dom not in domains:
            raise DataError(f"{w}: field `domain`, value `{dom}`: unknown domain")
        cap = _str(r, "capability", w, required=True)
        if len(phase_ids) == 1:
            ph = _str(r, "phase", w, phase_ids[0])
        else:
            ph = _str(r, "phase", w, required=True)
        if ph not in phase_ids:
            raise DataError(f"{w}: field `phase`, value `{ph}`: unknown phase")
        meas = _str(r, "measure", w, "units")
        if meas in ("units", "troops"):
            kind, item = meas, None
        elif meas.startswith("equipment:") and meas[len("equipment:"):].strip():
            kind, item = "equipment", meas[len("equipment:"):].strip()
        else:
            raise DataError(f"{w}: field `measure`, value `{meas}`: units, troops or equipment:ITEM")
        target = _num(r, "target", w, required=True)
        if target <= 0:
            raise DataError(f"{w}: field `target`: must be > 0")
        minimum = _num(r, "minimum", w, 0.0)
        if minimum < 0 or minimum > target:
            raise DataError(f"{w}: field `minimum`: must be in [0, target]")
        prio = _num(r, "priority", w, 3.0)
        if prio != int(prio) or not 1 <= prio <= 5:
            raise DataError(f"{w}: field `priority`: whole number 1 to 5")
        mrd = _num(r, "max_readiness_days", w, math.inf)
        if mrd < 0:
            raise DataError(f"{w}: field `max_readiness_days`: must be >= 0")
        share = _num(r, "max_share", w, 1.0)
        if not 0 < share <= 1:
            raise DataError(f"{w}: field `max_share`: must be in (0, 1]")
        mm = _num(r, "min_members", w, 1.0)
        if mm != int(mm) or mm < 1:
            raise DataError(f"{w}: field `min_members`: whole number >= 1")
        lead = _str(r, "lead", w)
        if lead is not None and lead not in members:
            raise DataError(f"{w}: field `lead`, value `{lead}`: unknown member")
        ls = _num(r, "lead_share", w, 0.0)
        if not 0 <= ls <= 1:
            raise DataError(f"{w}: field `lead_share`: must be in [0, 1]")
        if ls > 0 and lead is None:
            raise DataError(f"{w}: field `lead_share`: needs `lead`")
        reqs.append({"id": qid, "domain": dom, "cap": cap, "phase": ph, "kind": kind,
                     "item": item, "target": target, "minimum": minimum,
                     "priority": int(prio), "max_ready": mrd, "max_share": share,
                     "min_members": int(mm), "excl": set(_list(r, "excluded_caveats")),
                     "lead": lead, "lead_share": ls})
    if not reqs:
        raise DataError(f"{path}: the requirements table is empty")

    subs = {}
    for r in raw["substitutions"]:
        w = r["__where__"]
        a = _str(r, "required", w, required=True)
        b = _str(r, "substitute", w, required=True)
        f = _num(r, "factor", w, required=True)
        if f <= 0:
            raise DataError(f"{w}: field `factor`: must be > 0")
        if a == b:
            raise DataError(f"{w}: a capability cannot substitute for itself")
        if (a, b) in subs:
            raise DataError(f"{w}: substitution {a} <- {b} given twice")
        subs[(a, b)] = f

    return {"name": name, "domains": domains, "phases": phases, "members": members,
            "offers": offers, "reqs": reqs, "subs": subs, "fairness": fairness,
            "integer": integer, "time_limit": time_limit, "mip_gap": mip_gap}


# --------------------------------------------------------------------------- model


def coefficient(o, q, subs):
    """a(o,q) if o is eligible for q (all but the caveat test, done by the caller), else None."""
    if o["domain"] != q["domain"]:
        return None
    if o["cap"] == q["cap"] or q["cap"] == "*":
        f = 1.0
    elif (q["cap"], o["cap"]) in subs:
        f = subs[(q["cap"], o["cap"])]
    else:
        return None
    if q["phase"] not in o["phases"]:
        return None
    if o["ready"] > q["max_ready"]:
        return None
    if q["kind"] == "units":
        base = 1.0
    elif q["kind"] == "troops":
        base = o["tpu"]
    else:
        base = o["equip"].get(q["item"], 0.0)
    a = f * base
    return a if a > 0 else None


class Model:
    def __init__(self, sc, integer):
        self.sc = sc
        self.integer = integer
        members, offers, reqs, subs = sc["members"], sc["offers"], sc["reqs"], sc["subs"]
        sustained = dict(sc["phases"])
        cat = pulp.LpInteger if integer else pulp.LpContinuous
        relax_y = os.environ.get("PEER_RELAX_Y", "binary")
        if relax_y not in ("binary", "continuous"):
            raise DataError("PEER_RELAX_Y must be `binary` or `continuous`")
        ycat = pulp.LpContinuous if (not integer and relax_y == "continuous") else pulp.LpBinary

        prob = pulp.LpProblem("forcegen_peer", pulp.LpMinimize)
        self.prob = prob

        # eligible pairs
        self.pairs = []  # (oi, qi, a)
        by_q = {qi: [] for qi in range(len(reqs))}
        by_o = {oi: [] for oi in range(len(offers))}
        for qi, q in enumerate(reqs):
            for oi, o in enumerate(offers):
                if members[o["member"]]["caveats"] & q["excl"]:
                    continue
                a = coefficient(o, q, subs)
                if a is None:
                    continue
                self.pairs.append((oi, qi, a))
                by_q[qi].append((oi, a))
                by_o[oi].append((qi, a))
        self.by_q = by_q

        x = {}
        for oi, qi, a in self.pairs:
            x[oi, qi] = pulp.LpVariable(f"x_{oi}_{qi}", lowBound=0, cat=cat)
        self.x = x
        s = {}
        for qi, q in enumerate(reqs):
            # constraint 2 (hard floor) as the variable's upper bound
            s[qi] = pulp.LpVariable(f"s_{qi}", lowBound=0, upBound=q["target"] - q["minimum"])
        self.s = s

        # 1. coverage
        for qi, q in enumerate(reqs):
            prob += (pulp.lpSum(a * x[oi, qi] for oi, a in by_q[qi]) + s[qi] >= q["target"],
                     f"cover_{qi}")

        # 3. offer capacity per phase
        for oi, o in enumerate(offers):
            per_phase = {}
            for qi, a in by_o[oi]:
                per_phase.setdefault(reqs[qi]["phase"], []).append(qi)
            for p, qis in per_phase.items():
                rot = o["rot"] if sustained[p] else 1.0
                prob += (pulp.lpSum(rot * x[oi, qi] for qi in qis) <= o["units"],
                         f"cap_{oi}_{p}")

        # 4. member caps per phase
        for mid, m in members.items():
            for p, _ in sc["phases"]:
                terms_t, terms_c = [], []
                for oi, qi, a in self.pairs:
                    o = offers[oi]
                    if o["member"] != mid or reqs[qi]["phase"] != p:
                        continue
                    if o["tpu"] > 0:
                        terms_t.append(o["tpu"] * x[oi, qi])
                    if o["cpu"] > 0:
                        terms_c.append(o["cpu"] * x[oi, qi])
                if m["max_troops"] is not None and terms_t:
                    prob += (pulp.lpSum(terms_t) <= m["max_troops"], f"mtroops_{mid}_{p}")
                if m["max_cost"] is not None and terms_c:
                    prob += (pulp.lpSum(terms_c) <= m["max_cost"], f"mcost_{mid}_{p}")

        # 5. share caps, 6. multinationality, 7. lead
        self.z, self.l, self.y = {}, {}, {}
        for qi, q in enumerate(reqs):
            by_m = {}
            for oi, a in by_q[qi]:
                by_m.setdefault(offers[oi]["member"], []).append((oi, a))
            if q["max_share"] < 1:
                for mid, lst in by_m.items():
                    prob += (pulp.lpSum(a * x[oi, qi] for oi, a in lst)
                             <= q["max_share"] * q["target"], f"share_{qi}_{mid}")
            if q["min_members"] > 1:
                z = pulp.LpVariable(f"z_{qi}", lowBound=0)
                self.z[qi] = z
                ys = []
                for mid, lst in by_m.items():
                    yv = pulp.LpVariable(f"y_{qi}_{mid}", lowBound=0, upBound=1, cat=ycat)
                    self.y[mid, qi] = yv
                    ys.append(yv)
                    prob += (pulp.lpSum(x[oi, qi] for oi, _ in lst) >= yv, f"ylink_{qi}_{mid}")
                prob += (pulp.lpSum(ys) + z >= q["min_members"], f"multi_{qi}")
            if q["lead"] is not None and q["lead_share"] > 0:
                lv = pulp.LpVariable(f"l_{qi}", lowBound=0)
                self.l[qi] = lv
                lst = by_m.get(q["lead"], [])
                prob += (pulp.lpSum(a * x[oi, qi] for oi, a in lst) + lv
                         >= q["lead_share"] * q["target"], f"lead_{qi}")

        self.is_mip = integer or (ycat == pulp.LpBinary and bool(self.y))

        # stages
        self.stages = []  # (name, expression)
        for level in sorted({q["priority"] for q in reqs}):
            terms = []
            for qi, q in enumerate(reqs):
                if q["priority"] != level:
                    continue
                terms.append((1.0 / q["target"]) * s[qi])
                if qi in self.z:
                    terms.append((1.0 / q["min_members"]) * self.z[qi])
                if qi in self.l:
                    terms.append((1.0 / (q["lead_share"] * q["target"])) * self.l[qi])
            self.stages.append((f"priority-{level}", pulp.lpSum(terms)))

        if sc["fairness"]:
            keyed = {mid: m["key"] for mid, m in members.items() if m["key"] is not None}
            if keyed:
                total_key = sum(keyed.values())
                w = pulp.LpVariable("burden_max", lowBound=0)
                per = "tpu" if sc["fairness"] == "troops" else "cpu"
                for mid, key in keyed.items():
                    terms = [offers[oi][per] * x[oi, qi] for oi, qi, a in self.pairs
                             if offers[oi]["member"] == mid and offers[oi][per] > 0]
                    if terms:
                        prob += (pulp.lpSum(terms) * (total_key / key) <= w, f"burden_{mid}")
                self.burden_rows = []
                for mid, key in keyed.items():
                    self.burden_rows.append((total_key / key, [
                        (offers[oi][per], x[oi, qi]) for oi, qi, a in self.pairs
                        if offers[oi]["member"] == mid and offers[oi][per] > 0]))
                self.stages.append(("burden", pulp.lpSum([w])))

        if any(o["cpu"] > 0 for o in offers):
            self.stages.append(("cost", pulp.lpSum(offers[oi]["cpu"] * x[oi, qi]
                                                   for oi, qi, a in self.pairs)))
        elif any(o["tpu"] > 0 for o in offers):
            self.stages.append(("troops", pulp.lpSum(offers[oi]["tpu"] * x[oi, qi]
                                                     for oi, qi, a in self.pairs)))
        else:
            self.stages.append(("units", pulp.lpSum(x[oi, qi] for oi, qi, a in self.pairs)))

    def stage_value(self, name, expr):
        """A stage's value at the current variable values (used for the stages that
        the time limit left unsolved: there w of the burden stage is not yet pushed
        down to the largest ratio, so that one is recomputed from x)."""
        if name == "burden":
            return max((scale * sum(c * (v.varValue or 0.0) for c, v in terms)
                        for scale, terms in self.burden_rows), default=0.0)
        v = pulp.value(expr)
        return 0.0 if v is None else float(v)

    def snapshot(self):
        return {v.name: v.varValue for v in self.prob.variables()}

    def restore(self, snap):
        for v in self.prob.variables():
            v.varValue = snap.get(v.name)

    def coverage(self):
        reqs = self.sc["reqs"]
        covs = []
        for qi, q in enumerate(reqs):
            covered = 0.0
            for oi, a in self.by_q[qi]:
                v = self.x[oi, qi].varValue or 0.0
                if self.integer and abs(v - round(v)) <= 1e-6:
                    v = float(round(v))
                covered += a * v
            t = q["target"]
            if t - covered <= COVER_TOL * max(1.0, t):
                covs.append(1.0)
            else:
                covs.append(max(0.0, min(1.0, covered / t)))
        return sum(covs) / len(covs)


def _silence_highs_banner():
    """highspy prints its banner to the C-level stdout when the first Highs object is
    made, whatever output_flag says; make that first object with fd 1 pointed at
    /dev/null so that --json output stays one JSON object."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
        h = pulp.apis.highs_api.highspy.Highs()
        h.setOptionValue("output_flag", False)
        del h
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def solve_stages(model, gap, t_deadline):
    """Lexicographic solve, one HiGHS run per stage on the same PuLP problem.
    Returns (status, stages, solve_seconds); the variables hold the last plan found."""
    _silence_highs_banner()
    HMS = pulp.apis.highs_api.highspy.HighsModelStatus
    prob = model.prob
    stages_out = []
    status = "optimal"
    solve_s = 0.0
    snap = None
    for k, (name, expr) in enumerate(model.stages):
        remaining = t_deadline - time.perf_counter()
        if remaining <= 0:
            status = "time_limit"
            break
        prob.setObjective(expr)
        solver = pulp.HiGHS(msg=False, threads=1, gapRel=gap, timeLimit=remaining,
                            mip_feasibility_tolerance=1e-9)
        t = time.perf_counter()
        prob.solve(solver)
        solve_s += time.perf_counter() - t
        hs = prob.solverModel.getModelStatus()
        feasible = prob.solverModel.getInfo().primal_solution_status == 2
        if hs == HMS.kOptimal:
            st = "optimal"
        elif hs == HMS.kTimeLimit and feasible and model.is_mip:
            st = "time_limit"  # MIP incumbent: held and kept as the plan
        elif hs == HMS.kTimeLimit:
            status = "time_limit"
            break
        elif hs in (HMS.kInfeasible, HMS.kUnboundedOrInfeasible) and k == 0:
            return "infeasible", stages_out, solve_s
        else:
            raise RuntimeError(f"stage {name}: HiGHS status {hs}")
        v = model.stage_value(name, expr) if name != "burden" else float(pulp.value(expr))
        stages_out.append({"name": name, "value": v, "status": st})
        snap = model.snapshot()
        if st != "optimal":
            status = "time_limit"
        prob += (expr <= v + HOLD_REL * max(1.0, abs(v)), f"hold_{k}")
    if snap is not None:
        model.restore(snap)
        # stages the time limit left unsolved: their value at the last plan found
        for name, expr in model.stages[len(stages_out):]:
            stages_out.append({"name": name, "value": model.stage_value(name, expr),
                               "status": "not_solved"})
    return status, stages_out, solve_s


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Independent PuLP+HiGHS peer of forcegen's model (see module docstring).")
    ap.add_argument("scenario")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--relax", action="store_true", help="LP relaxation (fractions of units)")
    g.add_argument("--integer", action="store_true", help="whole units (overrides integer = false)")
    ap.add_argument("--mip-gap", type=float, default=None)
    ap.add_argument("--time-limit", type=float, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.mip_gap is not None and not (args.mip_gap >= 0):
        ap.error("--mip-gap must be >= 0")
    if args.time_limit is not None and not (args.time_limit > 0):
        ap.error("--time-limit must be > 0")

    t_load0 = time.perf_counter()
    try:
        sc = load(args.scenario)
    except FileError as e:
        print(f"error: {e}", file=sys.stderr)
        return 66
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 65
    t_load = time.perf_counter() - t_load0

    integer = sc["integer"]
    if args.relax:
        integer = False
    if args.integer:
        integer = True
    gap = args.mip_gap if args.mip_gap is not None else sc["mip_gap"]
    tl = args.time_limit if args.time_limit is not None else sc["time_limit"]

    t_build0 = time.perf_counter()
    try:
        model = Model(sc, integer)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 65
    t_build = time.perf_counter() - t_build0

    deadline = time.perf_counter() + tl
    try:
        status, stages, t_solve = solve_stages(model, gap, deadline)
    except RuntimeError as e:
        print(f"error: solver failure: {e}", file=sys.stderr)
        return 70
    coverage = None if status == "infeasible" or not stages else model.coverage()
    total = time.perf_counter() - _T0

    if args.json:
        out = {"status": status,
               "stages": [{"name": s["name"], "value": s["value"], "status": s["status"]}
                          for s in stages],
               "coverage": coverage,
               "seconds": {"load": t_load, "build": t_build, "solve": t_solve,
                           "total": total}}
        print(json.dumps(out))
    else:
        mode = "whole units" if integer else "LP relaxation"
        print(f"{sc['name']}: {status} ({mode}, {len(sc['reqs'])} requirements, "
              f"{len(model.pairs)} eligible pairs)")
        for s in stages:
            print(f"  {s['name']:<12} {s['value']:.9g}" + ("" if s["status"] == "optimal"
                                                          else f"  ({s['status']})"))
        if coverage is not None:
            print(f"  overall coverage {coverage:.6f}")
        if status == "infeasible":
            print("  a hard floor (minimum) cannot be met")
        print(f"  seconds: load {t_load:.3f}, build {t_build:.3f}, solve {t_solve:.3f}, "
              f"total {total:.3f}")
    return 3 if status == "infeasible" else 0


if __name__ == "__main__":
    try:
        rc = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # a closed stdout ends quietly (as forcegen does)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        rc = 0
    sys.exit(rc)
