/**
 * Export and import in a real Chromium, used as a person uses them. Every format is downloaded
 * from the Export menu and checked by a tool that reads it: the Keras importer, TensorFlow.js in
 * Node, or Python's compiler. The exported models then open again through the file input, and bad
 * model files must leave the graph as it was. Screenshots go to test-results/e2e/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importModelJson } from '../../src/compile/keras-import';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import { formatCount } from '../../src/layers';
import { ARTEFACTS, DIST, ensureBuild, hasChromium, keepScreenshot, launchChromium, serveDirectory } from './harness';

const OUT = join(ARTEFACTS, 'export');
const SOLUBILITY = getTemplate('solubility')!.build();
const SOLUBILITY_TOTAL = formatCount(inferGraph(SOLUBILITY).totalParams);
const MLP_TOTAL = formatCount(inferGraph(getTemplate('mlp-2d')!.build()).totalParams);
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let browser: Browser;
let server: Server;
let baseUrl: string;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
/** Paths of the files the export test saved, by format, for the import tests. */
const exported: Record<string, string[]> = {};

async function openEditor(): Promise<void> {
  await page.goto(baseUrl);
  await page.getByTestId('summary-total-params').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length > 0);
  await expect.poll(() => total()).toBe(SOLUBILITY_TOTAL);
}

function total(): Promise<string | null> {
  return page.getByTestId('summary-total-params').textContent();
}

async function chooseTemplate(id: string): Promise<void> {
  await page.getByTestId('templates-button').click();
  await page.getByTestId(`template-${id}`).click();
}

/** Clicks an Export menu item and saves the `count` files it downloads under OUT. */
async function exportFiles(testId: string, count = 1): Promise<string[]> {
  const downloads: Download[] = [];
  const onDownload = (download: Download) => downloads.push(download);
  page.on('download', onDownload);
  try {
    const first = page.waitForEvent('download');
    await page.getByTestId('export-button').click();
    await page.getByTestId(testId).click();
    await first;
    await expect.poll(() => downloads.length, { timeout: 20_000 }).toBe(count);
  } finally {
    page.off('download', onDownload);
  }
  const paths: string[] = [];
  for (const download of downloads) {
    const path = join(OUT, download.suggestedFilename());
    await download.saveAs(path);
    paths.push(path);
  }
  return paths;
}

async function predictWithTfjs(modelPath: string, weightsPath: string): Promise<{ shape: number[]; values: number[] }> {
  const modelJson = JSON.parse(readFileSync(modelPath, 'utf8'));
  const weights = readFileSync(weightsPath);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const input = model.inputs[0];
  const batch = tf.ones([2, ...(input.shape.slice(1) as number[])], input.dtype);
  const output = model.predict(batch) as tf.Tensor;
  const result = { shape: output.shape, values: [...(await output.data())] };
  tf.dispose([batch, output]);
  model.dispose();
  return result;
}

