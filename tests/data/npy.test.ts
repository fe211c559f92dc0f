import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/data/errors';
import { float16ToNumber, formatShape, parseNpy, parseNpyHeader, storageTypeOf, type NpyArray } from '../../src/data/npy';
import { parsePyLiteral, PyLiteralError } from '../../src/data/pyliteral';
import { ALL_TYPE_CODES, descrOf, float16Bits, writeNpy, type TypeCode } from './fixtures';

/** Runs `action` and returns the DataFileError it throws; fails the test if it throws nothing else. */
function catchDataError(action: () => unknown): DataFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError, but nothing was thrown');
}

const DTYPE_NAMES: Record<TypeCode, string> = {
  b1: 'bool', i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64', u1: 'uint8', u2: 'uint16', u4: 'uint32',
  u8: 'uint64', f2: 'float16', f4: 'float32', f8: 'float64',
};

/** Values that each dtype represents exactly, in C order, for a (2, 3, 4) array. */
function sampleValues(code: TypeCode): Array<number | boolean> {
  return Array.from({ length: 24 }, (_, i) => {
    switch (code) {
      case 'b1': return i % 3 === 0;
      case 'i1': case 'i2': case 'i4': case 'i8': return i * 5 - 60;
      case 'f2': case 'f4': case 'f8': return (i - 12) * 0.25;
      default: return i * 7;
    }
  });
}

