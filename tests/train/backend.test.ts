/**
 * Backend choice in Node: WebGPU and WebGL are missing, the wasm backend loads its binary from
 * the package folder, and wasm or cpu is chosen per model from the kernels its training runs.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { makeBlobs, makeProteinSequences } from '../../src/data/builtin';
import { getTemplate } from '../../src/graph/templates';
import { chain } from '../helpers/graph-builders';
import { chooseBackend, chooseCpuBackend, describeBackendChoice, missingKernels, recordTrainingKernels, softwareRendererIn } from '../../src/train/backend';
import { fitGraph } from '../../src/train/fit';
import { configFor, pointClassifier } from './helpers';

const conv1dGraph = () =>
  chain([12, 1], [
    { kind: 'Conv1D', params: { filters: 2, kernelSize: 3, activation: 'relu' } },
    { kind: 'Flatten' },
    { kind: 'Dense', params: { units: 1, activation: 'sigmoid' } },
  ]);

const sequences = () => {
  const dataset = makeProteinSequences({ count: 8, length: 12, seed: 4, motif: [5, 6] });
  return { ...dataset, features: { shape: [12, 1], dtype: 'float32' as const, data: Float32Array.from(dataset.features.data) } };
};

describe('backend choice', () => {
  it('Node falls back past WebGPU and WebGL to wasm', async () => {
    const choice = await chooseBackend();

    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.fallbackReason).toMatch(/^WebGPU is not available here \(navigator\.gpu is missing\); /);
    expect(choice.fallbackReason).toMatch(/WebGL is not available here .*; using wasm$/);
  });

  it('first candidate that works has no reason', async () => {
    expect(await chooseBackend({ candidates: ['cpu'] })).toEqual({ backend: 'cpu' });
  });

  it('decision reads the kernel registry', () => {
    const has = (available: string[]) => (name: string) => available.includes(name);

    expect(chooseCpuBackend(['Conv2D', 'Conv2DBackpropFilter'], has(['Conv2D']))).toMatchObject({
      backend: 'cpu',
      missing: ['Conv2DBackpropFilter'],
      reason: 'the wasm backend lacks the Conv2DBackpropFilter kernel (the weight gradient of Conv1D and Conv2D), which training this model needs',
    });
    expect(chooseCpuBackend(['BatchMatMul', 'Relu'], has(['BatchMatMul', 'Relu']))).toEqual({ backend: 'wasm', missing: [] });
  });

  it('wasm 4.22 lacks the convolution and embedding gradients', () => {
    expect(missingKernels(['Conv2D', 'Conv2DBackpropFilter', 'UnsortedSegmentSum', 'MaxPoolGrad'], 'wasm')).toEqual([
      'Conv2DBackpropFilter',
      'UnsortedSegmentSum',
    ]);
  });

  it('Dense-only model trains on wasm', async () => {
    const dataset = makeBlobs({ count: 64, classes: 3 });
    const graph = pointClassifier(3);
    const config = configFor(graph, dataset, { epochs: 2 });

    const kernels = await recordTrainingKernels(graph, dataset, config);
    expect(kernels).toContain('BatchMatMul');
    expect(chooseCpuBackend(kernels)).toEqual({ backend: 'wasm', missing: [] });

    const choice = await chooseBackend({ candidates: ['wasm', 'cpu'], trainingKernels: kernels });
    expect(choice).toEqual({ backend: 'wasm' });
    const { result, model } = await fitGraph({ graph, dataset, config });
    model.dispose();
    expect(result.status).toBe('completed');
    expect(result.backend).toBe('wasm');
  });

  it('Conv1D model is sent to cpu', async () => {
    const dataset = sequences();
    const graph = conv1dGraph();
    const config = configFor(graph, dataset, { epochs: 1, batchSize: 4 });

    const kernels = await recordTrainingKernels(graph, dataset, config);
    const decision = chooseCpuBackend(kernels);
    expect(decision.backend).toBe('cpu');
    expect(decision.missing).toEqual(['Conv2DBackpropFilter']);

    const choice = await chooseBackend({ candidates: ['wasm', 'cpu'], trainingKernels: kernels });
    expect(choice.backend).toBe('cpu');
    expect(choice.fallbackReason).toBe(
      'The wasm backend lacks the Conv2DBackpropFilter kernel (the weight gradient of Conv1D and Conv2D), which training this model needs; using cpu',
    );
  });

  it('Conv1D model really fails on wasm', async () => {
    await tf.setBackend('wasm');
    const dataset = sequences();
    const graph = conv1dGraph();
    const config = configFor(graph, dataset, { epochs: 1, batchSize: 4 });

    await expect(fitGraph({ graph, dataset, config })).rejects.toThrow("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
  });

  it('solubility model needs two kernels wasm lacks', async () => {
    const graph = getTemplate('solubility')!.build();
    const dataset = makeProteinSequences({ count: 4 });
    const config = configFor(graph, dataset, { epochs: 1 });

    const decision = chooseCpuBackend(await recordTrainingKernels(graph, dataset, config));

    expect(decision.missing).toEqual(['Conv2DBackpropFilter', 'UnsortedSegmentSum']);
    expect(decision.reason).toMatch(/lacks the kernels Conv2DBackpropFilter \(.*\) and UnsortedSegmentSum \(the gradient of Embedding\)/);
  });

  it('reasons join into one sentence', () => {
    expect(describeBackendChoice('wasm', ['WebGPU is not available in this browser (navigator.gpu gave no adapter)', 'WebGL failed to create a context'])).toEqual({
      backend: 'wasm',
      fallbackReason: 'WebGPU is not available in this browser (navigator.gpu gave no adapter); WebGL failed to create a context; using wasm',
    });
  });

  it('software renderers are named from what browsers report', () => {
    expect(softwareRendererIn('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe('SwiftShader');
    expect(softwareRendererIn('google swiftshader')).toBe('SwiftShader');
    expect(softwareRendererIn('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRendererIn('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBeNull();
    expect(softwareRendererIn('nvidia ampere')).toBeNull();
  });

  it('a GPU backend on a software renderer says what that means', () => {
    const choice = describeBackendChoice('webgpu', [], 'SwiftShader');
    expect(choice).toMatchObject({ backend: 'webgpu', softwareRenderer: 'SwiftShader' });
    expect(choice.fallbackReason).toBeUndefined();
    expect(choice.softwareNote).toBe(
      'WebGPU runs on SwiftShader, a software renderer that uses the CPU, because the browser found no usable GPU; training is much slower than on a GPU',
    );
  });
});
