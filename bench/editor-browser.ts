/**
 * Editor responsiveness in Chromium on a 300-node graph: the time from an inspector keystroke
 * to every edge label showing the new shape, and frame times while a node is dragged. A
 * 10-node graph measured in the same run is the baseline.
 *
 * Usage: npx tsx bench/editor-browser.ts (also run by `npm run bench`).
 */
import type { Page } from 'playwright-core';
import { shareLink } from '../src/project/share';
import type { Graph, GraphEdge, GraphNode } from '../src/graph/types';
import { DIST, ensureBuild, hasChromium, launchChromium, serveDirectory } from '../tests/e2e/harness';
import { describeMachine, median, writeSection } from './machine';

const KEYSTROKES = 25;

/**
 * Input [16] followed by shape-keeping layers (Activation and Dropout in turn), so a new Input
 * size changes the label on every edge.
 */
function shapeKeepingChain(size: number): Graph {
  const nodes: GraphNode[] = [{ id: 'n0', kind: 'InputLayer', name: 'input', params: { shape: [16] }, position: { x: 0, y: 0 } }];
  const edges: GraphEdge[] = [];
  for (let i = 1; i < size; i += 1) {
    const activation = i % 2 === 1;
    nodes.push({
      id: `n${i}`,
      kind: activation ? 'Activation' : 'Dropout',
      name: `${activation ? 'activation' : 'dropout'}_${i}`,
      params: activation ? { activation: 'relu' } : { rate: 0.1 },
      position: { x: (i % 3) * 260, y: Math.floor(i / 3) * 110 },
    });
    edges.push({ id: `e${i}`, source: `n${i - 1}`, target: `n${i}` });
  }
  return { nodes, edges };
}

/**
 * Types a new Input size KEYSTROKES times and returns, per keystroke, the milliseconds until
 * the last edge label shows it, and until the frame after that is painted.
 */
async function keystrokeLatencies(page: Page, lastEdgeId: string): Promise<[number, number][]> {
  return page.evaluate(
    async ({ lastEdgeId: edgeId, count }) => {
      const input = document.querySelector<HTMLInputElement>('[data-testid="inspector-shape"]')!;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const samples: [number, number][] = [];
      for (let i = 0; i < count; i += 1) {
        const size = 17 + i;
        const expected = `(None, ${size})`;
        const started = performance.now();
        setValue.call(input, String(size));
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise<void>((resolve) => {
          const check = () => document.querySelector(`[data-testid="edge-shape-${edgeId}"]`)?.textContent === expected;
          if (check()) return resolve();
          const observer = new MutationObserver(() => {
            if (check()) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
        const updated = performance.now();
        await new Promise((resolve) => requestAnimationFrame(resolve));
        samples.push([updated - started, performance.now() - started]);
      }
      return samples;
    },
    { lastEdgeId, count: KEYSTROKES },
  );
}

/** Drags a node in 60 steps and returns the intervals between painted frames meanwhile. */
async function dragFrameTimes(page: Page, nodeId: string): Promise<number[]> {
  await page.evaluate(() => {
    const frames: number[] = [];
    (window as unknown as { benchFrames: number[] }).benchFrames = frames;
    const record = (time: number) => {
      frames.push(time);
      if (frames.length < 2000) requestAnimationFrame(record);
    };
    requestAnimationFrame(record);
  });
  const box = (await page.getByTestId(`node-${nodeId}`).boundingBox())!;
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const before = await page.evaluate(() => (window as unknown as { benchFrames: number[] }).benchFrames.length);
  for (let step = 1; step <= 60; step += 1) {
    await page.mouse.move(start.x + step * 4, start.y + step * 2);
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => (window as unknown as { benchFrames: number[] }).benchFrames.slice());
  const during = frames.slice(before);
  return during.slice(1).map((time, i) => time - during[i]);
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

export async function benchEditor(): Promise<string> {
  if (!hasChromium) return '## Editor responsiveness\n\nSkipped: /usr/bin/chromium is not installed.';
  await ensureBuild();
  const { server, url } = await serveDirectory(DIST);
  const browser = await launchChromium();
  const rows: string[] = [];
  const results = new Map<number, { keystroke: number; painted: number; frame: number; frameP95: number }>();
  try {
    for (const size of [10, 300]) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      // tsx compiles the in-page functions below with esbuild's `__name` helper; define it there.
      await page.addInitScript({ content: 'window.__name = (target) => target;' });
      await page.goto(shareLink(url, shapeKeepingChain(size)));
      await page.getByTestId('node-n0').waitFor();
      // The summary row selects the node wherever the canvas has scrolled it.
      await page.getByTestId('summary-row-n0').click();
      await page.getByTestId('inspector-shape').waitFor();

      const keystrokes = await keystrokeLatencies(page, `e${size - 1}`);
      const frames = await dragFrameTimes(page, 'n1');
      const result = {
        keystroke: median(keystrokes.map(([updated]) => updated)),
        painted: median(keystrokes.map(([, painted]) => painted)),
        frame: median(frames),
        frameP95: percentile(frames, 0.95),
      };
      results.set(size, result);
      console.log(`${size} nodes: keystroke → labels ${result.keystroke.toFixed(1)} ms median (${result.painted.toFixed(1)} ms to the next frame); drag frames ${result.frame.toFixed(1)} ms median, ${result.frameP95.toFixed(1)} ms p95`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }

  const baseline = results.get(10)!;
  for (const [size, result] of results) {
    rows.push(
      `| ${size} | ${result.keystroke.toFixed(1)} | ${(result.keystroke / baseline.keystroke).toFixed(1)}× | ${result.painted.toFixed(1)} | ${result.frame.toFixed(1)} | ${result.frameP95.toFixed(1)} |`,
    );
  }
  return [
    '## Editor responsiveness in Chromium',
    '',
    `Command: \`npm run bench\` (or \`npx tsx bench/editor-browser.ts\`). Machine: ${describeMachine()}, headless Debian Chromium. Run: ${new Date().toISOString()}.`,
    '',
    'A chain of Input [16] and shape-keeping layers; each keystroke types a new Input size into the',
    'inspector (an `input` event); the time runs until the last edge label in the DOM shows it, and',
    `until the next frame is painted (medians of ${KEYSTROKES}; headless Chromium paints at 60 Hz, so the`,
    'second adds up to 16.7 ms of waiting for the next frame). Drag frames: intervals between painted frames while a node is dragged',
    'in 60 mouse steps. The 10-node graph is the baseline. Target: keystroke under 16 ms at 300 nodes.',
    '',
    '| nodes | keystroke → all labels, median (ms) | against 10 nodes | keystroke → next frame, median (ms) | drag frame, median (ms) | drag frame, p95 (ms) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeSection('editor', await benchEditor());
}
