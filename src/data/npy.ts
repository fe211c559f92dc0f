/**
 * Reader for numpy `.npy` files, format versions 1.0, 2.0 and 3.0, as specified in
 * numpy/lib/format.py (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 *
 * Values are converted to the three element types the trainer uses: float16, float32 and float64
 * become Float32Array, bool and uint8 become Uint8Array, and every other integer type becomes
 * Int32Array (int64, uint32 and uint64 only when every value fits in int32).
 */

import { DataFileError } from './errors';
import { isPyDict, isPyTuple, parsePyLiteral, PyLiteralError, type PyValue } from './pyliteral';

/** numpy dtype names this reader accepts. */
export type NpyDtypeName =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float16'
  | 'float32'
  | 'float64';

export type NpyData = Float32Array | Int32Array | Uint8Array;

/** An array read from a `.npy` file, in C (row-major) order whatever the order in the file. */
export interface NpyArray {
  shape: number[];
  /** dtype stored in the file, e.g. 'int64', before conversion. */
  dtype: NpyDtypeName;
  data: NpyData;
}

/** Element type of a `.npy` array, decoded from its `descr` string such as '<i8'. */
export interface NpyDtype {
  name: NpyDtypeName;
  /** 'b' bool, 'i' signed integer, 'u' unsigned integer, 'f' floating point. */
  kind: 'b' | 'i' | 'u' | 'f';
  /** Bytes per element. */
  itemSize: number;
  littleEndian: boolean;
}

/** The parsed header of a `.npy` file. */
export interface NpyHeader {
  version: string;
  descr: string;
  dtype: NpyDtype;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the first data byte from the start of the file. */
  dataOffset: number;
}

/** Largest header accepted, in bytes. numpy.load (numpy 2.4) rejects headers over 10,000 bytes by default. */
export const MAX_NPY_HEADER_BYTES = 65_536;

/**
 * Largest element count accepted (2^31 - 1), so that every index fits in a signed 32-bit integer.
 * NOTE: a conservative choice, not an engine limit; memory usually runs out well before it.
 */
export const MAX_NPY_ELEMENTS = 2 ** 31 - 1;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const FLOAT32_MAX = 3.4028234663852886e38;
const PLATFORM_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const DTYPE_NAMES: Record<string, NpyDtypeName> = {
  b1: 'bool',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
};

const SUPPORTED_TYPES_TEXT = 'bool, int8 to int64, uint8 to uint64, and float16 to float64';

/** Returns the typed-array element type that an array of this dtype is converted to. */
export function storageTypeOf(dtype: NpyDtypeName): 'float32' | 'int32' | 'uint8' {
  if (dtype === 'float16' || dtype === 'float32' || dtype === 'float64') return 'float32';
  if (dtype === 'bool' || dtype === 'uint8') return 'uint8';
  return 'int32';
}

/**
 * Parses a `.npy` file. `name` labels the file or array in error messages.
 * Throws DataFileError on any malformed or unsupported content.
 */
export function parseNpy(bytes: Uint8Array, name = 'array.npy'): NpyArray {
  const header = parseNpyHeader(bytes, name);
  const size = elementCount(header.shape, name);
  const byteCount = size * header.dtype.itemSize;
  const available = bytes.length - header.dataOffset;
  if (available < byteCount) {
    throw new DataFileError(
      'invalid-npy',
      `${name} is truncated: its header declares shape ${formatShape(header.shape)} of ${header.dtype.name}, ` +
        `which needs ${byteCount} data bytes, but only ${available} follow the header. Save the file again with numpy.save.`,
      name,
    );
  }
  if (available > byteCount) {
    throw new DataFileError(
      'invalid-npy',
      `${name} has ${available - byteCount} bytes after the ${byteCount} data bytes that its shape ` +
        `${formatShape(header.shape)} of ${header.dtype.name} accounts for, so the header and the data disagree. ` +
        'Save the file again with numpy.save.',
      name,
    );
  }

  const raw = bytes.subarray(header.dataOffset, header.dataOffset + byteCount);
  const context: ConversionContext = { name, shape: header.shape, fortranOrder: header.fortranOrder };
  let data = convertElements(raw, header.dtype, size, context);
  if (header.fortranOrder && header.shape.length > 1) data = fortranToC(data, header.shape);
  return { shape: header.shape, dtype: header.dtype.name, data };
}

