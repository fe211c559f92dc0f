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
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Time the app page is left idle before Train is pressed. */
const PAGE_IDLE_MS = 2000;

function launchWithWebGpu(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'],
  });
}

/** One task of the page's main thread: its wall time, and the CPU time its thread had meanwhile. */
interface MainThreadTask {
  wallMs: number;
  cpuMs: number;
}

interface AppRun {
  seconds: number;
  badge: string;
  /** The page's main-thread tasks while training, from a DevTools trace. */
  tasks: MainThreadTask[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Returns the tasks of the renderer's main thread in a DevTools trace. Closed pages leave idle
 * renderers behind, so the main thread taken is the one that was busiest.
 */
function mainThreadTasks(events: TraceEvent[]): MainThreadTask[] {
  const mainThreads = events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  let busiest: MainThreadTask[] = [];
  for (const thread of mainThreads) {
    const tasks = events
      .filter((event) => event.pid === thread.pid && event.tid === thread.tid && event.ph === 'X' && event.name === 'RunTask')
      .map((event) => ({ wallMs: (event.dur ?? 0) / 1000, cpuMs: (event.tdur ?? 0) / 1000 }));
    const total = (list: MainThreadTask[]) => list.reduce((sum, task) => sum + task.wallMs, 0);
    if (total(tasks) > total(busiest)) busiest = tasks;
  }
  return busiest;
}

/** Returns the median of the run-by-run ratios `times[i] / baseline[i]`. */
function pairedRatio(times: number[], baseline: number[]): number {
  return median(times.map((time, index) => time / baseline[index]));
}

function cpuSeconds(tasks: MainThreadTask[]): number {
  return tasks.reduce((sum, task) => sum + task.cpuMs, 0) / 1000;
}

function longestTask(tasks: MainThreadTask[], key: keyof MainThreadTask): number {
  return Math.max(0, ...tasks.map((task) => task[key]));
}

async function appEpochSeconds(browser: Browser, url: string): Promise<AppRun> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(url);
  await page.getByTestId('train-start').waitFor();
  await page.getByTestId('data-example-count').waitFor();
  // The worker loads tfjs when the page is first idle, as the script's page loads it before its
  // run. Wait until that is over, as a person reading the page would.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(PAGE_IDLE_MS);
  await page.getByLabel('Epochs').fill('1');
  // Timed in the page, from the click event to the result entering the DOM: Playwright's own
  // waiting polls at growing intervals and would add up to half a second.
  await page.evaluate(`{
    window.benchTiming = {};
    document.addEventListener('click', (event) => {
      if (event.target.closest('[data-testid="train-start"]')) window.benchTiming.clickedAt ??= performance.now();
    }, { capture: true });
    const observer = new MutationObserver(() => {
      if (!document.querySelector('[data-testid="training-result"]')) return;
      window.benchTiming.resultAt = performance.now();
      observer.disconnect();
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }`);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
  const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.getByTestId('train-start').click();
  await page.getByTestId('training-result').waitFor({ timeout: 600_000 });
  const timing = (await page.evaluate('window.benchTiming')) as { clickedAt: number; resultAt: number };
  const seconds = (timing.resultAt - timing.clickedAt) / 1000;
  await cdp.send('Tracing.end');
  await traced;
  // The backend's name, and the software renderer it runs on where the badge names one.
  const badgeElement = page.getByTestId('backend-badge');
  const name = (await badgeElement.locator('strong').textContent()) ?? '';
  const renderer = /runs on ([\w ]+?), a software renderer/.exec((await badgeElement.getAttribute('title')) ?? '')?.[1];
  const badge = renderer ? `${name} on ${renderer}, a software renderer` : name;
  await page.close();
  return { seconds, badge, tasks: mainThreadTasks(events) };
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
        `run ${run + 1}: app ${fromApp.seconds.toFixed(1)} s (${badge.trim()}; main thread CPU ${(cpuSeconds(fromApp.tasks)).toFixed(2)} s, ` +
          `longest task ${longestTask(fromApp.tasks, 'wallMs').toFixed(0)} ms wall, ${longestTask(fromApp.tasks, 'cpuMs').toFixed(0)} ms CPU), script ${fromScript.seconds.toFixed(1)} s (${baselineBackend}), loop alone ${loopTimes[run].toFixed(1)} s`,
      );
    }
  } finally {
    await browser.close();
    app.server.close();
    baseline.server.close();
  }

  const ratio = median(appTimes) / median(baselineTimes);
  const tasks = appRuns.flatMap((run) => run.tasks);
  const over50 = (key: keyof MainThreadTask) => appRuns.map((run) => run.tasks.filter((task) => task[key] > 50).length).join(', ');
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
    `App backend, from its badge: ${badge.trim()}. Script backend: ${baselineBackend}.`,
    '',
    'Loop alone: the app\'s training loop (`fitGraph`, bench/baseline/app-loop.ts) on the main thread of a bare',
    'page, the same split and batches, without the editor, charts or worker; it separates the cost of the',
    'loop from the cost of the page around it.',
    '',
    'The ratios of medians compare the medians of each column; the paired ratios are the median of',
    'the ratios within each run, whose three measurements follow one another and so share the',
    'machine\'s load at the time.',
    '',
    '| app (s) | script (s) | app / script | app / script, paired | loop alone (s) | loop alone / script | loop alone / script, paired |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${median(appTimes).toFixed(2)} | ${median(baselineTimes).toFixed(2)} | ${ratio.toFixed(2)} | ${pairedRatio(appTimes, baselineTimes).toFixed(2)} | ${median(loopTimes).toFixed(2)} | ${(median(loopTimes) / median(baselineTimes)).toFixed(2)} | ${pairedRatio(loopTimes, baselineTimes).toFixed(2)} |`,
    '',
    'The page\'s main thread while the app trains (same runs), from a DevTools trace of its tasks: the',
    'CPU time it used, and its tasks over 50 ms, by wall time and by the CPU time the thread had in them.',
    'The GPU work runs on the same 2 cores here, so a task can last longer than the CPU time it uses.',
    '',
    '| main-thread CPU, median (s) | tasks over 50 ms wall, per run | longest task, wall (ms) | tasks over 50 ms CPU, per run | longest task, CPU (ms) |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${median(appRuns.map((run) => cpuSeconds(run.tasks))).toFixed(2)} of ${median(appTimes).toFixed(1)} | ${over50('wallMs')} | ${longestTask(tasks, 'wallMs').toFixed(0)} | ${over50('cpuMs')} | ${longestTask(tasks, 'cpuMs').toFixed(0)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./machine');
  writeSection('training', await benchTraining());
}