describe.skipIf(!hasChromium)('export in Chromium', () => {
  beforeAll(async () => {
    await ensureBuild();
    const served = await serveDirectory(DIST);
    server = served.server;
    baseUrl = served.url;
    browser = await launchChromium();
    mkdirSync(OUT, { recursive: true });
    await tf.setBackend('cpu');
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it('every format downloads from the Export menu', async () => {
    await openEditor();

    const [kerasPath] = await exportFiles('export-keras-json');
    expect(kerasPath.endsWith('solubility.keras.json')).toBe(true);
    const keras = importModelJson(readFileSync(kerasPath, 'utf8'));
    expect(keras.ok).toBe(true);
    if (keras.ok) expect(formatCount(inferGraph(keras.graph).totalParams)).toBe(SOLUBILITY_TOTAL);
    exported.keras = [kerasPath];

    const tfjsPaths = await exportFiles('export-tfjs', 2);
    expect(tfjsPaths.map((path) => path.replace(/^.*\//, '')).sort()).toEqual(['solubility.json', 'solubility.weights.bin']);
    const [modelPath, weightsPath] = [...tfjsPaths].sort();
    const prediction = await predictWithTfjs(modelPath, weightsPath);
    expect(prediction.shape).toEqual([2, 1]);
    expect(prediction.values.every(Number.isFinite)).toBe(true);
    exported.tfjs = [modelPath, weightsPath];

    const [pythonPath] = await exportFiles('export-python');
    expect(pythonPath.endsWith('solubility.py')).toBe(true);
    execFileSync('python3', ['-m', 'py_compile', pythonPath]);

    const [svgPath] = await exportFiles('export-svg');
    const svg = readFileSync(svgPath, 'utf8');
    for (const node of SOLUBILITY.nodes) expect(svg).toContain(node.name);

    await page.getByTestId('export-button').click();
    await keepScreenshot(page, 'export-menu');
    await page.getByTestId('export-button').click();

    const [pngPath] = await exportFiles('export-png');
    expect([...readFileSync(pngPath).subarray(0, 8)]).toEqual(PNG_MAGIC);

    const [summaryPath] = await exportFiles('export-summary');
    expect(readFileSync(summaryPath, 'utf8')).toContain(`Total params: ${SOLUBILITY_TOTAL}`);
  });

  it('exported models open again with the same total', async () => {
    expect(exported.keras, 'the export test saves the files opened here').toBeDefined();
    await openEditor();

    await chooseTemplate('mlp-2d');
    await expect.poll(() => total()).toBe(MLP_TOTAL);
    await page.getByTestId('project-file-input').setInputFiles(exported.keras);
    await expect.poll(() => total()).toBe(SOLUBILITY_TOTAL);

    await chooseTemplate('mlp-2d');
    await expect.poll(() => total()).toBe(MLP_TOTAL);
    await page.getByTestId('project-file-input').setInputFiles(exported.tfjs);
    await expect.poll(() => total()).toBe(SOLUBILITY_TOTAL);
    expect(await page.getByTestId('toast').textContent()).toContain(`with ${SOLUBILITY_TOTAL} weight values`);
    await keepScreenshot(page, 'export-tfjs-import');

    // The imported weights stay with the graph: exporting again writes the same values.
    const [, weightsPath] = (await exportFiles('export-tfjs', 2)).sort();
    expect(readFileSync(weightsPath).equals(readFileSync(exported.tfjs[1]))).toBe(true);
  });

  it('bad model files leave the graph as it was', async () => {
    expect(exported.tfjs, 'the export test saves the files used here').toBeDefined();
    const [modelPath, weightsPath] = exported.tfjs;
    const modelText = readFileSync(modelPath, 'utf8');
    const weights = readFileSync(weightsPath);
    const otherPath = join(OUT, 'other.bin');
    writeFileSync(otherPath, weights);
    const shortDir = join(OUT, 'short');
    mkdirSync(shortDir, { recursive: true });
    const shortPath = join(shortDir, 'solubility.weights.bin');
    writeFileSync(shortPath, weights.subarray(0, weights.length - 16));
    const lambdaDir = join(OUT, 'lambda');
    mkdirSync(lambdaDir, { recursive: true });
    const lambdaPath = join(lambdaDir, 'solubility.json');
    writeFileSync(lambdaPath, modelText.replace('"Conv1D"', '"Lambda"'));

    await openEditor();
    await chooseTemplate('mlp-2d');
    await expect.poll(() => total()).toBe(MLP_TOTAL);
    await page.getByTestId('project-file-input').setInputFiles([modelPath, weightsPath]);
    await expect.poll(() => total()).toBe(SOLUBILITY_TOTAL);
    const nodesBefore = await page.locator('.react-flow__node').count();

    const cases: [string[], string][] = [
      [[modelPath, otherPath], 'names the weights file solubility.weights.bin, which was not given (given: other.bin)'],
      [[modelPath, shortPath], `has ${weights.length - 16} bytes, but the manifest`],
      [[lambdaPath, weightsPath], 'is a Lambda (Python code), which Layerlab cannot run'],
    ];
    for (const [files, message] of cases) {
      await page.getByTestId('project-file-input').setInputFiles(files);
      await expect.poll(() => page.getByRole('alert').textContent()).toContain(message);
      expect(await total()).toBe(SOLUBILITY_TOTAL);
      expect(await page.locator('.react-flow__node').count()).toBe(nodesBefore);
    }
    await keepScreenshot(page, 'export-bad-import');

    // One undo goes back past the good import, so the bad ones added no undo step.
    await page.getByTestId('undo-button').click();
    await expect.poll(() => total()).toBe(MLP_TOTAL);
  });
});