/** Parses the magic string, version and header dict of a `.npy` file. */
export function parseNpyHeader(bytes: Uint8Array, name = 'array.npy'): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new DataFileError(
      'invalid-npy',
      `${name} is not a .npy file: it does not start with the bytes "\\x93NUMPY". Save the array with numpy.save.`,
      name,
    );
  }
  const major = bytes[6];
  const minor = bytes[7];
  const version = `${major}.${minor}`;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new DataFileError(
      'invalid-npy',
      `${name} uses .npy format version ${version}; versions 1.0, 2.0 and 3.0 are supported. ` +
        'Save the array again with numpy.save.',
      name,
    );
  }

  // Version 1.0 stores the header length in 2 bytes, versions 2.0 and 3.0 in 4 bytes, little-endian.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) throw truncatedHeader(name);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER_BYTES) {
    throw new DataFileError(
      'invalid-npy',
      `${name} declares a header of ${headerLength} bytes, more than the ${MAX_NPY_HEADER_BYTES} accepted. ` +
        'The file is corrupt or holds a structured dtype; save a plain numeric array with numpy.save.',
      name,
    );
  }
  const dataOffset = headerStart + headerLength;
  if (bytes.length < dataOffset) throw truncatedHeader(name);

  // Versions 1.0 and 2.0 encode the header in latin-1, version 3.0 in UTF-8.
  const headerBytes = bytes.subarray(headerStart, dataOffset);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const fields = parseHeaderDict(headerText, name);
  return { version, dataOffset, ...fields };
}

function truncatedHeader(name: string): DataFileError {
  return new DataFileError(
    'invalid-npy',
    `${name} is truncated inside its header. Save the array again with numpy.save.`,
    name,
  );
}

function parseHeaderDict(text: string, name: string): Omit<NpyHeader, 'version' | 'dataOffset'> {
  let literal: PyValue;
  try {
    literal = parsePyLiteral(text);
  } catch (error) {
    if (!(error instanceof PyLiteralError)) throw error;
    throw new DataFileError(
      'invalid-npy',
      `${name} has an invalid header: ${error.message} in ${JSON.stringify(text.trim())}. ` +
        'Save the array again with numpy.save.',
      name,
    );
  }
  const invalid = (reason: string) =>
    new DataFileError(
      'invalid-npy',
      `${name} has an invalid header: ${reason} in ${JSON.stringify(text.trim())}. Save the array again with numpy.save.`,
      name,
    );

  if (!isPyDict(literal)) throw invalid('the header is not a dict');
  const keys = [...literal.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    throw invalid(`the keys are [${keys.join(', ')}] instead of descr, fortran_order and shape`);
  }

  const descr = literal.get('descr') as PyValue;
  if (Array.isArray(descr)) {
    throw new DataFileError(
      'unsupported-dtype',
      `${name} holds a structured array (fields ${JSON.stringify(descr)}); only plain numeric arrays are supported. ` +
        'Save each field as its own array, e.g. numpy.savez("data.npz", x=a["x"], y=a["y"]).',
      name,
    );
  }
  if (typeof descr !== 'string') throw invalid("'descr' is not a string");

  const fortranOrder = literal.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') throw invalid("'fortran_order' is not True or False");

  const shapeValue = literal.get('shape') as PyValue;
  if (!isPyTuple(shapeValue)) throw invalid("'shape' is not a tuple");
  const shape: number[] = [];
  for (const dimension of shapeValue.tuple) {
    if (typeof dimension !== 'number' || dimension < 0) throw invalid(`shape entry ${JSON.stringify(dimension)} is not a size`);
    shape.push(dimension);
  }

  return { descr, dtype: parseDescr(descr, name), fortranOrder, shape };
}

