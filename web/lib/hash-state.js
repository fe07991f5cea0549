// hash-state.js: a page's state as one declarative table of fields, and the pure functions that
// turn a URL hash into a valid state of that table and back. Every page uses it: the toy lab's
// table is web/lib/state.js, the other pages' tables are web/lib/page-states.js.
//
// What it is: a field is {name, key, type, def, ...} with
//   int | float      min, max (minOpen, maxOpen: that end excluded) `n=5`, `lr=0.001`
//   enum             values: strings or numbers                   `model=relu`, `latents=256`
//   bool             '1'/'true', '0'/'false'                       `autoplay=0`
//   floats | enums   comma lists: maxLen (minLen), and the range    `p=1,0.1`, `views=grid,loss`
//                    or values of their items
//   text             a string matching `pattern` (maxLength chars) `direction=latent:3`
// plus optional `accepts` (the text that says what the field takes, for notes). `table(fields,
// opts)` returns {fields, byKey, byName, defaults(), parse(hash), serialise(state)}: parse is
// total (any string gives a state whose every field is in range; never throws) and explains each
// fallback in `notes` (plain text for textContent, hostile input clipped); parse(serialise(s))
// gives s back for every state parse can return.
// What it is not: no DOM (node's test runner imports it as is; page-boot.js puts it on a page)
// and no page logic: cross-field rules come in as opts.reconcile, presets as opts.preset.
// Reference: tensorflow/playground src/state.ts (one table, serialised to the hash).
//
// Hash grammar: `#key=value&key=value`, percent-encoded, '+' as a space. Unknown keys and
// malformed values fall back to the default (the last of repeated keys wins).

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function inRange(f, x) {
  if (f.minOpen ? !(x > f.min) : !(x >= f.min)) return false;
  return f.maxOpen ? x < f.max : x <= f.max;
}

function rangeText(f) {
  return `${f.minOpen ? '(' : '['}${f.min}, ${f.max}${f.maxOpen ? ')' : ']'}`;
}

/** Describe what a field accepts, for notes. */
export function describe(f) {
  if (f.accepts) return f.accepts;
  switch (f.type) {
    case 'int': return `a whole number in ${rangeText(f)}`;
    case 'float': return `a number in ${rangeText(f)}`;
    case 'enum': return `one of ${f.values.filter((v) => v !== '').join(', ')}`;
    case 'bool': return '0 or 1';
    case 'floats': return `up to ${f.maxLen} comma-separated numbers in ${rangeText(f)}`;
    case 'enums': return `a comma-separated list of ${f.values.join(', ')}`;
    case 'text': return `text of the form ${f.pattern}`;
    default: return 'a valid value';
  }
}

/**
 * Parse one raw string for field f. Returns {ok: true, value} or {ok: false}.
 * Pure and total: never throws. Numbers: "-0" is 0 (a state must round-trip through its hash).
 */
