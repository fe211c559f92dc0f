import { describe, expect, it } from 'vitest';
import { describeCsvWarning, MAX_ONE_HOT_CATEGORIES, parseCsv, readCsvColumns } from '../../src/data/csv';
import { DataFileError } from '../../src/data/errors';

function catchDataError(action: () => unknown): DataFileError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected a DataFileError, but nothing was thrown');
}

/** Returns the features of example `row` as a plain array. */
function featureRow(data: Float32Array | Int32Array, width: number, row: number): number[] {
  return Array.from(data.subarray(row * width, (row + 1) * width));
}

const PENGUINS = [
  'species,island,bill_length_mm,body_mass_g,sex',
  'Adelie,Torgersen,39.1,3750,male',
  'Gentoo,Biscoe,46.1,4500,female',
  'Chinstrap,Dream,46.5,3500,female',
  'Adelie,Dream,37.2,3300,female',
].join('\n');

describe('parseCsv columns', () => {
  it('one-hot encodes text columns and keeps numbers', () => {
    const { dataset, report } = parseCsv(PENGUINS, { name: 'penguins.csv', labelColumn: 'species' });

    expect(report.featureNames).toEqual([
      'island=Biscoe', 'island=Dream', 'island=Torgersen', 'bill_length_mm', 'body_mass_g', 'sex=female', 'sex=male',
    ]);
    expect(report.numericColumns).toEqual(['bill_length_mm', 'body_mass_g']);
    expect(report.categoricalColumns).toEqual([
      { column: 'island', categories: ['Biscoe', 'Dream', 'Torgersen'] },
      { column: 'sex', categories: ['female', 'male'] },
    ]);
    expect(dataset.features.shape).toEqual([7]);
    expect(dataset.features.dtype).toBe('float32');
    expect(featureRow(dataset.features.data, 7, 0)).toEqual([0, 0, 1, Math.fround(39.1), 3750, 0, 1]);
    expect(featureRow(dataset.features.data, 7, 2)).toEqual([0, 1, 0, Math.fround(46.5), 3500, 1, 0]);
  });

  it('turns text labels into class indices', () => {
    const { dataset, report } = parseCsv(PENGUINS, { labelColumn: 'species' });

    expect(dataset.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(Array.from(dataset.labels.data)).toEqual([0, 2, 1, 0]);
    expect(dataset.labels.dtype).toBe('int32');
    expect(dataset.task).toBe('classification');
    expect(report.task).toBe('classification');
    expect(dataset.source).toEqual({ kind: 'csv', fileName: 'file.csv', labelColumn: 'species' });
  });

  it('uses the last column as labels by default', () => {
    const { report } = parseCsv(PENGUINS);

    expect(report.labelColumn).toBe('sex');
  });

  it('leaves out ignored columns', () => {
    const { report } = parseCsv(PENGUINS, { labelColumn: 'species', ignoreColumns: ['island', 'sex'] });

    expect(report.featureNames).toEqual(['bill_length_mm', 'body_mass_g']);
    expect(report.ignoredColumns).toEqual(['island', 'sex']);
  });

  it('takes few integer labels as classes', () => {
    const { dataset } = parseCsv('a,b,label\n1,2,3\n3,4,5\n5,6,3\n');

    expect(dataset.task).toBe('classification');
    expect(dataset.classNames).toEqual(['3', '5']);
    expect(Array.from(dataset.labels.data)).toEqual([0, 1, 0]);
  });

  it('takes fractional labels as regression targets', () => {
    const { dataset } = parseCsv('a,price\n1,2.5\n2,3.75\n');

    expect(dataset.task).toBe('regression');
    expect(dataset.labels.dtype).toBe('float32');
    expect(Array.from(dataset.labels.data)).toEqual([2.5, 3.75]);
    expect(dataset.classNames).toBeUndefined();
  });

  it('follows a task override', () => {
    const { dataset } = parseCsv('a,label\n1,0\n2,1\n', { task: 'regression' });

    expect(dataset.task).toBe('regression');
  });

  it('rejects text labels as regression targets', () => {
    const error = catchDataError(() => parseCsv(PENGUINS, { labelColumn: 'species', task: 'regression' }));

    expect(error.message).toContain("contains the text 'Adelie', so it cannot be a regression target");
  });

  it('rejects an unknown label column', () => {
    const error = catchDataError(() => parseCsv(PENGUINS, { name: 'penguins.csv', labelColumn: 'Species' }));

    expect(error.code).toBe('missing-column');
    expect(error.message).toContain("penguins.csv has no column 'Species'");
    expect(error.message).toContain("'species', 'island'");
  });

  it('leaves out a text column with too many categories', () => {
    const rows = Array.from({ length: MAX_ONE_HOT_CATEGORIES + 1 }, (_, i) => `name${i},${i},${i % 2}`);

    const { report } = parseCsv(['name,size,label', ...rows].join('\n'));

    expect(report.featureNames).toEqual(['size']);
    expect(report.warnings).toEqual([{ kind: 'too-many-categories', column: 'name', distinct: MAX_ONE_HOT_CATEGORIES + 1 }]);
    expect(describeCsvWarning(report.warnings[0])).toContain('so it was left out');
  });

  it('rejects a file whose only feature column has too many categories', () => {
    const rows = Array.from({ length: MAX_ONE_HOT_CATEGORIES + 1 }, (_, i) => `name${i},${i % 2}`);

    const error = catchDataError(() => parseCsv(['name,label', ...rows].join('\n')));

    expect(error.message).toContain("because 'name' had too many distinct text values");
  });

  it('reads quoted fields, CRLF line ends and a byte order mark', () => {
    const { dataset, report } = parseCsv('\uFEFFcity,"size, m",label\r\n"Paris, FR",1.5,a\r\n"Oslo",2,b\r\n');

    expect(report.featureNames).toEqual(['city=Oslo', 'city=Paris, FR', 'size, m']);
    expect(dataset.count).toBe(2);
  });

  it('reads a semicolon-separated file', () => {
    const { dataset } = parseCsv('a;b;label\n1;2;0\n3;4;1\n5;6;0\n', { delimiter: ';' });

    expect(featureRow(dataset.features.data, 2, 1)).toEqual([3, 4]);
  });

  it('lists the columns of the header', () => {
    expect(readCsvColumns(PENGUINS)).toEqual(['species', 'island', 'bill_length_mm', 'body_mass_g', 'sex']);
  });
});

describe('parseCsv column checks', () => {
  /** 20 rows of a, b and label, with the value of b on data row 7 (line 9) replaced by `typo`. */
  function numbersWithTypo(typo: string): string {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i === 7 ? typo : i * 2},${i % 2}`);
    return ['a,b,label', ...rows].join('\n');
  }

  it('reads a typo in numbers as missing', () => {
    const { dataset, report } = parseCsv(numbersWithTypo('1 4'), { name: 'typo.csv' });

    expect(report.numericColumns).toEqual(['a', 'b']);
    expect(report.featureNames).toEqual(['a', 'b']);
    expect(dataset.count).toBe(19);
    expect(report.missing.rowsDropped).toBe(1);
    expect(report.warnings).toEqual([{ kind: 'non-numeric', column: 'b', count: 1, cells: [{ line: 9, value: '1 4' }] }]);
  });

  it('names the typo, its line and the remedies', () => {
    const { report } = parseCsv(numbersWithTypo('1 4'));

    const message = describeCsvWarning(report.warnings[0]);

    expect(message).toContain("Column 'b' holds numbers but a value that is not a number: '1 4' on line 9.");
    expect(message).toContain('Fix the value in the file');
    expect(message).toContain("read 'b' as text");
    expect(message).toContain("leave 'b' out");
  });

  it('fills a typo in numbers with the fill strategy', () => {
    const { dataset, report } = parseCsv(numbersWithTypo('abc'), { missing: 'fill' });

    expect(dataset.count).toBe(20);
    expect(report.missing.cellsFilled).toBe(1);
    expect(dataset.features.data[7 * 2 + 1]).toBeCloseTo(report.missing.fillValues[0].value as number, 4);
  });

  it('quotes at most three stray values', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i < 5 ? `x${i}` : i},${i % 2}`);

    const { report } = parseCsv(['a,label', ...rows].join('\n'));

    const warning = report.warnings[0];
    if (warning.kind !== 'non-numeric') throw new Error(`expected a non-numeric warning, got ${warning.kind}`);
    expect(warning.count).toBe(5);
    expect(warning.cells.map((cell) => cell.value)).toEqual(['x0', 'x1', 'x2']);
    expect(describeCsvWarning(warning)).toContain("'x2' on line 4 and 2 more");
  });

  it('reads a typo column as text on request', () => {
    const { report } = parseCsv(numbersWithTypo('1 4'), { textColumns: ['b'] });

    expect(report.numericColumns).toEqual(['a']);
    expect(report.categoricalColumns[0].column).toBe('b');
    expect(report.categoricalColumns[0].categories).toContain('1 4');
    expect(report.textColumns).toEqual(['b']);
  });

  it('leaves out a column on request', () => {
    const { report } = parseCsv(numbersWithTypo('1 4'), { ignoreColumns: ['b'] });

    expect(report.featureNames).toEqual(['a']);
    expect(report.warnings).toEqual([]);
  });

  it('rejects an unknown text column', () => {
    const error = catchDataError(() => parseCsv(numbersWithTypo('1 4'), { textColumns: ['c'] }));

    expect(error.message).toContain("no column 'c' to use as the text column");
  });

  it('reports decimal commas read as text', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},5;${i * 2};${i % 2}`);

    const { report } = parseCsv(['a;b;label', ...rows].join('\n'), { name: 'semicolon.csv' });

    expect(report.categoricalColumns.map((column) => column.column)).toEqual(['a']);
    expect(report.warnings).toEqual([{ kind: 'decimal-comma', column: 'a', cell: { line: 2, value: '0,5' } }]);
    expect(describeCsvWarning(report.warnings[0])).toContain("such as '0,5' on line 2");
  });

  it('reads decimal commas on request', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i},5;${i * 2};${i % 2}`);

    const { dataset, report } = parseCsv(['a;b;label', ...rows].join('\n'), { decimalComma: true });

    expect(report.numericColumns).toEqual(['a', 'b']);
    expect(featureRow(dataset.features.data, 2, 3)).toEqual([3.5, 6]);
    expect(report.warnings).toEqual([]);
  });

  it('warns about an identifier column', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `user${i},${i},${i % 2}`);

    const { report } = parseCsv(['id,value,label', ...rows].join('\n'));

    expect(report.warnings).toEqual([{ kind: 'identifier', column: 'id', distinct: 50, rows: 50 }]);
    expect(describeCsvWarning(report.warnings[0])).toContain("leave 'id' out");
  });

  it('takes a repeated category for no identifier', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `colour${i % 12},${i},${i % 2}`);

    expect(parseCsv(['colour,value,label', ...rows].join('\n')).report.warnings).toEqual([]);
  });
});

