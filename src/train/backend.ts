/**
 * Choice of the tfjs backend: WebGPU, then WebGL, then a CPU backend. Of the two CPU backends,
 * wasm is much faster than the pure-JS cpu backend but lacks some gradient kernels:
 * tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter, so Conv1D and Conv2D cannot train
 * there. wasm is therefore chosen per model, and only when it has every kernel a training step of
 * that model runs. The check happens before the first batch, so a missing kernel cannot stop
 * training mid-epoch.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../compile/training-config';
import type { Dataset } from '../data/dataset';
import type { Graph } from '../graph/types';
import { prepareTraining } from './setup';
import type { BackendChoice, BackendName } from './types';

export type KernelLookup = (kernelName: string, backend: string) => boolean;

const registryLookup: KernelLookup = (kernelName, backend) => tf.getKernel(kernelName, backend) !== undefined;

/** Work each kernel does, for messages; kernels not listed are named alone. */
const KERNEL_USES: Readonly<Record<string, string>> = {
  Conv2DBackpropFilter: 'the weight gradient of Conv1D and Conv2D',
  Conv2DBackpropInput: 'the input gradient of Conv1D and Conv2D',
  UnsortedSegmentSum: 'the gradient of Embedding',
  DepthwiseConv2dNativeBackpropFilter: 'the weight gradient of DepthwiseConv2D and SeparableConv2D',
  DepthwiseConv2dNativeBackpropInput: 'the input gradient of DepthwiseConv2D and SeparableConv2D',
};

/** Returns the kernels of `kernelNames` that `backend` has not registered. */
export function missingKernels(kernelNames: Iterable<string>, backend: string, hasKernel: KernelLookup = registryLookup): string[] {
  return [...new Set(kernelNames)].filter((name) => !hasKernel(name, backend)).sort();
}

function describeKernels(names: string[]): string {
  const purpose = (name: string) => (KERNEL_USES[name] ? ` (${KERNEL_USES[name]})` : '');
  if (names.length === 1) return `the ${names[0]} kernel${purpose(names[0])}`;
  const described = names.map((name) => `${name}${purpose(name)}`);
  return `the kernels ${described.slice(0, -1).join(', ')} and ${described[described.length - 1]}`;
}

/**
 * Picks wasm when it has every kernel in `trainingKernels`, else cpu with the reason.
 * The kernel names come from `recordTrainingKernels`.
 */
export function chooseCpuBackend(
  trainingKernels: readonly string[],
  hasKernel: KernelLookup = registryLookup,
): { backend: 'wasm' | 'cpu'; missing: string[]; reason?: string } {
  const missing = missingKernels(trainingKernels, 'wasm', hasKernel);
  if (missing.length === 0) return { backend: 'wasm', missing };
  return { backend: 'cpu', missing, reason: `the wasm backend lacks ${describeKernels(missing)}, which training this model needs` };
}

/**
 * Runs one training step of the model on two examples on the cpu backend, which has every
 * kernel, and returns the names of the kernels it ran (forward, gradient, loss, metrics and
 * optimizer update). Ops call kernels by names that do not depend on the backend, so the list
 * applies to any backend. The backend in use before the call is set again afterwards.
 */
export async function recordTrainingKernels(graph: Graph, dataset: Dataset, config: TrainingConfig): Promise<string[]> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  const sampleCount = Math.min(2, dataset.count);
  const sample = Int32Array.from({ length: sampleCount }, (_, index) => index);
  const prepared = await prepareTraining({
    graph,
    dataset,
    config,
    split: { train: sample, validation: new Int32Array(0), test: new Int32Array(0) },
  });
  try {
    const { x, y } = prepared.batches.build(sample, 0, sampleCount);
    const profile = await tf.profile(async () => {
      await prepared.model.trainOnBatch(x, y);
      tf.dispose(prepared.model.evaluate(x, y));
    });
    tf.dispose([x, y]);
    // The profile also lists op names that wrap kernels (e.g. `fusedMatMul__op`); keep only kernels.
    return [...new Set(profile.kernels.map((kernel) => kernel.name))].filter((name) => registryLookup(name, 'cpu')).sort();
  } finally {
    prepared.dispose();
    if (previous && previous !== 'cpu') await tf.setBackend(previous);
  }
}

