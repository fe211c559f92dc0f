/**
 * The editor in a real Chromium, used as a person uses it: dragging layers from the palette,
 * wiring them, editing in the inspector, fixing errors, undoing, saving, opening and sharing.
 * Each test keeps a screenshot in test-results/e2e/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate, TEMPLATES } from '../../src/graph/templates';
import { formatCount } from '../../src/layers';
import { shareLink } from '../../src/project/share';
import type { Graph } from '../../src/graph/types';
import { ARTEFACTS, DIST, ensureBuild, firstLoadScripts, hasChromium, keepScreenshot, launchChromium, serveDirectory } from './harness';

if (!hasChromium) console.warn('Skipping the end-to-end tests: /usr/bin/chromium is missing (apt-get install chromium).');

const SOLUBILITY_TOTAL = formatCount(inferGraph(getTemplate('solubility')!.build()).totalParams);

let browser: Browser;
let server: Server;
let baseUrl: string;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

async function openEditor(url = baseUrl): Promise<void> {
  await page.goto(url);
  await page.getByTestId('summary-total-params').waitFor();
  // The default project lays itself out with elkjs after the first paint.
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length > 0);
  // The data and training panels load after the editor and take the lower part of the window, so
  // a layer scrolled into view before they come could end up behind them.
  await page.getByTestId('train-start').waitFor();
}

/**
 * Scrolls the canvas to a layer by clicking its summary row, as a person does to reach the lower
 * layers of a long model, and waits until the scroll animation has stopped.
 */
async function revealLayer(nodeId: string): Promise<void> {
  await page.getByTestId(`summary-row-${nodeId}`).click();
  const node = page.getByTestId(`node-${nodeId}`);
  let previous = JSON.stringify(await node.boundingBox());
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await page.waitForTimeout(150);
    const current = JSON.stringify(await node.boundingBox());
    if (current === previous) return;
    previous = current;
  }
}

/** Waits until the canvas has stopped moving: the view is fitted again once a template's data loads. */
async function viewStill(): Promise<void> {
  const transform = () => page.locator('.react-flow__viewport').evaluate((element) => (element as HTMLElement).style.transform);
  let previous = await transform();
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await page.waitForTimeout(300);
    const current = await transform();
    if (current === previous) return;
    previous = current;
  }
}

function total(): Locator {
  return page.getByTestId('summary-total-params');
}

async function chooseTemplate(id: string): Promise<void> {
  await page.getByTestId('templates-button').click();
  await page.getByTestId(`template-${id}`).click();
}

async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Drags the mouse from the output handle of one node to the input handle of another, and calls
 * `beforeRelease` while the button is still held over the target.
 */
async function dragConnection(sourceId: string, targetId: string, beforeRelease?: () => Promise<void>): Promise<void> {
  const source = page.locator(`[data-id="${sourceId}"] .react-flow__handle.source`);
  const target = page.locator(`[data-id="${targetId}"] .react-flow__handle.target`);
  // Both ends must stay in place together: the canvas may still be panning after the last step.
  let from = await centreOf(source);
  let to = await centreOf(target);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await page.waitForTimeout(150);
    const [nextFrom, nextTo] = [await centreOf(source), await centreOf(target)];
    const still = nextFrom.x === from.x && nextFrom.y === from.y && nextTo.x === to.x && nextTo.y === to.y;
    [from, to] = [nextFrom, nextTo];
    if (still) break;
  }
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await beforeRelease?.();
  await page.mouse.up();
}

async function edgeCount(): Promise<number> {
  return page.locator('.react-flow__edge').count();
}

/**
 * Connects two nodes with the mouse and waits for the new edge. On a loaded machine the drop can
 * miss the handle while the page is busy, so a missed drop is tried again, up to three times.
 */
async function connectNodes(sourceId: string, targetId: string): Promise<void> {
  const before = await edgeCount();
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    await dragConnection(sourceId, targetId);
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      if ((await edgeCount()) > before) return;
      await page.waitForTimeout(100);
    }
    await keepScreenshot(page, `missed-connection-${sourceId}-${targetId}-${attempt}`);
  }
  throw new Error(`dragging from ${sourceId} to ${targetId} made no edge after three tries`);
}

/** Drags a palette item onto the canvas at a point given relative to the canvas. */
async function dragFromPalette(className: string, at: { x: number; y: number }): Promise<void> {
  const item = page.getByTestId(`palette-${className}`);
  await item.scrollIntoViewIfNeeded();
  await item.dragTo(page.locator('.react-flow__pane'), { targetPosition: at });
}

