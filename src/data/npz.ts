/**
 * Reader for numpy `.npz` files: zip archives of `.npy` files, as written by numpy.savez
 * (entries stored) and numpy.savez_compressed (entries deflate-compressed).
 *
 * This module reads the zip structure itself, following the PKWARE APPNOTE with Zip64 records,
 * so that it can check every declared size before allocating anything. fflate inflates the entries.
 */

import { Inflate } from 'fflate';
import { DataFileError } from './errors';
import { parseNpy, type NpyArray } from './npy';

/** Largest `.npz` file accepted, in bytes (512 MiB). */
export const MAX_NPZ_INPUT_BYTES = 512 * 1024 * 1024;

/**
 * Largest total size of the arrays in one `.npz` file once decompressed, in bytes (2 GiB).
 * This is a judgement, not a measured limit: buffers of this size already strain a browser tab.
 */
export const MAX_NPZ_UNCOMPRESSED_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Upper bound of the DEFLATE compression ratio: a 258-byte match costs at least 2 bits, which gives
 * about 1032:1. An entry that declares more than this relative to its compressed size is forged.
 */
const MAX_DEFLATE_RATIO = 1032;

/** Compressed bytes handed to the inflater per step, which bounds each output chunk to about 64 MiB. */
const INFLATE_CHUNK_BYTES = 64 * 1024;

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const ZIP64_EXTRA_ID = 0x0001;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;

export interface NpzOptions {
  /** File name shown in error messages. */
  name?: string;
  /** Largest input accepted, in bytes; defaults to MAX_NPZ_INPUT_BYTES. */
  maxInputBytes?: number;
  /** Largest total decompressed size accepted, in bytes; defaults to MAX_NPZ_UNCOMPRESSED_BYTES. */
  maxUncompressedBytes?: number;
}

/** One entry of the zip central directory. */
interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/**
 * Parses a `.npz` file into a map from array name (the entry name without `.npy`) to array, in
 * archive order. Entries whose names do not end in `.npy`, and folders, are skipped, as numpy.load
 * does not return them as arrays either. Throws DataFileError on any malformed, oversized or
 * unsupported content.
 */
export function parseNpz(bytes: Uint8Array, options: NpzOptions = {}): Map<string, NpyArray> {
  const name = options.name ?? 'file.npz';
  const maxInputBytes = options.maxInputBytes ?? MAX_NPZ_INPUT_BYTES;
  const maxUncompressedBytes = options.maxUncompressedBytes ?? MAX_NPZ_UNCOMPRESSED_BYTES;

  if (bytes.length > maxInputBytes) {
    throw new DataFileError(
      'file-too-large',
      `${name} is ${formatBytes(bytes.length)}, more than the ${formatBytes(maxInputBytes)} that Layerlab reads. ` +
        'Save a smaller slice of the data, e.g. the first examples, with numpy.savez.',
      name,
    );
  }

  const reader = new ZipReader(bytes, name);
  const entries = reader.readCentralDirectory().filter((entry) => !entry.name.endsWith('/'));
  checkDeclaredSizes(entries, name, maxUncompressedBytes);

  const arrays = new Map<string, NpyArray>();
  for (const entry of entries) {
    if (!entry.name.endsWith('.npy')) continue;
    const arrayName = entry.name.slice(0, -'.npy'.length);
    if (arrays.has(arrayName)) throw reader.invalid(`it contains the entry '${entry.name}' twice`);
    const content = reader.readEntry(entry);
    arrays.set(arrayName, parseNpy(content, `${entry.name} in ${name}`));
  }
  return arrays;
}

/** Rejects archives whose declared sizes exceed the limit or could not come from DEFLATE. */
function checkDeclaredSizes(entries: ZipEntry[], name: string, maxUncompressedBytes: number): void {
  let total = 0;
  for (const entry of entries) {
    const possible =
      entry.method === METHOD_STORED ? entry.compressedSize : entry.compressedSize * MAX_DEFLATE_RATIO + 1024;
    if (entry.uncompressedSize > possible) {
      throw new DataFileError(
        'zip-bomb',
        `${name} is rejected: its entry '${entry.name}' declares ${entry.uncompressedSize} bytes from ` +
          `${entry.compressedSize} compressed bytes, more than compression can produce, so the archive is forged ` +
          'or corrupt. Save the arrays again with numpy.savez.',
        name,
      );
    }
    total += entry.uncompressedSize;
  }
  if (total > maxUncompressedBytes) {
    throw new DataFileError(
      'file-too-large',
      `${name} declares ${formatBytes(total)} of arrays once decompressed, more than the ` +
        `${formatBytes(maxUncompressedBytes)} that Layerlab reads. Save a smaller slice of the data with numpy.savez.`,
      name,
    );
  }
}