describe('parseCsv missing values', () => {
  const text = ['a,color,label', '1,red,0', 'NA,blue,1', '3,?,0', '5,red,', 'NaN,red,1', '7,,1'].join('\n');

  it('drops rows with missing values', () => {
    const { dataset, report } = parseCsv(text, { missing: 'drop' });

    expect(dataset.count).toBe(1);
    expect(report.featureNames).toEqual(['a', 'color=red']);
    expect(featureRow(dataset.features.data, 2, 0)).toEqual([1, 1]);
    expect(report.rowsRead).toBe(6);
    expect(report.rowsUsed).toBe(1);
    expect(report.missing).toEqual({
      strategy: 'drop',
      missingCells: 4,
      rowsWithoutLabel: 1,
      rowsDropped: 4,
      cellsFilled: 0,
      fillValues: [],
    });
  });

  it('fills numbers with the mean and text with the most frequent value', () => {
    const { dataset, report } = parseCsv(text, { missing: 'fill' });

    // Among labelled rows, a has 1, 3 and 7 (mean 11/3) and color has red twice and blue once.
    const mean = Math.fround(11 / 3);
    expect(dataset.count).toBe(5);
    expect(featureRow(dataset.features.data, 3, 1)).toEqual([mean, 1, 0]);
    expect(featureRow(dataset.features.data, 3, 2)).toEqual([3, 0, 1]);
    expect(featureRow(dataset.features.data, 3, 4)).toEqual([7, 0, 1]);
    expect(report.missing.cellsFilled).toBe(4);
    expect(report.missing.rowsWithoutLabel).toBe(1);
    expect(report.missing.fillValues).toEqual([
      { column: 'a', value: 11 / 3 },
      { column: 'color', value: 'red' },
    ]);
  });

  it('rejects a file where no complete row remains', () => {
    const error = catchDataError(() => parseCsv('a,b,label\n1,,0\n,2,1\n'));

    expect(error.message).toContain("no rows left once rows with missing values are removed");
    expect(error.message).toContain("'fill'");
  });

  it('rejects a column without any value', () => {
    const error = catchDataError(() => parseCsv('a,empty,label\n1,,0\n2,NA,1\n', { missing: 'fill' }));

    expect(error.message).toContain("column 'empty' has no values");
  });
});