/** Decodes a numpy `descr` string such as '<f8', '>i4' or '|b1'. */
export function parseDescr(descr: string, name = 'array.npy'): NpyDtype {
  const match = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  const code = match ? `${match[2]}${match[3]}` : '';
  const dtypeName = DTYPE_NAMES[code];
  if (!match || dtypeName === undefined) {
    const kind = /^[<>|=]?([a-zA-Z])/.exec(descr)?.[1] ?? '';
    throw new DataFileError(
      'unsupported-dtype',
      `${name} has dtype '${descr}'${describeUnsupported(kind)}, which is not supported: ` +
        `Layerlab reads ${SUPPORTED_TYPES_TEXT}. ${unsupportedHint(kind)}`,
      name,
    );
  }

  const byteOrder = match[1];
  const itemSize = Number(match[3]);
  // numpy writes '|' for one-byte types and '<' or '>' for wider ones; '=' (native order) never
  // appears in a file numpy wrote, because the header records the machine's actual order.
  if (itemSize > 1 && byteOrder !== '<' && byteOrder !== '>') {
    throw new DataFileError(
      'unsupported-dtype',
      `${name} has dtype '${descr}' without a byte order ('<' little-endian or '>' big-endian). ` +
        'Save the array with numpy.save, which always records the byte order.',
      name,
    );
  }
  return {
    name: dtypeName,
    kind: match[2] as NpyDtype['kind'],
    itemSize,
    littleEndian: byteOrder !== '>',
  };
}

function describeUnsupported(kind: string): string {
  const kinds: Record<string, string> = {
    c: ' (complex)',
    U: ' (unicode string)',
    S: ' (byte string)',
    O: ' (Python objects)',
    M: ' (datetime)',
    m: ' (timedelta)',
    V: ' (raw bytes)',
  };
  return kinds[kind] ?? '';
}

function unsupportedHint(kind: string): string {
  switch (kind) {
    case 'c':
      return "Convert it in numpy first, e.g. x.real.astype('float32') or numpy.abs(x).astype('float32').";
    case 'U':
    case 'S':
    case 'O':
      return 'Encode the values as integer class indices or numbers in numpy first, e.g. with numpy.unique(x, return_inverse=True).';
    case 'M':
    case 'm':
      return "Convert it to numbers in numpy first, e.g. x.astype('int64') or x.astype('float64').";
    default:
      return "Convert it in numpy first, e.g. x.astype('float32').";
  }
}

/** Returns the number of elements in an array of this shape; a scalar `()` has one. */
function elementCount(shape: number[], name: string): number {
  let size = 1;
  for (const dimension of shape) size *= dimension;
  if (!Number.isSafeInteger(size) || size > MAX_NPY_ELEMENTS) {
    throw new DataFileError(
      'file-too-large',
      `${name} has shape ${formatShape(shape)}, more than the ${MAX_NPY_ELEMENTS} elements a browser array can hold. ` +
        'Save a smaller slice of the data.',
      name,
    );
  }
  return size;
}

/** Formats a shape as numpy prints it: `(8785, 200)`, `(5,)` or `()`. */
export function formatShape(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

interface ConversionContext {
  name: string;
  shape: number[];
  fortranOrder: boolean;
}

function convertElements(raw: Uint8Array, dtype: NpyDtype, size: number, context: ConversionContext): NpyData {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const little = dtype.littleEndian;
  const nativeOrder = dtype.itemSize === 1 || little === PLATFORM_LITTLE_ENDIAN;

  switch (dtype.name) {
    case 'bool': {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) out[i] = raw[i] === 0 ? 0 : 1;
      return out;
    }
    case 'uint8':
      return raw.slice();
    case 'int8':
      return Int32Array.from(new Int8Array(raw.buffer, raw.byteOffset, size));
    case 'int16': {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getInt16(i * 2, little);
      return out;
    }
    case 'uint16': {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getUint16(i * 2, little);
      return out;
    }
    case 'int32': {
      // slice() copies into a fresh, aligned buffer that a typed array can view directly.
      if (nativeOrder) return new Int32Array(raw.slice().buffer);
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getInt32(i * 4, little);
      return out;
    }
    case 'uint32': {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) {
        const value = view.getUint32(i * 4, little);
        if (value > INT32_MAX) throw integerOverflow(context, dtype, BigInt(value), i);
        out[i] = value;
      }
      return out;
    }
    case 'int64':
    case 'uint64':
      return convertInt64(view, dtype, size, context);
    case 'float16': {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = float16ToNumber(view.getUint16(i * 2, little));
      return out;
    }
    case 'float32': {
      if (nativeOrder) return new Float32Array(raw.slice().buffer);
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = view.getFloat32(i * 4, little);
      return out;
    }
    case 'float64': {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        const value = view.getFloat64(i * 8, little);
        out[i] = value;
        if (Number.isFinite(value) && !Number.isFinite(out[i])) throw floatOverflow(context, value, i);
      }
      return out;
    }
  }
}

