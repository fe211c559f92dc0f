import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPenguinsContent } from '../../scripts/build-datasets';
import { loadBuiltinDataset } from '../../src/data/builtin';
import { labelBalance, type Dataset } from '../../src/data/dataset';
import { DataFileError } from '../../src/data/errors';
import { loadPenguinsWithReport, parsePenguinsCsv, PENGUINS_COLUMNS, PENGUINS_FILE_NAME } from '../../src/data/penguins';
import { serveFolder, type AssetServer } from './asset-server';

const MEASUREMENTS = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];

const built = buildPenguinsContent();
const csv = built.content as string;
const dropped = parsePenguinsCsv(csv, 'drop');
const filled = parsePenguinsCsv(csv, 'fill');

/** Returns the values of one feature across all examples. */
function featureColumn(dataset: Dataset, featureIndex: number): number[] {
  const width = dataset.features.shape[0];
  return Array.from({ length: dataset.count }, (_, i) => dataset.features.data[i * width + featureIndex]);
}

describe('penguins asset build', () => {
  it('writes a small CSV with the source columns', () => {
    const rows = Papa.parse<string[]>(csv.trim()).data;

    expect(built.entry.fileName).toBe(PENGUINS_FILE_NAME);
    expect(built.entry.count).toBe(344);
    expect(built.entry.bytes).toBeLessThan(30_000);
    expect(rows[0]).toEqual(PENGUINS_COLUMNS);
    expect(rows.length).toBe(1 + 344);
  });

  it('writes NA for the missing values', () => {
    const rows = Papa.parse<string[]>(csv.trim()).data.slice(1);
    const missingCells = rows.flat().filter((cell) => cell === 'NA').length;

    expect(missingCells).toBe(19);
    expect(rows.some((row) => row.includes('.'))).toBe(false);
  });
});

describe('penguins data set', () => {
  it('has three species as classes', () => {
    expect(dropped.dataset.task).toBe('classification');
    expect(dropped.dataset.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(filled.dataset.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(dropped.dataset.labels.data.every((label) => label >= 0 && label <= 2)).toBe(true);
  });

  it('encodes island and sex one-hot beside four measurements', () => {
    expect(dropped.dataset.features.shape).toEqual([9]);
    expect(dropped.report.numericColumns).toEqual(MEASUREMENTS);
    expect(dropped.report.categoricalColumns).toEqual([
      { column: 'Island', categories: ['Biscoe', 'Dream', 'Torgersen'] },
      { column: 'Sex', categories: ['FEMALE', 'MALE'] },
    ]);
  });

  it('reports the missing cells for either handling', () => {
    expect(dropped.report.missing.missingCells).toBe(19);
    expect(filled.report.missing.missingCells).toBe(19);
    expect(dropped.report.missing.rowsWithoutLabel).toBe(0);
  });

  it('drops the 11 incomplete penguins', () => {
    expect(dropped.dataset.count).toBe(333);
    expect(dropped.report.missing.rowsDropped).toBe(11);
    expect(dropped.report.missing.cellsFilled).toBe(0);
    expect(labelBalance(dropped.dataset).map((entry) => entry.count)).toEqual([146, 68, 119]);
  });

  it('fills the missing cells instead when asked', () => {
    expect(filled.dataset.count).toBe(344);
    expect(filled.report.missing.rowsDropped).toBe(0);
    expect(filled.report.missing.cellsFilled).toBe(19);
    expect(filled.report.missing.fillValues.map((fill) => fill.column)).toEqual([...MEASUREMENTS, 'Sex']);
    expect(labelBalance(filled.dataset).map((entry) => entry.count)).toEqual([152, 68, 124]);
  });

  it('keeps different counts for drop and fill', () => {
    expect(dropped.dataset.count).not.toBe(filled.dataset.count);
  });

  it('standardises the measurements', () => {
    const { featureNames } = dropped.report;
    for (const measurement of MEASUREMENTS) {
      const values = featureColumn(dropped.dataset, featureNames.indexOf(measurement));
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;

      expect(Math.abs(mean), measurement).toBeLessThan(1e-5);
      expect(Math.sqrt(variance), measurement).toBeCloseTo(1, 4);
    }
  });

  it('records the handling in its source', () => {
    expect(dropped.dataset.name).toBe('Palmer penguins');
    expect(dropped.dataset.source).toEqual({ kind: 'builtin', id: 'penguins', options: { missing: 'drop' } });
    expect(filled.dataset.source).toEqual({ kind: 'builtin', id: 'penguins', options: { missing: 'fill' } });
  });

  it('rejects an unknown missing-value handling', () => {
    expect(() => parsePenguinsCsv(csv, 'mean' as 'fill')).toThrow(DataFileError);
    expect(() => parsePenguinsCsv(csv, 'mean' as 'fill')).toThrow(/'mean'; it must be 'drop' or 'fill'/);
  });
});

describe('penguins loader', () => {
  let siteRoot: string;
  let server: AssetServer;

  beforeAll(async () => {
    siteRoot = mkdtempSync(join(tmpdir(), 'layerlab-penguins-'));
    mkdirSync(join(siteRoot, 'datasets'));
    writeFileSync(join(siteRoot, 'datasets', PENGUINS_FILE_NAME), csv);
    server = await serveFolder(siteRoot);
  });

  afterAll(async () => {
    await server.close();
    rmSync(siteRoot, { recursive: true, force: true });
  });

  it('drops incomplete rows through the registry by default', async () => {
    const dataset = await loadBuiltinDataset('penguins', { assetBaseUrl: server.baseUrl });

    expect(dataset.count).toBe(333);
  });

  it('fills through the registry when asked', async () => {
    const dataset = await loadBuiltinDataset('penguins', { missing: 'fill', assetBaseUrl: server.baseUrl });

    expect(dataset.count).toBe(344);
    expect(Array.from(dataset.features.data)).toEqual(Array.from(filled.dataset.features.data));
  });

  it('returns the report with the data set', async () => {
    const { report } = await loadPenguinsWithReport({ missing: 'fill', assetBaseUrl: server.baseUrl });

    expect(report.missing).toMatchObject({ strategy: 'fill', missingCells: 19, cellsFilled: 19 });
  });
});
