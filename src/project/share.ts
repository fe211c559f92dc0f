/**
 * Share links: the project JSON, deflated with fflate and written as base64url into the URL
 * hash as `#g=<data>`. The hash never reaches a server, so a shared graph stays on the
 * machines of the people who open it. Opening a link validates it with the project schema.
 */
import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
import type { Graph } from '../graph/types';
import { makeProject, parseProjectText, type ProjectResult } from './schema';

export const SHARE_HASH_KEY = 'g';

/** Maximum length of a hash payload, in characters: far above any real graph, so a longer one is junk. */
export const MAX_SHARE_CHARS = 2_000_000;

/** Largest inflated project read from a link, in bytes, so a small link cannot expand to gigabytes. */
export const MAX_SHARE_BYTES = 10_000_000;

/** Input bytes given to the inflater at a time, which bounds how far one step can overshoot the limit. */
const INFLATE_CHUNK = 1024;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let start = 0; start < bytes.length; start += step) {
    binary += String.fromCharCode(...bytes.subarray(start, start + step));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Inflates raw deflate data, or returns `null` when it is corrupt or expands past `limit` bytes. */
function inflateLimited(data: Uint8Array, limit: number): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limit) {
      tooLarge = true;
      throw new RangeError('inflated data exceeds the limit');
    }
    chunks.push(chunk.slice());
  });

  try {
    for (let start = 0; start < data.length; start += INFLATE_CHUNK) {
      const end = Math.min(start + INFLATE_CHUNK, data.length);
      inflater.push(data.subarray(start, end), end === data.length);
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch {
    return null;
  }
  if (tooLarge) return null;

  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Encodes `graph` as the hash of a share link, without the leading `#`: `g=<base64url>`. */
export function encodeShareHash(graph: Graph): string {
  const json = JSON.stringify(makeProject(graph));
  return `${SHARE_HASH_KEY}=${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/** Builds a share link from `base` (the page address; any hash is dropped) and the graph. */
export function shareLink(base: string, graph: Graph): string {
  return `${base.split('#')[0]}#${encodeShareHash(graph)}`;
}

/** Extracts the payload of `g=` from a hash such as `#g=…`, or returns `null` when there is none. */
export function sharePayload(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get(SHARE_HASH_KEY);
}

/**
 * Reads the graph from a share hash (`#g=…`, with or without `#`). Returns the validated
 * project, or a message saying why the link cannot be opened.
 */
export function decodeShareHash(hash: string): ProjectResult {
  const payload = sharePayload(hash);
  if (payload === null) return { ok: false, message: 'The link contains no graph: its address has no #g= part', problems: [] };
  if (payload.length > MAX_SHARE_CHARS) {
    return {
      ok: false,
      message: `The share link is ${payload.length.toLocaleString('en-US')} characters long, more than the ${MAX_SHARE_CHARS.toLocaleString('en-US')} Layerlab reads; save the project as a file instead`,
      problems: [],
    };
  }

  const compressed = fromBase64Url(payload);
  if (!compressed) {
    return { ok: false, message: 'The share link is damaged: the part after #g= is not base64url text; copy the whole link again', problems: [] };
  }
  const bytes = inflateLimited(compressed, MAX_SHARE_BYTES);
  if (!bytes) {
    return {
      ok: false,
      message: `The share link is damaged or expands past ${MAX_SHARE_BYTES.toLocaleString('en-US')} bytes, so it cannot be opened; copy the whole link again`,
      problems: [],
    };
  }

  let text: string;
  try {
    text = strFromU8(bytes);
  } catch {
    return { ok: false, message: 'The share link is damaged: its content is not UTF-8 text; copy the whole link again', problems: [] };
  }
  return parseProjectText(text, { checkLayers: true, subject: 'share link' });
}