/**
 * Converts int64 or uint64 values to int32, reading each as two 32-bit words: a signed value
 * fits in int32 exactly when its high word is the sign extension of its low word.
 */
function convertInt64(view: DataView, dtype: NpyDtype, size: number, context: ConversionContext): Int32Array {
  const little = dtype.littleEndian;
  const lowOffset = little ? 0 : 4;
  const highOffset = little ? 4 : 0;
  const signed = dtype.name === 'int64';
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const low = view.getInt32(i * 8 + lowOffset, little);
    const high = view.getInt32(i * 8 + highOffset, little);
    const fits = signed ? high === low >> 31 : high === 0 && low >= 0;
    if (!fits) {
      const value = signed ? view.getBigInt64(i * 8, little) : view.getBigUint64(i * 8, little);
      throw integerOverflow(context, dtype, value, i);
    }
    out[i] = low;
  }
  return out;
}

function integerOverflow(context: ConversionContext, dtype: NpyDtype, value: bigint, fileIndex: number): DataFileError {
  const index = formatIndex(fileIndex, context);
  return new DataFileError(
    'integer-overflow',
    `${context.name} has dtype ${dtype.name} and its value ${value} at index ${index} does not fit in int32 ` +
      `(${INT32_MIN} to ${INT32_MAX}), which is the integer type the browser trains with. ` +
      "Rescale or clip the values in numpy, or save them as floats with x.astype('float32').",
    context.name,
  );
}

function floatOverflow(context: ConversionContext, value: number, fileIndex: number): DataFileError {
  const index = formatIndex(fileIndex, context);
  return new DataFileError(
    'float-overflow',
    `${context.name} has the float64 value ${value} at index ${index}, which is beyond the float32 range ` +
      `(magnitude at most ${FLOAT32_MAX.toExponential(6)}) that the browser trains with. ` +
      'Rescale the values in numpy, e.g. standardise them, and save again.',
    context.name,
  );
}

/** Formats the multi-index of the element at `fileIndex` in file order, e.g. `[12, 4]`. */
function formatIndex(fileIndex: number, context: ConversionContext): string {
  const { shape } = context;
  const index = new Array<number>(shape.length).fill(0);
  let rest = fileIndex;
  // C order stores the last axis fastest, Fortran order the first axis fastest.
  const axes = shape.map((_, axis) => axis);
  if (!context.fortranOrder) axes.reverse();
  for (const axis of axes) {
    index[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return `[${index.join(', ')}]`;
}

/** Decodes an IEEE 754 half-precision value from its 16 bits. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x03ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero or subnormal
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Reorders data stored in Fortran (column-major) order into C (row-major) order. */
function fortranToC<T extends NpyData>(source: T, shape: number[]): T {
  const Constructor = source.constructor as new (length: number) => T;
  const out = new Constructor(source.length);
  const ndim = shape.length;

  // In Fortran order, the stride of axis k is the product of the sizes of the axes before it.
  const fortranStrides = new Array<number>(ndim);
  let stride = 1;
  for (let axis = 0; axis < ndim; axis++) {
    fortranStrides[axis] = stride;
    stride *= shape[axis];
  }

  // Walk the C-order positions in sequence, keeping the matching Fortran offset up to date.
  const index = new Array<number>(ndim).fill(0);
  let fortranOffset = 0;
  for (let cOffset = 0; cOffset < source.length; cOffset++) {
    out[cOffset] = source[fortranOffset];
    for (let axis = ndim - 1; axis >= 0; axis--) {
      index[axis]++;
      fortranOffset += fortranStrides[axis];
      if (index[axis] < shape[axis]) break;
      fortranOffset -= fortranStrides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return out;
}
