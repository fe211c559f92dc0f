/**
 * Built-in data sets that need no network beyond the site itself. Synthetic sets are generated on
 * demand from a seed. Real sets (MNIST, Palmer penguins) are fetched from files that the build
 * writes into the site. More loaders can be added to the registry.
 */

import type { Dataset } from './dataset';
import { DataFileError } from './errors';
import { loadMnist, type MnistOptions } from './mnist';
import { loadPenguins, type PenguinOptions } from './penguins';
import { mulberry32 } from './split';

/** Options shared by the synthetic 2-D data sets. */
export interface PointSetOptions {
  /** Number of examples; defaults to 400. */
  count?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate; each set has its own default. */
  noise?: number;
  /** Seed of the generator; defaults to 1. */
  seed?: number;
}

export interface BlobOptions extends PointSetOptions {
  /** Number of blobs, one class each; defaults to 3. */
  classes?: number;
}

export interface ProteinOptions {
  /** Number of sequences; defaults to 1000. */
  count?: number;
  /** Padded sequence length; defaults to 200, as in the solubility data set. */
  length?: number;
  /** Seed of the generator; defaults to 1. */
  seed?: number;
  /** Tokens (1 to 20) whose presence makes the label 1; defaults to DEFAULT_PROTEIN_MOTIF. */
  motif?: number[];
}

export type BuiltinOptions = PointSetOptions & BlobOptions & ProteinOptions & MnistOptions & PenguinOptions;

/** An entry of the built-in data set list. */
export interface BuiltinDataset {
  id: string;
  name: string;
  /** One line for the data panel. */
  description: string;
  /** False for entries that download or import data, so the UI can show progress. */
  synthetic: boolean;
  load(options?: BuiltinOptions): Promise<Dataset>;
}

/** Number of amino-acid tokens; token 0 is padding. */
export const AMINO_ACID_TOKENS = 20;

/** The hidden motif of the synthetic protein set: four tokens in a row. */
export const DEFAULT_PROTEIN_MOTIF: readonly number[] = [5, 12, 7, 3];

