// zip.js: the smallest zip archive writer and reader the pages need (issue 7): a SAELens folder
// (cfg.json + sae_weights.safetensors) leaves the page as one .zip download and comes back in
// as one. The layout is PKWARE's APPNOTE.TXT (local file headers, central directory, end of
// central directory record), little-endian, CRC-32 with the polynomial 0xEDB88320.
// What it is: zipStore writes stored (uncompressed) entries; unzip reads stored and deflated
// entries (deflate through the browser's DecompressionStream('deflate-raw')), checks every
// CRC-32 and size, and refuses what it does not read (encryption, zip64, other methods, archives
// split over disks) with a message naming the entry.
// What it is not: no compression on writing (safetensors floats barely compress), no zip64
// (4 GB and 65535 entries are far beyond a page's SAE), no file system access.

const MAX_ENTRY_BYTES = 512 * 1024 * 1024;  // a bigger entry is refused before inflating it

let crcTable = null;
/** CRC-32 (IEEE 802.3, as zip and gzip use) of bytes. */
export function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// MS-DOS date and time of a Date (zip's only required timestamp; 2 s resolution, from 1980).
function dosDateTime(date) {
  const y = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((y - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * A zip archive of stored entries. files: [{name, bytes: Uint8Array}], names as paths with '/'
 * (UTF-8; general purpose flag bit 11 says so). Returns the archive's bytes.
 */
export function zipStore(files, date = new Date()) {
  if (!Array.isArray(files) || files.length === 0) throw new Error('zip: nothing to store');
  if (files.length > 0xffff) throw new Error('zip: more than 65535 entries');
  const enc = new TextEncoder();
  const { time, date: day } = dosDateTime(date);
  const entries = files.map((f) => {
    if (!f || typeof f.name !== 'string' || !f.name || f.name.startsWith('/')) throw new Error('zip: each entry needs a relative name');
    if (!(f.bytes instanceof Uint8Array)) throw new Error(`zip: ${f.name}: bytes must be a Uint8Array`);
    const name = enc.encode(f.name);
    if (name.length > 0xffff) throw new Error(`zip: ${f.name}: name too long`);
    return { name, bytes: f.bytes, crc: crc32(f.bytes) };
  });
  let size = 22;
  for (const e of entries) size += 30 + e.name.length + e.bytes.length + 46 + e.name.length;
  if (size > 0xffffffff) throw new Error('zip: archive larger than 4 GB (zip64 is not written)');
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let at = 0;
  const u16 = (v) => { dv.setUint16(at, v, true); at += 2; };
  const u32 = (v) => { dv.setUint32(at, v >>> 0, true); at += 4; };
  const common = (e) => {  // version needed .. extra field length, shared by both headers
    u16(20); u16(0x0800); u16(0); u16(time); u16(day);
    u32(e.crc); u32(e.bytes.length); u32(e.bytes.length);
    u16(e.name.length); u16(0);
  };
  for (const e of entries) {
    e.offset = at;
    u32(0x04034b50);
    common(e);
    out.set(e.name, at); at += e.name.length;
    out.set(e.bytes, at); at += e.bytes.length;
  }
  const cdStart = at;
  for (const e of entries) {
    u32(0x02014b50);
    u16(20);  // version made by: 2.0, MS-DOS attributes
    common(e);
    u16(0); u16(0); u16(0); u32(0);  // comment length, disk, internal and external attributes
    u32(e.offset);
    out.set(e.name, at); at += e.name.length;
  }
  const cdSize = at - cdStart;
  u32(0x06054b50);
  u16(0); u16(0); u16(entries.length); u16(entries.length);
  u32(cdSize); u32(cdStart); u16(0);
  return out;
}

async function inflateRaw(bytes, expected, name) {
  if (typeof DecompressionStream !== 'function') throw new Error(`zip: ${name} is deflated and this browser cannot inflate (no DecompressionStream)`);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const out = new Uint8Array(expected);
  let at = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > expected) throw new Error(`zip: ${name} inflates to more than its recorded ${expected} bytes`);
      out.set(value, at);
      at += value.length;
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e.message && e.message.startsWith('zip:') ? e : new Error(`zip: ${name}: the deflated data is corrupt`);
  }
  if (at !== expected) throw new Error(`zip: ${name} inflates to ${at} bytes, its header says ${expected}`);
  return out;
}

/**
 * The entries of a zip archive: [{name, bytes: Uint8Array}] in the central directory's order
 * (folders left out). Rejects with an Error whose message starts 'zip: ' for anything malformed
 * or unsupported.
 */
export async function unzip(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  if (n < 22) throw new Error('zip: the file is too short to be a zip archive');
  // The end of central directory record: the last signature within the comment's 64 KB reach.
  let eocd = -1;
  for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === 0x06054b50 && i + 22 + dv.getUint16(i + 20, true) === n) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('zip: no end of central directory record (not a zip archive, or truncated)');
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 6, true) !== 0) throw new Error('zip: archives split over several disks are not supported');
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdStart = dv.getUint32(eocd + 16, true);
  if (cdStart === 0xffffffff || count === 0xffff) throw new Error('zip: zip64 archives are not supported');
  if (cdStart + cdSize > eocd) throw new Error('zip: the central directory runs past its end record');
  const dec = new TextDecoder('utf-8', { fatal: false });
  const out = [];
  let at = cdStart;
  for (let k = 0; k < count; k++) {
    if (at + 46 > cdStart + cdSize || dv.getUint32(at, true) !== 0x02014b50) throw new Error(`zip: central directory entry ${k} is malformed`);
    const flags = dv.getUint16(at + 8, true);
    const method = dv.getUint16(at + 10, true);
    const crc = dv.getUint32(at + 16, true);
    const csize = dv.getUint32(at + 20, true);
    const usize = dv.getUint32(at + 24, true);
    const nameLen = dv.getUint16(at + 28, true);
    const extraLen = dv.getUint16(at + 30, true);
    const commentLen = dv.getUint16(at + 32, true);
    const local = dv.getUint32(at + 42, true);
    if (at + 46 + nameLen > n) throw new Error(`zip: central directory entry ${k} is truncated`);
    const name = dec.decode(bytes.subarray(at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;  // a folder
    if (flags & 1) throw new Error(`zip: ${name} is encrypted`);
    if (csize === 0xffffffff || usize === 0xffffffff || local === 0xffffffff) throw new Error(`zip: ${name} needs zip64, which is not supported`);
    if (method !== 0 && method !== 8) throw new Error(`zip: ${name} uses compression method ${method} (only stored and deflated are read)`);
    if (usize > MAX_ENTRY_BYTES) throw new Error(`zip: ${name} is larger than ${MAX_ENTRY_BYTES >> 20} MB`);
    if (local + 30 > n || dv.getUint32(local, true) !== 0x04034b50) throw new Error(`zip: ${name}: no local header where the directory points`);
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    if (start + csize > n) throw new Error(`zip: ${name} runs past the end of the archive (truncated?)`);
    const raw = bytes.subarray(start, start + csize);
    let data;
    if (method === 0) {
      if (csize !== usize) throw new Error(`zip: ${name} is stored with two different sizes`);
      data = raw.slice();
    } else {
      data = await inflateRaw(raw, usize, name);
    }
    if (crc32(data) !== crc) throw new Error(`zip: ${name} fails its CRC-32 check (corrupt archive)`);
    out.push({ name, bytes: data });
  }
  return out;
}