/** A backend that started, with the software renderer it runs on when it has no GPU. */
type Attempt = { ok: true; softwareRenderer?: string } | { ok: false; reason: string };

/** Software renderers that browsers fall back to without a usable GPU, by the name they report. */
const SOFTWARE_RENDERERS: readonly [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render/i, 'Microsoft Basic Render Driver'],
];

/**
 * Returns the software renderer named in a GPU adapter's or WebGL renderer's description, e.g.
 * "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)", or null
 * when it names a hardware GPU.
 */
export function softwareRendererIn(description: string): string | null {
  for (const [pattern, name] of SOFTWARE_RENDERERS) if (pattern.test(description)) return name;
  return null;
}

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/** Names the software renderer behind a WebGPU adapter, or returns undefined for a hardware one. */
function webGpuSoftwareRenderer(adapter: AdapterLike): string | undefined {
  const info = adapter.info ?? {};
  const named = softwareRendererIn([info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' '));
  if (named) return named;
  return info.isFallbackAdapter || adapter.isFallbackAdapter ? 'a software adapter' : undefined;
}

/** Names the software renderer behind the WebGL backend's context, or returns undefined for a hardware one. */
function webGlSoftwareRenderer(): string | undefined {
  try {
    const gl = (tf.backend() as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    const extension = gl?.getExtension('WEBGL_debug_renderer_info');
    const renderer = gl && extension ? gl.getParameter(extension.UNMASKED_RENDERER_WEBGL) : gl?.getParameter(gl.RENDERER);
    return typeof renderer === 'string' ? (softwareRendererIn(renderer) ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

let webGpuModule: Promise<unknown> | null = null;

/** Imports the WebGPU backend module once; it registers the backend without starting it. */
function importWebGpuBackend(): Promise<unknown> {
  webGpuModule ??= import('@tensorflow/tfjs-backend-webgpu');
  return webGpuModule;
}

/**
 * Loads the code of the GPU backend where the browser offers WebGPU, without choosing or starting
 * a backend, so that pressing Train does not wait for it. Failures are left to `selectBackend`.
 */
export async function preloadBackendCode(): Promise<void> {
  if (!(globalThis.navigator as (Navigator & { gpu?: unknown }) | undefined)?.gpu) return;
  await importWebGpuBackend().catch(() => undefined);
}

async function tryWebGpu(): Promise<Attempt> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }) | undefined)?.gpu;
  if (!gpu) return { ok: false, reason: 'WebGPU is not available here (navigator.gpu is missing)' };
  let adapter: unknown;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { ok: false, reason: `WebGPU is not available in this browser (requestAdapter failed: ${errorText(error)})` };
  }
  if (!adapter) return { ok: false, reason: 'WebGPU is not available in this browser (navigator.gpu gave no adapter)' };
  try {
    await importWebGpuBackend();
  } catch (error) {
    return { ok: false, reason: `the WebGPU backend failed to load (${errorText(error)})` };
  }
  if (!(await setBackendQuietly('webgpu'))) return { ok: false, reason: 'WebGPU failed to initialize' };
  const softwareRenderer = webGpuSoftwareRenderer(adapter as AdapterLike);
  return softwareRenderer ? { ok: true, softwareRenderer } : { ok: true };
}

async function tryWebGl(): Promise<Attempt> {
  if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') {
    return { ok: false, reason: 'WebGL is not available here (there is neither OffscreenCanvas nor a document to draw on)' };
  }
  if (!(await setBackendQuietly('webgl'))) return { ok: false, reason: 'WebGL failed to create a context' };
  const softwareRenderer = webGlSoftwareRenderer();
  return softwareRenderer ? { ok: true, softwareRenderer } : { ok: true };
}

let wasmLoaded: Promise<boolean> | null = null;

