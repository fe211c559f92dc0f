import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/data/errors';
import { crc32, formatBytes, MAX_NPZ_INPUT_BYTES, parseNpz, type NpzOptions } from '../../src/data/npz';
import { forgeUncompressedSize, writeNpy, writeNpz } from './fixtures';

function catchDataError(action: () => unknown): DataFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError, but nothing was thrown');
}

function parse(bytes: Uint8Array, options: NpzOptions = {}) {
  return parseNpz(bytes, { name: 'test.npz', ...options });
}

const features = writeNpy({ code: 'f8', shape: [3, 2], values: [1, 2, 3, 4, 5, 6] });
const labels = writeNpy({ code: 'i8', littleEndian: false, shape: [3], values: [0, 1, 0] });

describe('parseNpz', () => {
  it.each([false, true])('reads arrays with compression %s', (compressed) => {
    const arrays = parse(writeNpz({ x: features, y: labels }, compressed));

    expect([...arrays.keys()]).toEqual(['x', 'y']);
    expect(arrays.get('x')?.shape).toEqual([3, 2]);
    expect(Array.from(arrays.get('x')!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(arrays.get('y')?.dtype).toBe('int64');
    expect(Array.from(arrays.get('y')!.data)).toEqual([0, 1, 0]);
  });

  it('reads a mix of stored and deflated entries', () => {
    const zip = zipSync({ 'a.npy': [features, { level: 0 }], 'b.npy': [labels, { level: 9 }] });

    expect([...parse(zip).keys()]).toEqual(['a', 'b']);
  });

  it('skips entries that are not .npy files', () => {
    const zip = zipSync({ 'notes.txt': new TextEncoder().encode('hello'), 'folder/': new Uint8Array(0), 'x.npy': features });

    expect([...parse(zip).keys()]).toEqual(['x']);
  });

  it('returns an empty map for an archive without arrays', () => {
    expect(parse(zipSync({})).size).toBe(0);
  });

  it('reads a zero-size array and a large compressible one', () => {
    const empty = writeNpy({ code: 'f4', shape: [0, 5], values: [] });
    const zeros = writeNpy({ code: 'u1', shape: [1000, 1000], values: new Array(1_000_000).fill(0) });

    const arrays = parse(writeNpz({ empty, zeros }, true));

    expect(arrays.get('empty')?.data.length).toBe(0);
    expect(arrays.get('zeros')?.data.length).toBe(1_000_000);
  });

  it('names the entry when an array inside is invalid', () => {
    const bad = writeNpy({ code: 'i8', shape: [1], values: [2n ** 40n] });

    const error = catchDataError(() => parse(writeNpz({ tokens: bad }, true)));

    expect(error.code).toBe('integer-overflow');
    expect(error.message).toContain('tokens.npy in test.npz');
  });
});

describe('parseNpz invalid archives', () => {
  const zip = writeNpz({ x: features, y: labels }, true);

  it.each([0.3, 0.6, 0.9, 0.99])('rejects an archive cut at %d of its length', (fraction) => {
    const error = catchDataError(() => parse(zip.subarray(0, Math.floor(zip.length * fraction))));

    expect(error.code).toBe('invalid-npz');
    expect(error.message).toMatch(/^test\.npz is not a valid \.npz: .*Re-save it with numpy\.savez/);
  });

  it('rejects an archive whose data is cut but whose directory is intact', () => {
    const stored = writeNpz({ x: features }, false);
    const directoryStart = stored.length - 22 - (46 + 'x.npy'.length);
    const cut = new Uint8Array(stored.length - 40);
    cut.set(stored.subarray(0, directoryStart - 40));
    cut.set(stored.subarray(directoryStart), directoryStart - 40);
    // Shift the directory offset to where the directory now lies.
    const view = new DataView(cut.buffer);
    view.setUint32(cut.length - 22 + 16, directoryStart - 40, true);

    const error = catchDataError(() => parse(cut));

    expect(error.code).toBe('invalid-npz');
    expect(error.message).toContain("data of entry 'x.npy' overlaps the central directory");
  });

  it('rejects bytes that are not a zip archive', () => {
    const error = catchDataError(() => parse(features));

    expect(error.message).toContain('no zip end-of-central-directory record');
  });

  it('rejects an empty file', () => {
    const error = catchDataError(() => parse(new Uint8Array(0)));

    expect(error.message).toContain('the file is empty');
  });

  it('rejects corrupt stored data by its checksum', () => {
    const stored = writeNpz({ x: features }, false);
    const corrupt = stored.slice();
    corrupt[200] ^= 0xff; // a data byte of the first entry, past its 30 + 5 byte local header and 128 byte npy header

    const error = catchDataError(() => parse(corrupt));

    expect(error.message).toContain('CRC-32');
  });

  it('rejects corrupt deflate data', () => {
    const corrupt = zip.slice();
    for (let i = 40; i < 60; i++) corrupt[i] = 0xff;

    const error = catchDataError(() => parse(corrupt));

    expect(error.code).toBe('invalid-npz');
  });

  it('rejects an unsupported compression method', () => {
    const patched = zip.slice();
    const view = new DataView(patched.buffer);
    const directory = view.getUint32(patched.length - 22 + 16, true);
    view.setUint16(directory + 10, 12, true); // bzip2

    const error = catchDataError(() => parse(patched));

    expect(error.message).toContain('compression method 12');
  });
});

describe('parseNpz size limits', () => {
  it('rejects input over the maximum size', () => {
    const zip = writeNpz({ x: features }, false);

    const error = catchDataError(() => parse(zip, { maxInputBytes: zip.length - 1 }));

    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain(`${zip.length} bytes, more than the ${zip.length - 1} bytes`);
  });

  it('has a default input limit of 512 MiB', () => {
    expect(MAX_NPZ_INPUT_BYTES).toBe(512 * 1024 * 1024);
    expect(formatBytes(MAX_NPZ_INPUT_BYTES)).toBe('512 MiB');
  });

  it('rejects an entry that inflates beyond its declared size', () => {
    const zeros = writeNpy({ code: 'u1', shape: [1_000_000], values: new Array(1_000_000).fill(0) });
    const forged = forgeUncompressedSize(writeNpz({ zeros }, true), 'zeros.npy', 1000);

    const error = catchDataError(() => parse(forged));

    expect(error.code).toBe('zip-bomb');
    expect(error.message).toContain("entry 'zeros.npy' inflates to more than the 1000 bytes it declares");
  });

  it('rejects an entry that inflates to less than its declared size', () => {
    const forged = forgeUncompressedSize(writeNpz({ x: features }, true), 'x.npy', features.length + 10);

    const error = catchDataError(() => parse(forged));

    expect(error.code).toBe('invalid-npz');
    expect(error.message).toContain(`inflates to ${features.length} bytes but declares ${features.length + 10}`);
  });

  it('rejects a declared size that compression cannot produce', () => {
    const forged = forgeUncompressedSize(writeNpz({ x: features }, true), 'x.npy', 0xfffffff0);

    const error = catchDataError(() => parse(forged));

    expect(error.code).toBe('zip-bomb');
    expect(error.message).toContain('more than compression can produce');
  });

  it('rejects a stored entry whose declared size differs from its data', () => {
    const forged = forgeUncompressedSize(writeNpz({ x: features }, false), 'x.npy', features.length + 1);

    const error = catchDataError(() => parse(forged));

    expect(error.code).toBe('zip-bomb');
  });

  it('rejects declared sizes over the decompressed limit', () => {
    const zeros = writeNpy({ code: 'u1', shape: [100_000], values: new Array(100_000).fill(0) });

    const error = catchDataError(() => parse(writeNpz({ zeros }, true), { maxUncompressedBytes: 50_000 }));

    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('more than the 48.8 KiB that Layerlab reads');
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});