describe('parseCsv standardisation', () => {
  it('rescales numeric columns to mean 0 and standard deviation 1', () => {
    const { dataset, report } = parseCsv('a,b,kind,label\n1,10,x,0\n2,10,y,1\n3,10,x,0\n4,10,y,1\n', { standardize: true });

    // a has mean 2.5 and population standard deviation sqrt(1.25); b is constant, so it is only centred.
    const std = Math.sqrt(1.25);
    expect(report.standardization).toEqual([
      { column: 'a', mean: 2.5, std },
      { column: 'b', mean: 10, std: 0 },
    ]);
    const column = [0, 1, 2, 3].map((row) => dataset.features.data[row * 4]);
    expect(column).toEqual([1, 2, 3, 4].map((value) => Math.fround((value - 2.5) / std)));
    expect([0, 1, 2, 3].map((row) => dataset.features.data[row * 4 + 1])).toEqual([0, 0, 0, 0]);
    expect(featureRow(dataset.features.data, 4, 1).slice(2)).toEqual([0, 1]);
  });

  it('leaves values unchanged by default', () => {
    const { dataset, report } = parseCsv('a,label\n1,0\n2,1\n');

    expect(report.standardization).toBeUndefined();
    expect(Array.from(dataset.features.data)).toEqual([1, 2]);
  });
});

