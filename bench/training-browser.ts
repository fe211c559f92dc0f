/**
 * One epoch of the solubility model in Chromium with WebGPU (SwiftShader here): trained by the
 * app (worker, charts on) against the hand-written tfjs script in bench/baseline, in the same
 * browser, on the same backend, split and batch size. Target: app time ≤ 1.05 × the script's.
 *
 * The app trains its default data set: 500 synthetic protein-like sequences, split 400/50/50,
 * batch 32. The script trains random sequences of the same shape and count. Each time covers
 * building the model, one epoch with its validation pass, and the test evaluation.
 */
import { build } from 'vite';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM, DIST, ensureBuild, hasChromium, serveDirectory } from '../tests/e2e/harness';
import { describeMachine, median } from './machine';

const BASELINE_DIST = resolve('/tmp/layerlab-baseline-dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Time the app page is left idle before Train is pressed. */
const PAGE_IDLE_MS = 2000;

function launchWithWebGpu(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'],
  });
}

interface AppRun {
  seconds: number;
  badge: string;
  /** Main-thread CPU time while training, from the DevTools protocol's TaskDuration. */
  mainThreadBusySeconds: number;
  /** Wall durations of the main thread's long tasks (over 50 ms) while training. */
  longTasks: number[];
}

async function appEpochSeconds(browser: Browser, url: string): Promise<AppRun> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript({
    content: `window.benchLongTasks = [];
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.benchLongTasks.push(entry.duration); })
        .observe({ type: 'longtask', buffered: true });`,
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskDuration = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0;
  };
  await page.goto(url);
  await page.getByTestId('train-start').waitFor();
  await page.getByTestId('data-example-count').waitFor();
  // The worker loads tfjs when the page is first idle, as the script's page loads it before its
  // run; wait until that is over, as a person reading the page would.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(PAGE_IDLE_MS);
  await page.getByLabel('Epochs').fill('1');
  await page.evaluate('window.benchLongTasks.splice(0)');
  // Timed in the page, from the click event to the result entering the DOM: Playwright's own
  // waiting polls at growing intervals and would add up to half a second.
  await page.evaluate(`{
    window.benchTiming = {};
    document.addEventListener('click', (event) => {
      if (event.target.closest('[data-testid="train-start"]')) window.benchTiming.clicked ??= performance.now();
    }, { capture: true });
    const observer = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="training-result"]')) return;
      window.benchTiming.shown = performance.now();
      observer.disconnect();
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }`);
  const busyBefore = await taskDuration();
  await page.getByTestId('train-start').click();
  await page.getByTestId('training-result').waitFor({ timeout: 600_000 });
  const timing = (await page.evaluate('window.benchTiming')) as { clicked: number; shown: number };
  const seconds = (timing.shown - timing.clicked) / 1000;
  const mainThreadBusySeconds = (await taskDuration()) - busyBefore;
  const longTasks = (await page.evaluate('window.benchLongTasks.slice()')) as number[];
  const badge = (await page.getByTestId('backend-badge').textContent()) ?? '';
  await page.close();
  return { seconds, badge, mainThreadBusySeconds, longTasks };
}

async function baselineSeconds(browser: Browser, url: string): Promise<{ seconds: number; backend: string }> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => 'runBaseline' in window);
  const result = await page.evaluate(
    (options) => (window as unknown as { runBaseline: (o: typeof options) => Promise<{ seconds: number; backend: string }> }).runBaseline(options),
    { backend: 'webgpu', trainCount: 400, validationCount: 50, testCount: 50, batchSize: 32 },
  );
  await page.close();
  return result;
}

async function appLoopSeconds(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage();
  await page.goto(new URL('app-loop.html', url).href);
  await page.waitForFunction(() => 'runAppLoop' in window);
  const result = (await page.evaluate('runAppLoop({ backend: "webgpu", count: 500, batchSize: 32 })')) as { seconds: number };
  await page.close();
  return result.seconds;
}