/** Imports the wasm backend once and, in a browser, points it at the binaries the app serves. Returns whether it imported. */
function importWasmBackend(): Promise<boolean> {
  wasmLoaded ??= (async () => {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the package reads its binaries next to itself, so only a browser needs the URLs.
      if (!isNode) wasm.setWasmPaths((await import('./wasm-paths')).WASM_PATHS);
      return true;
    } catch {
      return false;
    }
  })();
  return wasmLoaded;
}

async function tryWasm(trainingKernels: readonly string[] | undefined): Promise<Attempt> {
  if (!(await importWasmBackend())) return { ok: false, reason: 'the wasm backend failed to load' };
  if (trainingKernels) {
    const decision = chooseCpuBackend(trainingKernels);
    if (decision.reason) return { ok: false, reason: decision.reason };
  }
  return (await setBackendQuietly('wasm')) ? { ok: true } : { ok: false, reason: 'the wasm backend failed to load its binary' };
}

/** `tf.setBackend` logs its own warning on failure; the reason returned here replaces it. */
async function setBackendQuietly(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

export interface ChooseBackendOptions {
  /** Backends to try, in order; defaults to webgpu, webgl, wasm, cpu. The cpu backend is the last resort whatever the list. */
  candidates?: readonly BackendName[];
  /** Kernels a training step of the model runs (see `recordTrainingKernels`); wasm is used only when it has them all. */
  trainingKernels?: readonly string[];
}

/** The backend set by `selectBackend`, with the reasons each backend tried before it failed. */
export interface BackendSelection {
  backend: BackendName;
  reasons: string[];
  /** The software renderer a GPU backend runs on when the browser found no usable GPU. */
  softwareRenderer?: string;
}

/**
 * Sets the first backend that works and returns it, with the reasons the ones before it failed.
 * Without `trainingKernels`, wasm is taken on trust, and the caller checks the model before
 * training with `chooseCpuBackend`.
 */
export async function selectBackend(options: ChooseBackendOptions = {}): Promise<BackendSelection> {
  const candidates = options.candidates ?? ['webgpu', 'webgl', 'wasm', 'cpu'];
  const reasons: string[] = [];
  for (const candidate of candidates) {
    let attempt: Attempt;
    if (candidate === 'webgpu') attempt = await tryWebGpu();
    else if (candidate === 'webgl') attempt = await tryWebGl();
    else if (candidate === 'wasm') attempt = await tryWasm(options.trainingKernels);
    else attempt = (await setBackendQuietly('cpu')) ? { ok: true } : { ok: false, reason: 'the cpu backend failed to start' };

    if (attempt.ok) return attempt.softwareRenderer ? { backend: candidate, reasons, softwareRenderer: attempt.softwareRenderer } : { backend: candidate, reasons };
    reasons.push(attempt.reason);
  }
  await tf.setBackend('cpu');
  return { backend: 'cpu', reasons };
}

/** Sets the first backend that works, as `selectBackend`, and describes the choice for the backend badge. */
export async function chooseBackend(options: ChooseBackendOptions = {}): Promise<BackendChoice> {
  const { backend, reasons, softwareRenderer } = await selectBackend(options);
  return describeBackendChoice(backend, reasons, softwareRenderer);
}

/**
 * Joins the reasons into one sentence: "WebGPU is not available (...); WebGL failed to create a
 * context; using wasm". A GPU backend on a software renderer gets a sentence of its own.
 */
export function describeBackendChoice(backend: BackendName, reasons: readonly string[], softwareRenderer?: string): BackendChoice {
  const choice: BackendChoice = { backend };
  if (reasons.length > 0) {
    const text = `${reasons.join('; ')}; using ${backend}`;
    choice.fallbackReason = text.charAt(0).toUpperCase() + text.slice(1);
  }
  if (softwareRenderer) {
    choice.softwareRenderer = softwareRenderer;
    choice.softwareNote = `${backend === 'webgpu' ? 'WebGPU' : 'WebGL'} runs on ${softwareRenderer}, a software renderer that uses the CPU, because the browser found no usable GPU; training is much slower than on a GPU`;
  }
  return choice;
}