export function parseValue(f, raw) {
  const s = String(raw).trim();
  switch (f.type) {
    case 'int': {
      if (!INT_RE.test(s)) return { ok: false };
      const x = Number(s) + 0;
      return Number.isSafeInteger(x) && inRange(f, x) ? { ok: true, value: x } : { ok: false };
    }
    case 'float': {
      if (!FLOAT_RE.test(s)) return { ok: false };
      const x = Number(s) + 0;
      return Number.isFinite(x) && inRange(f, x) ? { ok: true, value: x } : { ok: false };
    }
    case 'enum': {
      if (typeof f.values[0] === 'number') {
        if (!FLOAT_RE.test(s)) return { ok: false };
        const x = Number(s);
        return f.values.includes(x) ? { ok: true, value: x } : { ok: false };
      }
      return f.values.includes(s) ? { ok: true, value: s } : { ok: false };
    }
    case 'bool':
      if (s === '1' || s === 'true') return { ok: true, value: true };
      if (s === '0' || s === 'false') return { ok: true, value: false };
      return { ok: false };
    case 'floats': {
      if (s === '') return (f.minLen || 0) === 0 ? { ok: true, value: [] } : { ok: false };
      const parts = s.split(',');
      if (parts.length > f.maxLen || parts.length < (f.minLen || 0)) return { ok: false };
      const out = [];
      for (const p of parts) {
        const r = parseValue({ ...f, type: 'float' }, p);
        if (!r.ok) return { ok: false };
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    case 'enums': {
      if (s === '') return (f.minLen || 0) === 0 ? { ok: true, value: [] } : { ok: false };
      const parts = s.split(',').map((p) => p.trim());
      if (parts.length > f.maxLen || parts.some((p) => !f.values.includes(p))) return { ok: false };
      const value = [...new Set(parts)];
      return value.length >= (f.minLen || 0) ? { ok: true, value } : { ok: false };
    }
    case 'text':
      return s.length <= (f.maxLength || 64) && f.pattern.test(s) ? { ok: true, value: s } : { ok: false };
    default:
      return { ok: false };
  }
}

/** Shortest decimal that round-trips through parseFloat (so URLs stay short and exact). */
export function formatNumber(x) {
  for (let d = 1; d <= 17; d++) {
    const s = Number(x.toPrecision(d));
    if (s === x) return String(s);
  }
  return String(x);
}

/** Format one value for the hash (the inverse of parseValue). */
export function formatValue(f, v) {
  switch (f.type) {
    case 'bool': return v ? '1' : '0';
    case 'floats': return v.map(formatNumber).join(',');
    case 'enums': return v.join(',');
    case 'float': return formatNumber(v);
    case 'enum': return typeof v === 'number' ? formatNumber(v) : String(v);
    default: return String(v);
  }
}

/** Keep untrusted text short in notes (it is shown with textContent, never as HTML). */
export function clip(s, n = 40) {
  const t = String(s);
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

function safeDecode(s) {
  try {
    return { ok: true, value: decodeURIComponent(s.replace(/\+/g, ' ')) };
  } catch {
    return { ok: false };
  }
}

/** Split a hash into decoded [key, value|null] pairs; undecodable parts become notes. */
export function hashPairs(hash) {
  const notes = [];
  const pairs = [];
  const text = String(hash || '').replace(/^#/, '');
  if (text.length > 0) {
    for (const part of text.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const rawKey = eq < 0 ? part : part.slice(0, eq);
      const rawVal = eq < 0 ? null : part.slice(eq + 1);
      const k = safeDecode(rawKey);
      const v = rawVal === null ? { ok: true, value: null } : safeDecode(rawVal);
      if (!k.ok || !v.ok) {
        notes.push({ key: clip(rawKey, 20), text: `could not decode “${clip(part)}”; ignored` });
        continue;
      }
      pairs.push([k.value, v.value]);
    }
  }
  return { pairs, notes };
}

const copy = (v) => (Array.isArray(v) ? v.slice() : v);
const same = (a, b) => (Array.isArray(a) ? Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]) : a === b);
const isEmpty = (v) => v === '' || (Array.isArray(v) && v.length === 0);

/**
 * A page's state table. opts:
 *   omitDefaults  serialise only the fields that differ from their default (short links; the
 *                 experiment pages' links have always been written so) instead of every field;
 *   reconcile(state) → [note]   cross-field rules, applied after the fields (mutates state);
 *   preset: {key, apply(state, id), sets(state, name)}   a field that implies others (the toy
 *                 lab's `preset`, the sae page's `data`): apply sets the field and the values it
 *                 implies; parse applies it before every other key (so the keys a link carries
 *                 override it, wherever they stand), and sets(state, name) says whether the
 *                 state's preset sets field `name` (then serialise always writes it).
 * parse(hash) → {state, notes: [string], ignored: [key]}; serialise(state) → '#k=v&...';
 * applyPreset(state, id): the same apply for a page's menu, so a link and the menu agree
 * (issue 14.4: sae.html#data=toy trained λ 0.3, k 5; the menu's toy set λ 0.6, k 1).
 */
export function table(fields, opts = {}) {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const presetSets = (state, name) => !!(opts.preset && opts.preset.sets(state, name));

  function defaults() {
    const s = {};
    for (const f of fields) s[f.name] = copy(f.def);
    return s;
  }

  function parse(hash) {
    const state = defaults();
    const split = hashPairs(hash);
    const notes = split.notes.map((n) => n.text);
    const ignored = [];
    const bad = new Set();
    const unknown = [];
    const { pairs } = split;
    if (opts.preset) {
      const pair = pairs.filter(([k]) => k === opts.preset.key).pop();
      if (pair) {
        const r = pair[1] === null ? { ok: false } : parseValue(byKey.get(opts.preset.key), pair[1]);
        if (r.ok) opts.preset.apply(state, r.value);
        else {
          const f = byKey.get(opts.preset.key);
          notes.push(f.def === '' ? `unknown preset “${clip(pair[1] ?? '')}”; using the defaults`
            : `“${clip(pair[0])}=${clip(pair[1] ?? '')}” is not ${describe(f)}; using ${clip(formatValue(f, f.def))}`);
          bad.add(opts.preset.key);
        }
      }
    }
    for (const [key, val] of pairs) {
      if (opts.preset && key === opts.preset.key) continue;
      const f = byKey.get(key);
      if (!f) {
        notes.push(`unknown setting “${clip(key)}”; ignored`);
        if (!unknown.includes(clip(key, 20))) unknown.push(clip(key, 20));
        continue;
      }
      const r = val === null ? { ok: false } : parseValue(f, val);
      if (r.ok) { state[f.name] = r.value; bad.delete(f.key); } else {
        // An empty fallback (an optional list) is said as "ignored", never as "using " and a blank.
        const shown = clip(formatValue(f, state[f.name]));
        notes.push(`“${clip(key)}=${clip(val ?? '')}” is not ${describe(f)}; ${shown === '' ? 'ignored' : `using ${shown}`}`);
        bad.add(f.key);
      }
    }
    for (const f of fields) if (bad.has(f.key)) ignored.push(f.key);
    ignored.push(...unknown, ...split.notes.map((n) => n.key));
    if (opts.reconcile) notes.push(...opts.reconcile(state));
    return { state, notes, ignored };
  }

  function serialise(state) {
    const parts = [];
    for (const f of fields) {
      const v = state[f.name];
      if (same(v, f.def) && (opts.omitDefaults || isEmpty(v)) && !presetSets(state, f.name)) continue;
      // Commas and colons are legal in a fragment: keep lists (p=1,0.1) and refs (latent:3) readable.
      parts.push(`${f.key}=${encodeURIComponent(formatValue(f, v)).replace(/%2C/g, ',').replace(/%3A/g, ':')}`);
    }
    return `#${parts.join('&')}`;
  }

  function applyPreset(state, id) {
    if (opts.preset) opts.preset.apply(state, id);
    else throw new Error('this table has no preset field');
    return state;
  }

  return { fields, byName, byKey, defaults, parse, serialise, applyPreset };
}