class ZipReader {
  private readonly view: DataView;
  /** Start of the central directory; entry data must end before it. */
  private directoryOffset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly name: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  invalid(reason: string): DataFileError {
    return new DataFileError(
      'invalid-npz',
      `${this.name} is not a valid .npz: ${reason}. Re-save it with numpy.savez or numpy.savez_compressed.`,
      this.name,
    );
  }

  private u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }

  private u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }

  private u64(offset: number, field: string): number {
    const value = this.view.getBigUint64(offset, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.invalid(`its ${field} ${value} is out of range`);
    return Number(value);
  }

  /** Throws unless `length` bytes starting at `offset` lie inside the file. */
  private require(offset: number, length: number, part: string): void {
    if (offset < 0 || offset + length > this.bytes.length) {
      throw this.invalid(`the ${part} at byte ${offset} runs past the end of the file, which is truncated`);
    }
  }

  readCentralDirectory(): ZipEntry[] {
    const eocd = this.findEndOfCentralDirectory();
    if (this.u16(eocd + 4) !== 0 || this.u16(eocd + 6) !== 0) {
      throw this.invalid('it is split over several disks, which is not supported');
    }
    let count = this.u16(eocd + 10);
    let directorySize = this.u32(eocd + 12);
    let directoryOffset = this.u32(eocd + 16);

    // Zip64 archives (numpy writes them for large arrays) keep the real values in a second record.
    const locator = eocd - 20;
    if (locator >= 0 && this.u32(locator) === ZIP64_LOCATOR_SIGNATURE) {
      const record = this.u64(locator + 8, 'Zip64 record offset');
      this.require(record, 56, 'Zip64 end of central directory');
      if (this.u32(record) !== ZIP64_EOCD_SIGNATURE) throw this.invalid('its Zip64 end of central directory is missing');
      count = this.u64(record + 32, 'entry count');
      directorySize = this.u64(record + 40, 'central directory size');
      directoryOffset = this.u64(record + 48, 'central directory offset');
    }

    this.require(directoryOffset, directorySize, 'central directory');
    this.directoryOffset = directoryOffset;
    const entries: ZipEntry[] = [];
    let offset = directoryOffset;
    for (let i = 0; i < count; i++) {
      const entry = this.readCentralHeader(offset);
      entries.push(entry.entry);
      offset = entry.next;
    }
    if (offset > directoryOffset + directorySize) throw this.invalid('its central directory is longer than declared');
    return entries;
  }

  private findEndOfCentralDirectory(): number {
    // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end of the file.
    const last = this.bytes.length - 22;
    const first = Math.max(0, last - 65_535);
    for (let offset = last; offset >= first; offset--) {
      if (this.u32(offset) === EOCD_SIGNATURE && offset + 22 + this.u16(offset + 20) <= this.bytes.length) {
        return offset;
      }
    }
    if (this.bytes.length === 0) throw this.invalid('the file is empty');
    throw this.invalid('it has no zip end-of-central-directory record, so it is truncated or not a zip archive');
  }

  private readCentralHeader(offset: number): { entry: ZipEntry; next: number } {
    this.require(offset, 46, 'central directory entry');
    if (this.u32(offset) !== CENTRAL_HEADER_SIGNATURE) {
      throw this.invalid(`the central directory entry at byte ${offset} has a wrong signature`);
    }
    const flags = this.u16(offset + 8);
    const method = this.u16(offset + 10);
    const nameLength = this.u16(offset + 28);
    const extraLength = this.u16(offset + 30);
    const commentLength = this.u16(offset + 32);
    this.require(offset + 46, nameLength + extraLength, 'central directory entry');

    // Bit 11 marks UTF-8 names; older archives use code page 437, read here as latin-1, which
    // agrees with it on the ASCII names numpy writes.
    const nameBytes = this.bytes.subarray(offset + 46, offset + 46 + nameLength);
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(nameBytes);

    const entry: ZipEntry = {
      name,
      method,
      flags,
      crc32: this.u32(offset + 16),
      compressedSize: this.u32(offset + 20),
      uncompressedSize: this.u32(offset + 24),
      localHeaderOffset: this.u32(offset + 42),
    };
    this.applyZip64Extra(entry, offset + 46 + nameLength, extraLength);

    if (flags & 0x1) throw this.invalid(`its entry '${name}' is encrypted, which numpy never does`);
    if (method !== METHOD_STORED && method !== METHOD_DEFLATE) {
      throw this.invalid(`its entry '${name}' uses compression method ${method}; only stored (0) and deflate (8) are supported`);
    }
    return { entry, next: offset + 46 + nameLength + extraLength + commentLength };
  }

  /** Replaces 0xFFFFFFFF size and offset fields by their 64-bit values from the Zip64 extra field. */
  private applyZip64Extra(entry: ZipEntry, start: number, length: number): void {
    const end = start + length;
    for (let offset = start; offset + 4 <= end; ) {
      const id = this.u16(offset);
      const size = this.u16(offset + 2);
      if (offset + 4 + size > end) throw this.invalid(`the extra field of entry '${entry.name}' is truncated`);
      if (id === ZIP64_EXTRA_ID) {
        let field = offset + 4;
        const fieldEnd = field + size;
        const take = (fieldName: string): number => {
          if (field + 8 > fieldEnd) throw this.invalid(`the Zip64 field of entry '${entry.name}' lacks its ${fieldName}`);
          const value = this.u64(field, fieldName);
          field += 8;
          return value;
        };
        if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = take('uncompressed size');
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = take('compressed size');
        if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take('local header offset');
      }
      offset += 4 + size;
    }
  }

  /** Returns the decompressed content of an entry, checked against its declared size and CRC-32. */
  readEntry(entry: ZipEntry): Uint8Array {
    const header = entry.localHeaderOffset;
    this.require(header, 30, `local header of entry '${entry.name}'`);
    if (this.u32(header) !== LOCAL_HEADER_SIGNATURE) {
      throw this.invalid(`the local header of entry '${entry.name}' at byte ${header} has a wrong signature`);
    }
    const dataStart = header + 30 + this.u16(header + 26) + this.u16(header + 28);
    this.require(dataStart, entry.compressedSize, `data of entry '${entry.name}'`);
    if (dataStart + entry.compressedSize > this.directoryOffset) {
      throw this.invalid(`the data of entry '${entry.name}' overlaps the central directory, so the file is truncated or corrupt`);
    }
    const compressed = this.bytes.subarray(dataStart, dataStart + entry.compressedSize);

    const content = entry.method === METHOD_STORED ? compressed : this.inflateEntry(entry, compressed);
    if (crc32(content) !== entry.crc32) {
      throw this.invalid(`the CRC-32 checksum of entry '${entry.name}' does not match its content, so the file is corrupt`);
    }
    return content;
  }

  /**
   * Inflates step by step into a buffer of the declared size, and stops as soon as the output
   * would exceed it, so a forged entry never allocates more than it declares.
   */
  private inflateEntry(entry: ZipEntry, compressed: Uint8Array): Uint8Array {
    const out = new Uint8Array(entry.uncompressedSize);
    let written = 0;
    const inflater = new Inflate((chunk) => {
      if (written + chunk.length > out.length) {
        throw new DataFileError(
          'zip-bomb',
          `${this.name} is rejected: its entry '${entry.name}' inflates to more than the ${entry.uncompressedSize} ` +
            'bytes it declares, so the archive is forged or corrupt. Save the arrays again with numpy.savez.',
          this.name,
        );
      }
      out.set(chunk, written);
      written += chunk.length;
    });

    try {
      for (let offset = 0; offset < compressed.length; offset += INFLATE_CHUNK_BYTES) {
        const end = Math.min(offset + INFLATE_CHUNK_BYTES, compressed.length);
        inflater.push(compressed.subarray(offset, end), end === compressed.length);
      }
      if (compressed.length === 0) inflater.push(compressed, true);
    } catch (error) {
      if (error instanceof DataFileError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw this.invalid(`the compressed data of entry '${entry.name}' cannot be inflated (${reason})`);
    }

    if (written !== out.length) {
      throw this.invalid(`entry '${entry.name}' inflates to ${written} bytes but declares ${out.length}`);
    }
    return out;
  }
}

let crcTables: Uint32Array[] | undefined;

/** The eight lookup tables of slicing-by-8 CRC-32, built on first use. */
function buildCrcTables(): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) tables[k][n] = (tables[k - 1][n] >>> 8) ^ tables[0][tables[k - 1][n] & 0xff];
  }
  return tables;
}

/**
 * Computes the CRC-32 (IEEE 802.3, polynomial 0xEDB88320) that zip stores for each entry,
 * eight bytes per step (slicing-by-8), which is about four times faster than a byte at a time.
 */
export function crc32(bytes: Uint8Array): number {
  crcTables ??= buildCrcTables();
  const [t0, t1, t2, t3, t4, t5, t6, t7] = crcTables;
  let crc = 0xffffffff;
  let i = 0;
  const whole = bytes.length - (bytes.length % 8);
  for (; i < whole; i += 8) {
    crc ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    crc =
      t7[crc & 0xff] ^
      t6[(crc >>> 8) & 0xff] ^
      t5[(crc >>> 16) & 0xff] ^
      t4[crc >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = t0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Formats a byte count for messages, e.g. "512 MiB" or "1.3 KiB". */
export function formatBytes(count: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}