describe('parseCsv invalid files', () => {
  it.each(['', '  \n\n'])('rejects the empty file %j', (text) => {
    const error = catchDataError(() => parseCsv(text, { name: 'empty.csv' }));

    expect(error.code).toBe('empty-file');
    expect(error.message).toContain('empty.csv is empty');
  });

  it('rejects a header without rows', () => {
    const error = catchDataError(() => parseCsv('a,b,label\n'));

    expect(error.code).toBe('empty-file');
    expect(error.message).toContain('no data rows');
  });

  it('names the line of a row with too many fields', () => {
    const error = catchDataError(() => parseCsv('a,b,label\n1,2,0\n\n3,4,1,9\n5,6,0\n', { name: 'ragged.csv' }));

    expect(error.code).toBe('ragged-row');
    expect(error.message).toContain('ragged.csv line 4 has 4 fields, but the header has 3');
  });

  it('names the line of a short row after a quoted line break', () => {
    const error = catchDataError(() => parseCsv('note,label\n"two\nlines",0\nshort\n'));

    expect(error.message).toContain('line 4 has 1 field, but the header has 2');
  });

  it('rejects an unclosed quote', () => {
    const error = catchDataError(() => parseCsv('a,label\n1,0\n"2,1\n'));

    expect(error.code).toBe('invalid-csv');
    expect(error.message).toContain('quoting error on line 3');
  });

  it('rejects a first row of numbers as a header', () => {
    const error = catchDataError(() => parseCsv('0,0,0\n1,2,1\n2,4,0\n', { name: 'no_header.csv' }));

    expect(error.message).toContain('The first row of no_header.csv (0, 0, 0) contains only numbers, so it looks like data, not a header.');
    expect(error.message).toContain('Add a header row');
  });

  it('reads the header columns of a file without header as data', () => {
    expect(() => readCsvColumns('1.5,2,3\n')).toThrow('looks like data');
  });

  it('accepts a header with some numeric names', () => {
    expect(readCsvColumns('2019,2020,label\n1,2,0\n')).toEqual(['2019', '2020', 'label']);
  });

  it('rejects duplicate column names', () => {
    const error = catchDataError(() => parseCsv('a,a,label\n1,2,0\n'));

    expect(error.message).toContain("two columns named 'a'");
  });

  it('rejects a file with only the label column', () => {
    const error = catchDataError(() => parseCsv('label\n1\n0\n'));

    expect(error.message).toContain('no feature columns');
  });
});

describe('parseCsv statistics after dropping rows', () => {
  it('standardises with the rows that remain', () => {
    // The row with the missing b would shift the mean of a from 2 to 25.25 if it were counted.
    const { report } = parseCsv('a,b,label\n1,5,0\n2,6,1\n3,7,0\n95,,1\n', { standardize: true });

    expect(report.rowsUsed).toBe(3);
    expect(report.standardization?.[0]).toEqual({ column: 'a', mean: 2, std: Math.sqrt(2 / 3) });
  });
});