describe('parseNpy round trips', () => {
  const cases = ALL_TYPE_CODES.flatMap((code) =>
    [true, false].flatMap((littleEndian) =>
      [false, true].map((fortranOrder) => ({ code, littleEndian, fortranOrder })),
    ),
  );

  it.each(cases)('$code little-endian $littleEndian Fortran $fortranOrder', ({ code, littleEndian, fortranOrder }) => {
    const values = sampleValues(code);
    const bytes = writeNpy({ code, littleEndian, shape: [2, 3, 4], values, fortranOrder });

    const array = parseNpy(bytes, 'sample.npy');

    expect(array.shape).toEqual([2, 3, 4]);
    expect(array.dtype).toBe(DTYPE_NAMES[code]);
    expect(Array.from(array.data)).toEqual(values.map(Number));
  });

  it('converts to the storage type of each dtype', () => {
    const expected: Record<TypeCode, string> = {
      b1: 'Uint8Array', u1: 'Uint8Array', i1: 'Int32Array', i2: 'Int32Array', i4: 'Int32Array', i8: 'Int32Array',
      u2: 'Int32Array', u4: 'Int32Array', u8: 'Int32Array', f2: 'Float32Array', f4: 'Float32Array', f8: 'Float32Array',
    };
    for (const code of ALL_TYPE_CODES) {
      const array = parseNpy(writeNpy({ code, shape: [3], values: [0, 1, 1] }));
      expect(array.data.constructor.name, code).toBe(expected[code]);
      expect(storageTypeOf(array.dtype), code).toBe(expected[code].replace('Array', '').toLowerCase());
    }
  });

  it.each([1, 2, 3] as const)('reads format version %i.0', (version) => {
    const bytes = writeNpy({ code: 'i4', shape: [2, 2], values: [1, 2, 3, 4], version });

    const header = parseNpyHeader(bytes);
    const array = parseNpy(bytes);

    expect(header.version).toBe(`${version}.0`);
    expect(header.dataOffset % 64).toBe(0);
    expect(Array.from(array.data)).toEqual([1, 2, 3, 4]);
  });

  it('transposes a Fortran-order 2-D array to C order', () => {
    // numpy.asfortranarray([[1, 2, 3], [4, 5, 6]]) stores the columns: 1 4 2 5 3 6.
    const bytes = writeNpy({ code: 'i4', shape: [2, 3], values: [1, 2, 3, 4, 5, 6], fortranOrder: true });
    const fileData = new Int32Array(bytes.slice(bytes.length - 24).buffer);

    const array = parseNpy(bytes);

    expect(Array.from(fileData)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(array.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads a scalar of shape ()', () => {
    const array = parseNpy(writeNpy({ code: 'f8', littleEndian: false, shape: [], values: [2.5] }));

    expect(array.shape).toEqual([]);
    expect(Array.from(array.data)).toEqual([2.5]);
  });

  it.each([[[0]], [[0, 3]], [[4, 0, 2]]])('reads a zero-size array of shape %j', (shape) => {
    const array = parseNpy(writeNpy({ code: 'i8', shape, values: [] }));

    expect(array.shape).toEqual(shape);
    expect(array.data.length).toBe(0);
  });

  it('reads a UTF-8 header in version 3.0', () => {
    const header = "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }";
    const array = parseNpy(writeNpy({ code: 'i2', shape: [2], values: [-7, 9], version: 3, headerText: header }));

    expect(Array.from(array.data)).toEqual([-7, 9]);
  });

  it('maps every non-zero bool byte to 1', () => {
    const bytes = writeNpy({ code: 'u1', shape: [3], values: [0, 1, 255] });
    const patched = new TextDecoder('latin1').decode(bytes).replace("'|u1'", "'|b1'");
    const boolBytes = Uint8Array.from(patched, (char) => char.charCodeAt(0));

    expect(Array.from(parseNpy(boolBytes).data)).toEqual([0, 1, 1]);
  });
});

describe('parseNpy integer range', () => {
  it('rejects an int64 value beyond int32 with its index', () => {
    const values = [0, 1, 2, 3, 2n ** 40n, 5];
    const error = catchDataError(() => parseNpy(writeNpy({ code: 'i8', shape: [2, 3], values }), 'tokens.npy'));

    expect(error.code).toBe('integer-overflow');
    expect(error.message).toContain('tokens.npy');
    expect(error.message).toContain('1099511627776');
    expect(error.message).toContain('[1, 1]');
    expect(error.message).toContain("astype('float32')");
  });

  it('reports the C-order index of an overflow in Fortran order', () => {
    const values = [0, 1, 2, 3, 4, -(2n ** 35n)];
    const bytes = writeNpy({ code: 'i8', littleEndian: false, shape: [2, 3], values, fortranOrder: true });

    const error = catchDataError(() => parseNpy(bytes));

    expect(error.message).toContain('-34359738368');
    expect(error.message).toContain('[1, 2]');
  });

  it('accepts the int32 limits stored as int64', () => {
    const values = [-2147483648, 2147483647, -1];
    for (const littleEndian of [true, false]) {
      const array = parseNpy(writeNpy({ code: 'i8', littleEndian, shape: [3], values }));
      expect(Array.from(array.data)).toEqual(values);
    }
  });

  it.each([
    ['i8', 2147483648n],
    ['i8', -2147483649n],
    ['u8', 2n ** 63n],
    ['u8', 2147483648n],
    ['u4', 4294967295],
  ] as const)('rejects %s value %s', (code, value) => {
    const error = catchDataError(() => parseNpy(writeNpy({ code, shape: [2], values: [1, value] })));

    expect(error.code).toBe('integer-overflow');
    expect(error.message).toContain(String(value));
  });

  it('rejects a float64 value beyond the float32 range', () => {
    const error = catchDataError(() => parseNpy(writeNpy({ code: 'f8', shape: [2], values: [1, 1e300] })));

    expect(error.code).toBe('float-overflow');
    expect(error.message).toContain('1e+300');
  });

  it('keeps float64 infinities and NaN', () => {
    const array = parseNpy(writeNpy({ code: 'f8', shape: [3], values: [Infinity, -Infinity, NaN] }));

    expect(Array.from(array.data)).toEqual([Infinity, -Infinity, NaN]);
  });
});

describe('float16', () => {
  it.each([
    [0x3e00, 1.5],
    [0xc000, -2],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x0400, 2 ** -14],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
    [0x8000, -0],
  ])('decodes bits %i as %d', (bits, value) => {
    expect(float16ToNumber(bits)).toBe(value);
  });

  it('decodes NaN', () => {
    expect(float16ToNumber(0x7e00)).toBeNaN();
  });

  it('reads float16 arrays in both byte orders', () => {
    const values = [1.5, -2, 65504, 0.5, -0.25, 2 ** -24];
    for (const littleEndian of [true, false]) {
      const bytes = writeNpy({ code: 'f2', littleEndian, shape: [6], values });
      expect(float16Bits(65504)).toBe(0x7bff);
      expect(Array.from(parseNpy(bytes).data)).toEqual(values);
    }
  });
});

describe('parseNpy invalid files', () => {
  it.each([
    ['<c16', 'complex'],
    ['<U5', 'unicode string'],
    ['|O', 'Python objects'],
    ['<M8', 'datetime'],
    ['<f16', ''],
    ['<x4', ''],
  ])('rejects dtype %s', (descr, kind) => {
    const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (1,), }`;
    const error = catchDataError(() => parseNpy(writeNpy({ code: 'f8', shape: [1], values: [0], headerText: header }), 'odd.npy'));

    expect(error.code).toBe('unsupported-dtype');
    expect(error.message).toContain(`'${descr}'`);
    expect(error.message).toContain(kind);
    expect(error.message).toContain('odd.npy');
  });

  it('rejects a structured dtype', () => {
    const header = "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }";
    const error = catchDataError(() => parseNpy(writeNpy({ code: 'f8', shape: [1], values: [0], headerText: header })));

    expect(error.code).toBe('unsupported-dtype');
    expect(error.message).toContain('structured');
  });

  it('rejects a multi-byte dtype without byte order', () => {
    const header = "{'descr': '|i4', 'fortran_order': False, 'shape': (1,), }";
    const error = catchDataError(() => parseNpy(writeNpy({ code: 'i4', shape: [1], values: [0], headerText: header })));

    expect(error.code).toBe('unsupported-dtype');
  });

  it('rejects code in the header', () => {
    const header = "{'descr': __import__('os').system('echo'), 'fortran_order': False, 'shape': (1,), }";
    const error = catchDataError(() => parseNpy(writeNpy({ code: 'f8', shape: [1], values: [0], headerText: header })));

    expect(error.code).toBe('invalid-npy');
    expect(error.message).toContain("unexpected name '__import__'");
  });

  it.each([
    ["{'descr': '<f8', 'shape': (1,), }", 'keys'],
    ["{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", 'fortran_order'],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': [1], }", 'shape'],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", 'shape entry'],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", 'keys'],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", 'end of text'],
    ["['descr', '<f8']", 'not a dict'],
  ])('rejects header %s', (header, reason) => {
    const error = catchDataError(() => parseNpy(writeNpy({ code: 'f8', shape: [1], values: [0], headerText: header })));

    expect(error.code).toBe('invalid-npy');
    expect(error.message).toContain(reason);
  });

  it('rejects a file without the magic string', () => {
    const error = catchDataError(() => parseNpy(new TextEncoder().encode('a,b\n1,2\n'), 'table.npy'));

    expect(error.code).toBe('invalid-npy');
    expect(error.message).toContain('table.npy is not a .npy file');
  });

  it('rejects an unknown format version', () => {
    const bytes = writeNpy({ code: 'f8', shape: [1], values: [0] });
    bytes[6] = 4;

    const error = catchDataError(() => parseNpy(bytes));

    expect(error.message).toContain('version 4.0');
  });

  it('rejects a header longer than the limit', () => {
    const bytes = writeNpy({ code: 'f8', shape: [1], values: [0], version: 2 });
    new DataView(bytes.buffer).setUint32(8, 1_000_000, true);

    const error = catchDataError(() => parseNpy(bytes));

    expect(error.message).toContain('1000000 bytes');
  });

  it('rejects truncated data', () => {
    const bytes = writeNpy({ code: 'f4', shape: [10], values: Array(10).fill(1) });

    const error = catchDataError(() => parseNpy(bytes.subarray(0, bytes.length - 3), 'cut.npy'));

    expect(error.message).toContain('cut.npy is truncated');
    expect(error.message).toContain('needs 40 data bytes, but only 37');
  });

  it('rejects a file truncated inside its header', () => {
    const bytes = writeNpy({ code: 'f4', shape: [10], values: Array(10).fill(1) });

    const error = catchDataError(() => parseNpy(bytes.subarray(0, 40)));

    expect(error.message).toContain('truncated inside its header');
  });

  it('rejects bytes after the data', () => {
    const bytes = writeNpy({ code: 'f4', shape: [2], values: [1, 2] });
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);

    const error = catchDataError(() => parseNpy(longer));

    expect(error.message).toContain('4 bytes after the 8 data bytes');
  });

  it('rejects a shape too large for a typed array', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }";
    const error = catchDataError(() => parseNpy(writeNpy({ code: 'f4', shape: [1], values: [0], headerText: header })));

    expect(error.code).toBe('file-too-large');
  });

  it('reads data at an unaligned offset', () => {
    const bytes = writeNpy({ code: 'f4', shape: [3], values: [1, 2, 3] });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);

    const array: NpyArray = parseNpy(shifted.subarray(1));

    expect(Array.from(array.data)).toEqual([1, 2, 3]);
  });
});

describe('parsePyLiteral', () => {
  it('parses the literal numpy writes', () => {
    const value = parsePyLiteral("{'descr': '<f8', 'fortran_order': False, 'shape': (8785, 200), }");

    expect(value).toEqual(new Map<string, unknown>([
      ['descr', '<f8'],
      ['fortran_order', false],
      ['shape', { tuple: [8785, 200] }],
    ]));
  });

  it('distinguishes one-item tuples from parentheses', () => {
    expect(parsePyLiteral('(5,)')).toEqual({ tuple: [5] });
    expect(parsePyLiteral('(5)')).toBe(5);
    expect(parsePyLiteral('()')).toEqual({ tuple: [] });
  });

  it('accepts Python 2 long integers and escapes', () => {
    expect(parsePyLiteral('(3L, 4L)')).toEqual({ tuple: [3, 4] });
    expect(parsePyLiteral(String.raw`'a\'b'`)).toBe("a'b");
    expect(parsePyLiteral('None')).toBeNull();
  });

  it.each(['1.5', '0x10', "{'a': 1, 'a': 2}", '(1 2)', "'open", '{1: 2}', 'lambda', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'])(
    'rejects %s',
    (text) => {
      expect(() => parsePyLiteral(text)).toThrow(PyLiteralError);
    },
  );
});

describe('formatShape', () => {
  it('prints shapes as numpy does', () => {
    expect(formatShape([8785, 200])).toBe('(8785, 200)');
    expect(formatShape([5])).toBe('(5,)');
    expect(formatShape([])).toBe('()');
  });

  it('builds descr strings as numpy does', () => {
    expect(descrOf('u1', false)).toBe('|u1');
    expect(descrOf('f8', false)).toBe('>f8');
  });
});