export async function benchTraining(): Promise<string> {
  if (!hasChromium) return '## Training one epoch in Chromium\n\nSkipped: /usr/bin/chromium is not installed.';
  await ensureBuild();
  await build({
    root: resolve('bench/baseline'),
    configFile: false,
    logLevel: 'warn',
    base: './',
    build: {
      outDir: BASELINE_DIST,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: { input: { index: resolve('bench/baseline/index.html'), loop: resolve('bench/baseline/app-loop.html') } },
    },
  });

  const app = await serveDirectory(DIST);
  const baseline = await serveDirectory(BASELINE_DIST);
  const browser = await launchWithWebGpu();
  const appRuns: AppRun[] = [];
  const appTimes: number[] = [];
  const baselineTimes: number[] = [];
  const loopTimes: number[] = [];
  let badge = '';
  let baselineBackend = '';
  try {
    // Alternate so that machine noise hits both alike; the fresh page each time starts cold.
    for (let run = 0; run < RUNS; run += 1) {
      const fromApp = await appEpochSeconds(browser, app.url);
      appRuns.push(fromApp);
      appTimes.push(fromApp.seconds);
      badge = fromApp.badge;
      const fromScript = await baselineSeconds(browser, baseline.url);
      baselineTimes.push(fromScript.seconds);
      baselineBackend = fromScript.backend;
      loopTimes.push(await appLoopSeconds(browser, baseline.url));
      console.log(
        `run ${run + 1}: app ${fromApp.seconds.toFixed(1)} s (${badge.trim()}; main thread busy ${fromApp.mainThreadBusySeconds.toFixed(2)} s, ` +
          `long tasks ${fromApp.longTasks.map((ms) => ms.toFixed(0)).join(', ') || 'none'}), script ${fromScript.seconds.toFixed(1)} s (${baselineBackend}), loop alone ${loopTimes[run].toFixed(1)} s`,
      );
    }
  } finally {
    await browser.close();
    app.server.close();
    baseline.server.close();
  }

  const ratio = median(appTimes) / median(baselineTimes);
  const busy = appRuns.map((run) => run.mainThreadBusySeconds);
  const longTasks = appRuns.flatMap((run) => run.longTasks);
  const longest = Math.max(0, ...longTasks);
  return [
    '## Training one epoch in Chromium: app against a hand-written script',
    '',
    `Command: \`npm run bench\` (or \`npx tsx bench/training-browser.ts\`). Machine: ${describeMachine()}, headless Debian Chromium with \`--enable-unsafe-webgpu\` (SwiftShader, so the GPU work runs on the same CPU cores). Run: ${new Date().toISOString()}.`,
    '',
    'The solubility model (60,929 parameters), 400 training, 50 validation and 50 test sequences, batch 32,',
    'one epoch. App: timed in the page from the click on Train to the result entering the DOM (worker,',
    'backend start, live charts and progress, validation, test evaluation); the page is first left idle',
    `for ${PAGE_IDLE_MS / 1000} s after loading, in which the worker loads tfjs. Script: bench/baseline/train-baseline.ts,`,
    '`model.fit` on the main thread with validation data, then `model.evaluate` on the test split, timed',
    `from choosing the backend. Medians of ${RUNS} alternating runs, each in a fresh page. Target: ratio ≤ 1.05.`,
    '',
    `App backend badge: "${badge.trim()}". Script backend: ${baselineBackend}.`,
    '',
    'Loop alone: the app\'s training loop (`fitGraph`, bench/baseline/app-loop.ts) on the main thread of a bare',
    'page, the same split and batches, without the editor, charts or worker; it separates the cost of the',
    'loop from the cost of the page around it.',
    '',
    '| app (s) | script (s) | app / script | loop alone (s) | loop alone / script |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${median(appTimes).toFixed(2)} | ${median(baselineTimes).toFixed(2)} | ${ratio.toFixed(2)} | ${median(loopTimes).toFixed(2)} | ${(median(loopTimes) / median(baselineTimes)).toFixed(2)} |`,
    '',
    'The page while the app trains (same runs): main-thread CPU time from the DevTools protocol',
    '(`TaskDuration`), and the main thread\'s long tasks (over 50 ms of wall time) from the Long Tasks API.',
    'The GPU work runs on the same 2 cores here, so a task can last longer than the CPU time it uses.',
    '',
    '| main thread busy, median (s) | long tasks per run | longest task (ms) |',
    '| ---: | ---: | ---: |',
    `| ${median(busy).toFixed(2)} of ${median(appTimes).toFixed(1)} | ${appRuns.map((run) => run.longTasks.length).join(', ')} | ${longest.toFixed(0)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./machine');
  writeSection('training', await benchTraining());
}
