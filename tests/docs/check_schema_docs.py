#!/usr/bin/env python3
"""docs/wasm-api.md's config tables against the schema the core answers (`superpose schema --json`).

For every kind, the first table after "## Kind `KIND`" (header `| key | type | default | allowed |`)
must list exactly the schema's fields, one key per row, with the schema's default and, when the
field has one, its range (`[lo, hi]`, `(lo, hi]`, `[lo, other_field]`, optionally after "each in")
or its choices (the backticked words the cell starts with). Rows whose default is "(answer only)"
are keys configure answers but does not read; they must not be in the schema. A field's presets
(`{choice: {key: value}}`) must each be written in the kind's section as
"`CHOICE` brings `{...}`" with the schema's JSON.
Usage: check_schema_docs.py path/to/superpose path/to/docs/wasm-api.md   (exit 1 on any mismatch)
"""
import json
import re
import subprocess
import sys

binary, doc_path = sys.argv[1], sys.argv[2]
schemas = json.loads(subprocess.run([binary, "schema", "--json"], check=True, capture_output=True, text=True).stdout)
doc = open(doc_path, encoding="utf-8").read()
problems = []


def number(text):
    text = text.strip().replace("−", "-")
    m = re.fullmatch(r"(\d+)\^(\d+)(?:-(\d+))?", text)
    if m:
        return int(m.group(1)) ** int(m.group(2)) - int(m.group(3) or 0)
    if re.fullmatch(r"\d+/\d+", text):
        a, b = text.split("/")
        return int(a) / int(b)
    return float(text)


def default_value(cell):
    cell = cell.strip()
    if cell.startswith("`") and cell.endswith("`"):
        cell = cell[1:-1]
    cell = re.sub(r"(\d+(?:\.\d+)?)e(-?\d+)", lambda m: str(float(m.group(0))), cell)
    if re.fullmatch(r"\d+/\d+", cell):
        return number(cell)
    try:
        return json.loads(cell)
    except json.JSONDecodeError:
        return None


def same(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-12 * max(1, abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def tables(kind):
    m = re.search(r"^## Kind `%s`.*?$(.*?)(?=^## )" % re.escape(kind), doc + "\n## end", re.M | re.S)
    if not m:
        return None
    rows, started = [], False
    for line in m.group(1).splitlines():
        if line.startswith("| key | type | default | allowed |"):
            started = True
            continue
        if started and line.startswith("|---"):
            continue
        if started and line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split(" | ")])
        elif started:
            break
    return rows


def check_field(where, f, default_cell, allowed, rows_by_key, prefix):
    """One documented field against its schema: default, then range or choices, then nested keys."""
    want = default_value(default_cell)
    if f["type"] == "object":
        # the documented keys of the default must hold the schema's values (the rest are the nested defaults)
        if not isinstance(want, dict) or any(not same(v, f["default"].get(k)) for k, v in want.items()):
            problems.append(f"{where}: docs default {default_cell!r}, schema {json.dumps(f['default'])}")
        nested_rows = {k[len(prefix):]: r for k, r in rows_by_key.items() if k.startswith(prefix)}
        other = re.search(r"kind `(\w+)`'s keys", allowed)
        for g in f["fields"]:
            if nested_rows:
                row = nested_rows.get(g["name"])
                if row is None:
                    problems.append(f"{where}.{g['name']}: in the schema but not in docs/wasm-api.md")
                else:
                    check_field(f"{where}.{g['name']}", g, row[2], row[3], {}, None)
            elif other:  # another kind's keys with this kind's defaults: same names and ranges
                theirs = {x["name"]: x for x in schemas[other.group(1)]["fields"]}
                t = theirs.get(g["name"])
                if t is None or any(t[k] != g[k] for k in ("type", "min", "max", "min_open", "max_open",
                                                          "max_field", "choices")):
                    problems.append(f"{where}.{g['name']}: not kind {other.group(1)}'s field of that name")
            else:
                problems.append(f"{where}: nested keys documented neither as rows nor as another kind's")
        return
    if not same(want, f["default"]):
        problems.append(f"{where}: docs default {default_cell!r}, schema {json.dumps(f['default'])}")
    if f["choices"]:
        words = re.findall(r"`([^`]+)`", re.split(r"[:;(]", allowed.replace("`, `", "`,`"))[0])
        if sorted(words) != sorted(f["choices"]):
            problems.append(f"{where}: docs allow {words}, schema {f['choices']}")
    elif f["min"] is not None or f["max"] is not None:
        m = re.match(r"(?:each in )?([\[(])\s*([^,\])]+),\s*([^\])]+)([\])])", allowed)
        if not m:
            problems.append(f"{where}: no range in {allowed!r}")
            return
        lo_open, lo, hi, hi_open = m.group(1) == "(", m.group(2), m.group(3), m.group(4) == ")"
        ok = lo_open == f["min_open"] and hi_open == f["max_open"] and same(number(lo), f["min"])
        if f["max_field"]:
            ok = ok and hi.strip() == f["max_field"]
        else:
            ok = ok and same(number(hi), f["max"])
        if not ok:
            problems.append(f"{where}: docs range {m.group(0)!r}, schema "
                            f"{'(' if f['min_open'] else '['}{f['min']}, {f['max_field'] or f['max']}"
                            f"{')' if f['max_open'] else ']'}")


for kind, schema in schemas.items():
    rows = tables(kind)
    if rows is None:
        problems.append(f"{kind}: no '## Kind `{kind}`' section with a config table")
        continue
    fields = {f["name"]: f for f in schema["fields"]}
    rows_by_key = {}
    for row in rows:
        keys = re.findall(r"`([^`]+)`", row[0]) if len(row) == 4 else []
        if len(keys) != 1:
            problems.append(f"{kind}: one key per row, four cells please: {row}")
            continue
        rows_by_key[keys[0]] = row
    for key, row in rows_by_key.items():
        if "." in key:
            if key.split(".")[0] not in fields:
                problems.append(f"{kind}.{key}: documented but not in the schema")
            continue  # checked with its object
        if row[2] == "(answer only)":
            if key in fields:
                problems.append(f"{kind}.{key}: documented as answer only but the schema reads it")
        elif key not in fields:
            problems.append(f"{kind}.{key}: documented but not in the schema")
        else:
            check_field(f"{kind}.{key}", fields[key], row[2], row[3], rows_by_key, key + ".")
    for name in fields:
        if name not in rows_by_key:
            problems.append(f"{kind}.{name}: in the schema but not in docs/wasm-api.md")
    section = re.search(r"^## Kind `%s`.*?(?=^## |\Z)" % re.escape(kind), doc, re.M | re.S).group(0)
    for name, f in fields.items():
        for choice, preset in (f.get("presets") or {}).items():
            m = re.search(r"`%s` brings `(\{[^`]*\})`" % re.escape(choice), section)
            documented = json.loads(m.group(1)) if m else None
            if documented is None or sorted(documented) != sorted(preset) or \
                    any(not same(documented[k], preset[k]) for k in preset):
                problems.append(f"{kind}.{name} preset {choice}: docs {m.group(1) if m else 'none'}, "
                                f"schema {json.dumps(preset, sort_keys=True)}")

for p in problems:
    print("FAIL", p)
print(f"{len(problems)} disagreement(s) between docs/wasm-api.md and the schema" if problems
      else f"ok   docs/wasm-api.md agrees with the schema of {', '.join(schemas)}")
sys.exit(1 if problems else 0)