/** Returns a generator of standard normal numbers (Box-Muller transform). */
function gaussianFrom(random: () => number): () => number {
  return () => {
    const u = 1 - random(); // in (0, 1], so the logarithm is finite
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

function requireCount(count: number, countName: string): number {
  if (!Number.isInteger(count) || count < 1 || count > 10_000_000) {
    throw new DataFileError('invalid-option', `The ${countName} count is ${count}; it must be a whole number from 1 to 10,000,000.`);
  }
  return count;
}

function requireNoise(noise: number): number {
  if (!(noise >= 0 && Number.isFinite(noise))) {
    throw new DataFileError('invalid-option', `The noise is ${noise}; it must be a number of 0 or more.`);
  }
  return noise;
}

/** Builds a data set of 2-D points from a function that returns the coordinates and class of example `i`. */
function makePointSet(
  id: string,
  name: string,
  classNames: string[],
  options: PointSetOptions,
  defaultNoise: number,
  point: (i: number, random: () => number, gaussian: () => number) => { x: number; y: number; label: number },
  extraSourceOptions: Record<string, unknown> = {},
): Dataset {
  const count = requireCount(options.count ?? 400, 'example');
  const noise = requireNoise(options.noise ?? defaultNoise);
  const seed = options.seed ?? 1;
  const random = mulberry32(seed);
  const gaussian = gaussianFrom(random);

  const features = new Float32Array(count * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const { x, y, label } = point(i, random, gaussian);
    features[i * 2] = x + noise * gaussian();
    features[i * 2 + 1] = y + noise * gaussian();
    labels[i] = label;
  }
  return {
    name,
    features: { shape: [2], dtype: 'float32', data: features },
    labels: { shape: [], dtype: 'int32', data: labels },
    count,
    task: 'classification',
    classNames,
    source: { kind: 'builtin', id, options: { count, noise, seed, ...extraSourceOptions } },
  };
}

/**
 * Generates two interleaved spiral arms, labels 0 and 1, with radius up to 1 and 1.75 turns per arm.
 * Examples alternate between the arms, so any prefix is balanced.
 */
export function makeSpiral(options: PointSetOptions = {}): Dataset {
  const count = options.count ?? 400;
  const perArm = Math.ceil(count / 2);
  return makePointSet('spiral', 'Spiral', ['arm 0', 'arm 1'], options, 0.03, (i) => {
    const label = i % 2;
    const t = Math.floor(i / 2) / perArm;
    const angle = 1.75 * 2 * Math.PI * t + label * Math.PI;
    return { x: t * Math.cos(angle), y: t * Math.sin(angle), label };
  });
}

/** Generates points uniform in [-1, 1]², labelled 1 when x and y have different signs. Noise is added after labelling. */
export function makeXor(options: PointSetOptions = {}): Dataset {
  return makePointSet('xor', 'XOR', ['same sign', 'different sign'], options, 0.05, (_, random) => {
    const x = random() * 2 - 1;
    const y = random() * 2 - 1;
    return { x, y, label: x > 0 !== y > 0 ? 1 : 0 };
  });
}

/** Generates an outer circle of radius 1 (label 0) around an inner circle of radius 0.5 (label 1), alternating between them. */
export function makeCircles(options: PointSetOptions = {}): Dataset {
  return makePointSet('circles', 'Circles', ['outer', 'inner'], options, 0.05, (i, random) => {
    const label = i % 2;
    const radius = label === 1 ? 0.5 : 1;
    const angle = random() * 2 * Math.PI;
    return { x: radius * Math.cos(angle), y: radius * Math.sin(angle), label };
  });
}

/** Generates Gaussian blobs centred evenly on the unit circle, one class each, cycling through the classes. */
export function makeBlobs(options: BlobOptions = {}): Dataset {
  const classes = options.classes ?? 3;
  if (!Number.isInteger(classes) || classes < 2 || classes > 100) {
    throw new DataFileError('invalid-option', `The blob count is ${classes}; it must be a whole number from 2 to 100.`);
  }
  const classNames = Array.from({ length: classes }, (_, k) => `blob ${k}`);
  const center = (i: number) => {
    const label = i % classes;
    const angle = (2 * Math.PI * label) / classes;
    return { x: Math.cos(angle), y: Math.sin(angle), label };
  };
  return makePointSet('blobs', 'Blobs', classNames, options, 0.2, center, { classes });
}

function validateProteinOptions(length: number, motif: readonly number[]): void {
  if (!Number.isInteger(length) || length < 1 || length > 100_000) {
    throw new DataFileError('invalid-option', `The sequence length is ${length}; it must be a whole number from 1 to 100,000.`);
  }
  if (motif.length === 0 || motif.length > length) {
    throw new DataFileError('invalid-option', `The motif has ${motif.length} tokens; it needs from 1 to ${length} (the sequence length).`);
  }
  const badToken = motif.find((token) => !Number.isInteger(token) || token < 1 || token > AMINO_ACID_TOKENS);
  if (badToken !== undefined) {
    throw new DataFileError('invalid-option', `The motif contains the token ${badToken}; motif tokens must be amino acids 1 to ${AMINO_ACID_TOKENS}.`);
  }
}

/** Returns the start of the first occurrence of `motif` in `sequence[0, end)`, or -1. */
export function findMotif(sequence: ArrayLike<number>, motif: readonly number[], end = sequence.length): number {
  for (let start = 0; start + motif.length <= end; start++) {
    let matched = true;
    for (let k = 0; k < motif.length && matched; k++) matched = sequence[start + k] === motif[k];
    if (matched) return start;
  }
  return -1;
}

/**
 * Generates protein-like sequences laid out like the solubility data set: `length` int32 tokens per
 * example, amino acids 1 to 20 followed by 0 padding, with sequence lengths uniform between 30 %
 * of `length` (at least the motif's length) and `length`. The label is 1 exactly when the motif
 * occurs in the sequence; about half of the examples have it.
 */
export function makeProteinSequences(options: ProteinOptions = {}): Dataset {
  const count = requireCount(options.count ?? 1000, 'sequence');
  const length = options.length ?? 200;
  const motif = options.motif ?? DEFAULT_PROTEIN_MOTIF;
  validateProteinOptions(length, motif);
  const seed = options.seed ?? 1;
  const random = mulberry32(seed);
  const randomToken = () => 1 + Math.floor(random() * AMINO_ACID_TOKENS);

  const minLength = Math.max(motif.length, Math.round(length * 0.3));
  const features = new Int32Array(count * length);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const sequence = features.subarray(i * length, (i + 1) * length);
    const sequenceLength = minLength + Math.floor(random() * (length - minLength + 1));
    for (let p = 0; p < sequenceLength; p++) sequence[p] = randomToken();

    const label = random() < 0.5 ? 1 : 0;
    if (label === 1) {
      sequence.set(motif, Math.floor(random() * (sequenceLength - motif.length + 1)));
    } else {
      // Break every chance occurrence by redrawing its first token until it differs.
      for (let start = findMotif(sequence, motif, sequenceLength); start >= 0; start = findMotif(sequence, motif, sequenceLength)) {
        do sequence[start] = randomToken();
        while (sequence[start] === motif[0]);
      }
    }
    labels[i] = label;
  }

  return {
    name: 'Synthetic proteins',
    features: { shape: [length], dtype: 'int32', data: features },
    labels: { shape: [], dtype: 'int32', data: labels },
    count,
    task: 'classification',
    classNames: ['motif absent', 'motif present'],
    source: { kind: 'builtin', id: 'proteins', options: { count, length, seed, motif: [...motif] } },
  };
}

const registry: BuiltinDataset[] = [
  {
    id: 'spiral',
    name: 'Spiral',
    description: 'Two interleaved spiral arms in 2-D; a classic test of non-linear decision boundaries.',
    synthetic: true,
    load: async (options) => makeSpiral(options),
  },
  {
    id: 'xor',
    name: 'XOR',
    description: 'Points in a square labelled by whether x and y have different signs; no straight line separates them.',
    synthetic: true,
    load: async (options) => makeXor(options),
  },
  {
    id: 'circles',
    name: 'Circles',
    description: 'A small circle inside a large one in 2-D; separable only by a curved boundary.',
    synthetic: true,
    load: async (options) => makeCircles(options),
  },
  {
    id: 'blobs',
    name: 'Blobs',
    description: 'Gaussian clusters in 2-D, one class each; an easy multi-class problem.',
    synthetic: true,
    load: async (options) => makeBlobs(options),
  },
  {
    id: 'proteins',
    name: 'Synthetic proteins',
    description: 'Token sequences of length 200 (amino acids 1-20, 0 padding) labelled by whether a hidden motif occurs.',
    synthetic: true,
    load: async (options) => makeProteinSequences(options),
  },
  {
    id: 'mnist',
    name: 'MNIST',
    description: '10,000 handwritten digits 0-9 as 28×28 grey images scaled to [0, 1]; the classic image classification set.',
    synthetic: false,
    load: (options) => loadMnist(options),
  },
  {
    id: 'penguins',
    name: 'Palmer penguins',
    description: '344 penguins of 3 species from 4 measurements, island and sex; 11 have missing values, dropped unless filled.',
    synthetic: false,
    load: (options) => loadPenguins(options),
  },
];

/** Returns the built-in data sets in display order. */
export function listBuiltinDatasets(): readonly BuiltinDataset[] {
  return registry;
}

/** Adds a built-in data set, e.g. one whose loader imports a data package on demand. */
export function registerBuiltinDataset(entry: BuiltinDataset): void {
  if (registry.some((existing) => existing.id === entry.id)) {
    throw new DataFileError('invalid-option', `A built-in data set with id '${entry.id}' is already registered. Choose another id.`);
  }
  registry.push(entry);
}

/** Loads a built-in data set by id. */
export async function loadBuiltinDataset(id: string, options?: BuiltinOptions): Promise<Dataset> {
  const entry = registry.find((candidate) => candidate.id === id);
  if (!entry) {
    const ids = registry.map((candidate) => `'${candidate.id}'`).join(', ');
    throw new DataFileError('invalid-option', `There is no built-in data set '${id}'. The built-in ids are ${ids}.`);
  }
  return entry.load(options);
}