async function nodeIds(): Promise<string[]> {
  return page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id') ?? ''));
}

/** A node of Chromium's accessibility tree, as the DevTools protocol returns it. */
interface AxNode {
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
  properties?: { name: string; value: { value: unknown } }[];
  backendDOMNodeId?: number;
}

/** Presses Tab until the focused element matches `selector`, and fails after `limit` presses. */
async function tabTo(selector: string, limit: number): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`${limit} presses of Tab did not reach ${selector}; the focus is on ${focused}`);
}

describe.skipIf(!hasChromium)('editor in Chromium', () => {
  beforeAll(async () => {
    await ensureBuild();
    const served = await serveDirectory(DIST);
    server = served.server;
    baseUrl = served.url;
    browser = await launchChromium();
    mkdirSync(ARTEFACTS, { recursive: true });
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

  it('first load carries no tfjs', () => {
    const scripts = firstLoadScripts();
    expect(scripts.length).toBeGreaterThan(0);
    // Flag names that tfjs registers as strings, so they survive minification.
    for (const script of scripts) expect(script.text, script.path).not.toMatch(/WEBGL_VERSION|WASM_HAS_SIMD_SUPPORT|IS_NODE/);
  });

  it('first start shows the solubility model', async () => {
    await openEditor();
    await expect.poll(() => total().textContent()).toBe(SOLUBILITY_TOTAL);
    expect(await page.getByTestId('edge-shape-e3').textContent()).toBe('(None, 196, 16)');
    expect(await page.getByTestId('node-params-n3').textContent()).toBe('1,296');
    await keepScreenshot(page, 'first-start');
  });

  it('drag Dense and Conv1D from the palette and connect them', async () => {
    await openEditor();
    await chooseTemplate('blank');
    await expect.poll(() => nodeIds()).toEqual([]);

    await dragFromPalette('InputLayer', { x: 300, y: 80 });
    await dragFromPalette('Conv1D', { x: 300, y: 260 });
    await dragFromPalette('Dense', { x: 300, y: 440 });
    await expect.poll(() => nodeIds()).toHaveLength(3);
    const [input, conv, dense] = await nodeIds();

    await page.getByTestId(`node-${input}`).click();
    await page.getByTestId('inspector-shape').fill('100, 8');
    await connectNodes(input, conv);
    await connectNodes(conv, dense);

    const labels = page.locator('[data-testid^="edge-shape-"]');
    await expect.poll(() => labels.allTextContents()).toEqual(['(None, 100, 8)', '(None, 98, 32)']);
    expect(await page.getByTestId(`node-params-${conv}`).textContent()).toBe(formatCount(3 * 8 * 32 + 32));
    // Dense on a sequence is the rank error that Flatten fixes.
    await expect.poll(() => page.getByTestId(`node-error-${dense}`).textContent()).toContain('add Flatten before it');
    await keepScreenshot(page, 'drag-and-connect');
  });

  it('a refused connection says why', async () => {
    await openEditor();
    await revealLayer('n4');
    // The line turns red over the handle before the button is released.
    let lineWhileHeld: string | null = null;
    await dragConnection('n5', 'n3', async () => {
      lineWhileHeld = await page.locator('.react-flow__connection').getAttribute('class');
    });
    expect(lineWhileHeld).toContain('invalid');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('would make a cycle');
    expect(await total().textContent()).toBe(SOLUBILITY_TOTAL);
    await keepScreenshot(page, 'refused-connection');
  });

  it('change kernelSize in the inspector', async () => {
    await openEditor();
    await page.getByTestId('node-n3').click();
    await page.getByTestId('inspector-kernelSize').fill('7');

    const edited = getTemplate('solubility')!.build();
    edited.nodes.find((node) => node.id === 'n3')!.params.kernelSize = 7;
    const expected = inferGraph(edited);
    await expect.poll(() => page.getByTestId('edge-shape-e3').textContent()).toBe('(None, 194, 16)');
    expect(await page.getByTestId('node-params-n3').textContent()).toBe('1,808');
    expect(await total().textContent()).toBe(formatCount(expected.totalParams));
    expect(await page.getByTestId('explain-params').textContent()).toBe('kernel 7 × 16 × 16 + bias 16 = 1,808');

    await page.getByTestId('inspector-kernelSize').fill('0');
    expect(await page.getByTestId('inspector-kernelSize').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('edge-shape-e3').textContent()).toBe('(None, 194, 16)');
    await keepScreenshot(page, 'inspector-kernel-size');
  });

  it('make a rank error and fix it with one click', async () => {
    await openEditor();
    await revealLayer('n9');
    await page.getByTestId('node-n9').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => nodeIds()).not.toContain('n9');
    await connectNodes('n8', 'n10');

    const error = page.getByTestId('node-error-n10');
    await expect.poll(() => error.textContent()).toContain('Dense needs rank 2 but got (None, 10, 16)');
    await keepScreenshot(page, 'rank-error');

    await page.getByTestId('node-fix-n10').click();
    await expect.poll(() => error.count()).toBe(0);
    expect(await total().textContent()).toBe(SOLUBILITY_TOTAL);
    await keepScreenshot(page, 'rank-error-fixed');
  });

  it('an error note near the right edge moves left', async () => {
    await openEditor();
    await page.getByTestId('node-n3').click();
    await page.getByTestId('inspector-kernelSize').fill('500');
    const note = page.getByTestId('node-error-n3');
    await expect.poll(() => note.textContent()).toContain('padding');
    const layer = page.locator('.react-flow__node[data-id="n3"] .layer-node');
    expect(await layer.getAttribute('class')).not.toContain('has-note-left');

    // Pan the canvas until the layer touches its right edge, by dragging the empty middle of its
    // left side (the overview map and the zoom buttons sit in the corners there).
    const canvas = (await page.locator('.react-flow').boundingBox())!;
    const box = (await page.getByTestId('node-n3').boundingBox())!;
    const shift = canvas.x + canvas.width - 20 - (box.x + box.width);
    const grip = { x: canvas.x + 20, y: canvas.y + canvas.height / 2 };
    await page.mouse.move(grip.x, grip.y);
    await page.mouse.down();
    await page.mouse.move(grip.x + shift, grip.y, { steps: 10 });
    await page.mouse.up();

    await expect.poll(() => layer.getAttribute('class')).toContain('has-note-left');
    const noteBox = (await note.boundingBox())!;
    expect(noteBox.x).toBeGreaterThanOrEqual(canvas.x);
    expect(noteBox.x + noteBox.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    await keepScreenshot(page, 'error-note-left');
  });

  it('auto-layout keeps notes off other layers', async () => {
    // Two branches from one Input, one of them with a rank error, merged by Concatenate.
    const graph: Graph = {
      nodes: [
        { id: 'in', kind: 'InputLayer', name: 'input_1', params: { shape: [2] }, position: { x: 0, y: 0 } },
        { id: 'a', kind: 'Dense', name: 'branch_a', params: { units: 8 }, position: { x: 0, y: 0 } },
        { id: 'conv', kind: 'Conv2D', name: 'conv2d', params: {}, position: { x: 0, y: 0 } },
        { id: 'b', kind: 'Dense', name: 'branch_b', params: { units: 8 }, position: { x: 0, y: 0 } },
        { id: 'cat', kind: 'Concatenate', name: 'concatenate', params: {}, position: { x: 0, y: 0 } },
        { id: 'out', kind: 'Dense', name: 'dense_out', params: { units: 1, activation: 'sigmoid' }, position: { x: 0, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'a' },
        { id: 'e2', source: 'a', target: 'conv' },
        { id: 'e3', source: 'in', target: 'b' },
        { id: 'e4', source: 'conv', target: 'cat', targetInput: 0 },
        { id: 'e5', source: 'b', target: 'cat', targetInput: 1 },
        { id: 'e6', source: 'cat', target: 'out' },
      ],
    };
    await openEditor(shareLink(baseUrl, graph));
    await expect.poll(() => page.getByTestId('node-error-conv').count()).toBe(1);
    await page.getByTestId('layout-button').click();
    await page.waitForTimeout(800);

    const covered = await page.evaluate(() => {
      const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
      const problems: string[] = [];
      for (const note of document.querySelectorAll('.layer-node__error')) {
        const box = note.getBoundingClientRect();
        const owner = note.closest('.react-flow__node')!;
        if (box.left < canvas.left || box.right > canvas.right) problems.push(`${owner.getAttribute('data-id')}: cut by the canvas edge`);
        for (const node of document.querySelectorAll('.react-flow__node')) {
          if (node !== owner && overlap(box, node.getBoundingClientRect())) problems.push(`${owner.getAttribute('data-id')} covers ${node.getAttribute('data-id')}`);
        }
      }
      return problems;
    });
    expect(covered).toEqual([]);
    await keepScreenshot(page, 'auto-layout-notes');
  });

  it('hide the panels to give the canvas room', async () => {
    await openEditor();
    const canvas = page.locator('.canvas');
    const before = (await canvas.boundingBox())!.height;

    await page.getByTestId('panels-toggle').click();
    await expect.poll(async () => (await canvas.boundingBox())!.height).toBeGreaterThan(before + 150);
    expect(await page.getByTestId('panels-toggle').textContent()).toBe('Show panels');
    await keepScreenshot(page, 'panels-hidden');

    await page.getByTestId('panels-toggle').click();
    await expect.poll(async () => (await canvas.boundingBox())!.height).toBe(before);
    expect(await page.getByTestId('train-start').isVisible()).toBe(true);
  });

  it('build and edit with the keyboard alone', async () => {
    await openEditor();
    await page.locator('body').focus();

    // The palette's kinds are one Tab stop, so the search box and the kinds come early.
    await tabTo('[data-testid="palette-search"]', 15);
    await page.keyboard.type('dense');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.inspector__title').textContent()).toBe('Dense');
    const [added] = await page.evaluate(() => [...document.querySelectorAll('.react-flow__node.selected')].map((node) => node.getAttribute('data-id')));
    expect(added).toBeTruthy();

    // On to the inspector, past the palette and the layers on the canvas.
    await tabTo('[data-testid="inspector-units"]', 60);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('12');
    await expect.poll(() => page.getByTestId(`node-${added}`).textContent()).toContain('12 units');

    // The summary rows are one Tab stop. The arrow keys move between them, and Enter selects.
    await tabTo('[data-testid^="summary-row-"]', 40);
    const focusedRow = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    for (let presses = 0; presses < 12 && !(await focusedRow()).startsWith('conv1d (Conv1D)'); presses += 1) {
      await page.keyboard.press('ArrowDown');
    }
    expect(await focusedRow()).toBe('conv1d (Conv1D), output (None, 196, 16), 1,296 parameters');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.inspector__title').textContent()).toBe('Conv1D');
    // The inspector had scrolled down to the units field, and the next layer's settings start at the top.
    expect(await page.locator('.inspector').evaluate((panel) => panel.scrollTop)).toBe(0);
    await keepScreenshot(page, 'keyboard-alone');
  });

  it('wire a chain with the keyboard alone', async () => {
    await openEditor();
    await page.locator('body').focus();
    await tabTo('[data-testid="templates-button"]', 5);
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => nodeIds()).toEqual([]);
    // The menu gives the focus back to its button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('templates-button');

    // Enter adds a kind after the selected layer, connected to it: a chain grows from the keyboard.
    await tabTo('[data-testid="palette-search"]', 15);
    for (const [query, kind] of [
      ['input', 'InputLayer'],
      ['dense', 'Dense'],
      ['dropout', 'Dropout'],
    ]) {
      await page.keyboard.press('Control+a');
      await page.keyboard.type(query);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.inspector__title').textContent()).toBe(kind);
    }
    // The editor still fills the window while the palette shows only a few kinds.
    const workspace = (await page.locator('.workspace').boundingBox())!;
    expect(workspace.y + workspace.height).toBe(900);
    const labels = page.locator('[data-testid^="edge-shape-"]');
    await expect.poll(() => labels.allTextContents()).toHaveLength(2);
    const [input, dense, dropout] = await nodeIds();
    const edges = await page.locator('.react-flow__edge').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-id')));
    expect(edges).toHaveLength(2);
    expect(await page.getByTestId(`node-${dense}`).textContent()).toContain('32 units');
    expect(await page.getByTestId(`node-params-${dropout}`).textContent()).toBe('0');
    expect(input).toBeTruthy();
    await keepScreenshot(page, 'keyboard-chain');

    // Deleting the focused layer moves the focus to the layer that fed it.
    await page.locator(`.react-flow__node[data-id="${dropout}"]`).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Delete');
    await expect.poll(() => nodeIds()).toHaveLength(2);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(dense);
  });

  it('every control has an accessible name', async () => {
    await openEditor();
    await page.getByTestId('node-n3').click();
    const session = await context.newCDPSession(page);
    const { nodes } = (await session.send('Accessibility.getFullAXTree')) as {
      nodes: AxNode[];
    };
    const focusable = (node: AxNode) => node.properties?.some((property) => property.name === 'focusable' && property.value.value === true) ?? false;
    const roles = ['button', 'textbox', 'spinbutton', 'combobox', 'checkbox', 'searchbox', 'slider', 'application'];
    // Rows and groups count where the keyboard reaches them, as the summary's rows and the layers on the canvas.
    const reachable = ['row', 'group'];
    const controls = nodes.filter(
      (node) => !node.ignored && (roles.includes(node.role?.value ?? '') || (reachable.includes(node.role?.value ?? '') && focusable(node))),
    );
    expect(controls.length).toBeGreaterThan(40);
    const unnamed = controls.filter((node) => (node.name?.value ?? '').trim() === '').map((node) => `${node.role?.value} #${node.backendDOMNodeId}`);
    expect(unnamed).toEqual([]);
  });

  it('undo and redo', async () => {
    await openEditor();
    await page.getByTestId('node-n6').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => nodeIds()).toHaveLength(11);

    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeIds()).toHaveLength(12);
    expect(await total().textContent()).toBe(SOLUBILITY_TOTAL);

    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => nodeIds()).toHaveLength(11);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+y');
    await expect.poll(() => nodeIds()).toHaveLength(11);

    // A drag is one step, however many positions it passed through.
    const node = page.getByTestId('node-n2');
    const before = await node.boundingBox();
    const start = await centreOf(node);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (let step = 1; step <= 10; step += 1) await page.mouse.move(start.x + step * 20, start.y + step * 5);
    await page.mouse.up();
    await expect.poll(async () => (await node.boundingBox())!.x).toBeGreaterThan(before!.x + 150);
    await page.getByTestId('undo-button').click();
    await expect.poll(async () => (await node.boundingBox())!.x).toBeCloseTo(before!.x, 0);
    await expect.poll(() => nodeIds()).toHaveLength(11);
    await keepScreenshot(page, 'undo-redo');
  });

  it('copy and paste gives new ids and names', async () => {
    await openEditor();
    await page.getByTestId('node-n3').click();
    await page.getByTestId('node-n4').click({ modifiers: ['Control'] });
    await page.getByTestId('node-n5').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(3);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodeIds()).toHaveLength(15);
    const ids = await nodeIds();
    expect(new Set(ids).size).toBe(15);
    expect(await page.getByText('conv1d_3', { exact: true }).count()).toBeGreaterThan(0);

    // The copies cover none of the layers that were there.
    const boxes = await page.locator('.react-flow__node').evaluateAll((nodes) =>
      nodes.map((node) => ({ id: node.getAttribute('data-id'), box: node.getBoundingClientRect().toJSON() as DOMRect })),
    );
    const copies = boxes.filter((entry) => !['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'n11', 'n12'].includes(entry.id!));
    const originals = boxes.filter((entry) => !copies.includes(entry));
    const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    expect(copies.filter((copy) => originals.some((original) => overlap(copy.box, original.box)))).toEqual([]);

    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodeIds()).toHaveLength(30);

    await keepScreenshot(page, 'copy-paste');
  });

  it('undo of a paste brings the model back into view', async () => {
    await openEditor();
    await chooseTemplate('mlp-2d');
    await expect.poll(() => nodeIds()).toHaveLength(4);
    await viewStill();
    await page.locator('.react-flow__node', { hasText: 'dense_1' }).click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodeIds()).toHaveLength(5);
    await viewStill();

    // The view went to the copy. Undo removes it, and the view comes back to the model.
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeIds()).toHaveLength(4);
    const inView = () =>
      page.locator('.react-flow__node').evaluateAll((nodes) => {
        const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
        return nodes.filter((node) => {
          const box = node.getBoundingClientRect();
          return box.left < canvas.right && box.right > canvas.left && box.top < canvas.bottom && box.bottom > canvas.top;
        }).length;
      });
    await expect.poll(inView).toBe(4);
  });

  it('reload and find the graph', async () => {
    await openEditor();
    await page.getByTestId('palette-Dropout').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => nodeIds()).toHaveLength(13);
    await page.getByTestId('node-n3').click();
    await page.getByTestId('inspector-filters').fill('24');
    await expect.poll(() => page.getByTestId('node-params-n3').textContent()).toBe(formatCount(5 * 16 * 24 + 24));

    await page.reload();
    await page.getByTestId('summary-total-params').waitFor();
    await expect.poll(() => nodeIds()).toHaveLength(13);
    expect(await page.getByTestId('node-params-n3').textContent()).toBe(formatCount(5 * 16 * 24 + 24));
    expect(await page.locator('.react-flow__node.selected').count()).toBe(0);
    await keepScreenshot(page, 'reload');
  });

  it('save, clear, open the file', async () => {
    await openEditor();
    await page.getByTestId('node-n11').click();
    await page.getByTestId('inspector-units').fill('48');
    const savedTotal = await total().textContent();

    const download = page.waitForEvent('download');
    await page.getByTestId('save-button').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('solubility.layerlab.json');
    const path = join(ARTEFACTS, 'saved.layerlab.json');
    await file.saveAs(path);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ format: 'layerlab-project', version: 1 });

    await chooseTemplate('blank');
    await expect.poll(() => total().textContent()).toBe('0');
    await page.getByTestId('project-file-input').setInputFiles(path);
    await expect.poll(() => total().textContent()).toBe(savedTotal);
    await expect.poll(() => nodeIds()).toHaveLength(12);
    await keepScreenshot(page, 'save-open');
  });

  it('an invalid file shows the field and keeps the graph', async () => {
    await openEditor();
    const project = JSON.parse(JSON.stringify({ format: 'layerlab-project', version: 1, graph: getTemplate('mlp-2d')!.build() }));
    project.graph.nodes[1].params = 'sixteen units';
    const path = join(ARTEFACTS, 'invalid.layerlab.json');
    writeFileSync(path, JSON.stringify(project));

    await page.getByTestId('project-file-input').setInputFiles(path);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('graph.nodes[1].params');
    expect(await alert.textContent()).toContain('"sixteen units"');
    expect(await total().textContent()).toBe(SOLUBILITY_TOTAL);
    await keepScreenshot(page, 'invalid-file');
  });

  it('open a Keras model JSON', async () => {
    await openEditor();
    await chooseTemplate('blank');
    const graph = getTemplate('residual')!.build();
    const path = join(ARTEFACTS, 'residual-keras.json');
    writeFileSync(path, JSON.stringify(graphToKerasModel(graph)));
    await page.getByTestId('project-file-input').setInputFiles(path);
    await expect.poll(() => total().textContent()).toBe(formatCount(inferGraph(graph).totalParams));
    await keepScreenshot(page, 'keras-import');
  });

  it('open a share link', async () => {
    await openEditor();
    await chooseTemplate('residual');
    const expected = formatCount(inferGraph(getTemplate('residual')!.build()).totalParams);
    await expect.poll(() => total().textContent()).toBe(expected);
    await page.getByTestId('share-button').click();
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/#g=[A-Za-z0-9_-]+$/);

    // A fresh browser profile, so the graph can only come from the link.
    const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const visitor = await other.newPage();
    await visitor.goto(link);
    await expect.poll(() => visitor.getByTestId('summary-total-params').textContent()).toBe(expected);
    expect(new URL(visitor.url()).hash).toBe('');
    await keepScreenshot(visitor, 'share-link');

    await visitor.goto(`${baseUrl}#g=not-a-real-graph`);
    await expect.poll(() => visitor.getByRole('alert').textContent()).toContain('share link is damaged');
    await other.close();
  });

  it('load each template and check its total against the engine', async () => {
    await openEditor();
    for (const template of TEMPLATES) {
      await chooseTemplate(template.id);
      const expected = formatCount(inferGraph(template.build()).totalParams);
      await expect.poll(() => total().textContent(), { message: template.id }).toBe(expected);
      await expect.poll(() => nodeIds(), { message: template.id }).toHaveLength(template.build().nodes.length);
      await viewStill();
      // Every summary cell fits its column: the columns are sized from the longest text.
      const overflowing = await page
        .locator('.summary__row > [role="cell"]')
        .evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent));
      expect(overflowing, template.id).toEqual([]);
      // The overview map shows exactly when part of the model lies outside the canvas.
      const outside = await page.locator('.react-flow__node').evaluateAll((nodes) => {
        const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
        return nodes.some((node) => {
          const box = node.getBoundingClientRect();
          return box.left < canvas.left || box.top < canvas.top || box.right > canvas.right || box.bottom > canvas.bottom;
        });
      });
      expect(await page.locator('.react-flow__minimap').count(), template.id).toBe(outside ? 1 : 0);
      await keepScreenshot(page, `template-${template.id}`);
    }
  });
});
