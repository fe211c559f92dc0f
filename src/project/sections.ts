/**
 * The optional `data` and `training` sections of a project file. `data` names where the
 * examples came from (never the arrays themselves) and how many a run draws. `training` contains the
 * settings under the names of `TrainingConfig`, which the command line reads too, and the history
 * of finished runs with their curves.
 *
 * Keys this version does not know are kept at the top of each section and in the data source, so
 * settings written by hand or by a newer Layerlab survive opening. Saving writes the sections
 * anew from the panels, which drops such keys.
 */
import { z } from 'zod';
import {
  defaultTrainingConfig,
  LOSSES,
  METRICS,
  validateTrainingConfig,
  type ShapeView,
  type TrainingConfig,
  type TrainingConfigOverrides,
} from '../compile/training-config';
import { BACKEND_NAMES, type BackendChoice } from '../train/types';

/** Maximum number of runs a project keeps; older runs beyond it are dropped on save. */
export const MAX_SAVED_RUNS = 100;

/**
 * Maximum number of batch points saved per run. The loss chart (src/ui/training/Charts.tsx)
 * draws at most 300 per run, so more would only make the file larger.
 */
export const MAX_SAVED_BATCHES = 300;

const TRAINING_STATUSES = ['completed', 'early-stopped', 'stopped', 'diverged', 'failed'] as const;

const nonEmptyText = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
const text = z.string({ error: 'must be a string' });
const count = z.number({ error: 'must be a whole number ≥ 0' }).int({ error: 'must be a whole number ≥ 0' }).min(0, { error: 'must be a whole number ≥ 0' });
const finiteNumber = z.number({ error: 'must be a number' });
/** A logged value; JSON has no NaN or Infinity, so a diverged run's values are saved as null. */
const loggedValue = z.number({ error: 'must be a number or null' }).nullable();
const logsSchema = z.record(z.string(), loggedValue, { error: 'must be an object of logged values such as {"loss": 0.5}' });

const builtinSourceSchema = z.looseObject({
  kind: z.literal('builtin'),
  id: nonEmptyText,
  options: z.record(z.string(), z.json(), { error: 'must be an object of options' }).optional(),
});

const npzSourceSchema = z.looseObject({
  kind: z.literal('npz'),
  fileName: nonEmptyText,
  convention: z.enum(['positives-negatives', 'features-labels', 'explicit'], { error: 'must be positives-negatives, features-labels or explicit' }).optional(),
  features: text.optional(),
  labels: text.optional(),
});

const npySourceSchema = z.looseObject({
  kind: z.literal('npy'),
  fileName: nonEmptyText,
  labelsFileName: text.optional(),
});

const csvSourceSchema = z.looseObject({
  kind: z.literal('csv'),
  fileName: nonEmptyText,
  labelColumn: text.optional(),
  missing: z.enum(['drop', 'fill'], { error: 'must be "drop" or "fill"' }).optional(),
  standardize: z.boolean({ error: 'must be true or false' }).optional(),
  ignoreColumns: z.array(text, { error: 'must be a list of column names' }).optional(),
  textColumns: z.array(text, { error: 'must be a list of column names' }).optional(),
  decimalComma: z.boolean({ error: 'must be true or false' }).optional(),
});

const dataSourceSchema = z.discriminatedUnion('kind', [builtinSourceSchema, npzSourceSchema, npySourceSchema, csvSourceSchema], {
  error: 'must have a kind of "builtin", "npz", "npy" or "csv"',
});

export type SavedDataSource = z.infer<typeof dataSourceSchema>;

export const dataSectionSchema = z.looseObject(
  {
    source: dataSourceSchema.optional(),
    /** Examples a run draws at random with the split seed; null or absent to use all of them. */
    exampleLimit: count.min(2, { error: 'must be a whole number of at least 2' }).nullable().optional(),
  },
  { error: 'must be an object' },
);

export type DataSection = z.infer<typeof dataSectionSchema>;

/** Schema of a complete `TrainingConfig`, checked by the same rules as the trainer's settings. */
const runConfigSchema = z.unknown().transform((value, context) => {
  const validation = validateTrainingConfig(value);
  if (validation.ok) return validation.config;
  for (const message of validation.errors) context.addIssue({ code: 'custom', input: value, message });
  return z.NEVER;
});

const backendNameSchema = z.enum(BACKEND_NAMES, { error: `must be one of ${BACKEND_NAMES.join(', ')}` });

const backendChoiceSchema = z.object({ backend: backendNameSchema, fallbackReason: text.optional(), softwareRenderer: text.optional(), softwareNote: text.optional() });

const runResultSchema = z.object({
  status: z.enum(TRAINING_STATUSES, { error: `must be one of ${TRAINING_STATUSES.join(', ')}` }),
  message: text,
  backend: backendNameSchema.nullable(),
  epochsCompleted: count,
  stoppedEpoch: count.optional(),
  restoredEpoch: count.optional(),
  test: z.object({ count, logs: logsSchema }).optional(),
  seconds: finiteNumber,
});

const savedRunSchema = z.object({
  id: count.min(1, { error: 'must be a whole number ≥ 1' }),
  name: text,
  settings: z.object({
    config: runConfigSchema,
    datasetName: text,
    exampleCount: count,
    layers: text,
    totalParams: count,
  }),
  backend: backendChoiceSchema.nullable(),
  epochs: z.array(z.object({ epoch: count.min(1, { error: 'must be a whole number ≥ 1' }), logs: logsSchema }), { error: 'must be a list of epochs' }),
  // A file written by hand may keep more points than a save does; the limit bounds the work of opening it.
  batches: z
    .array(z.object({ x: finiteNumber, loss: loggedValue, smoothedLoss: loggedValue }), { error: 'must be a list of batch points' })
    .max(MAX_SAVED_BATCHES * 10, { error: `must have at most ${MAX_SAVED_BATCHES * 10} points` })
    .optional(),
  /** Outcome of the run. Its epoch history is `epochs`, so it is not saved twice. */
  result: runResultSchema,
});

export type SavedRun = z.infer<typeof savedRunSchema>;

const EMPTY_VIEW: ShapeView = { inputs: [], outputs: [], nodes: new Map() };

/**
 * Checks training settings by merging them over the defaults and validating the result. Without
 * `metrics`, every metric counts as present, because the loss and metrics the graph implies are
 * known only when a graph and data are at hand, and early stopping may watch any of them.
 */
function checkTrainingSettings(settings: Record<string, unknown>): string[] {
  const overrides = { metrics: [...METRICS], ...settings } as TrainingConfigOverrides;
  try {
    const merged = defaultTrainingConfig({ nodes: [], edges: [] }, EMPTY_VIEW, undefined, overrides);
    const validation = validateTrainingConfig(merged);
    return validation.ok ? [] : validation.errors;
  } catch (error) {
    // A setting of the wrong type (e.g. optimizer as a string) can break the merge itself.
    return [`the settings could not be read (${error instanceof Error ? error.message : String(error)})`];
  }
}

export const trainingSectionSchema = z
  .looseObject(
    {
      loss: z.enum(LOSSES, { error: `must be one of ${LOSSES.join(', ')}` }).optional(),
      runs: z.array(savedRunSchema, { error: 'must be a list of runs' }).max(MAX_SAVED_RUNS, { error: `must have at most ${MAX_SAVED_RUNS} runs` }).optional(),
    },
    { error: 'must be an object' },
  )
  .superRefine((section, context) => {
    // `runs` is history, not a setting; every other key is a TrainingConfig field or unknown.
    const settings: Record<string, unknown> = { ...section };
    delete settings.runs;
    for (const message of checkTrainingSettings(settings)) context.addIssue({ code: 'custom', input: settings, message });
  });

/** Training settings as `TrainingConfig` names them (all optional), plus the run history. */
export type TrainingSection = TrainingConfigOverrides & {
  runs?: SavedRun[];
  [key: string]: unknown;
};

/** The parts of a finished run that a project saves. */
export interface RunForSaving {
  id: number;
  name: string;
  settings: { config: TrainingConfig; datasetName: string; exampleCount: number; layers: string; totalParams: number };
  backend: BackendChoice | null;
  epochs: { epoch: number; logs: Record<string, number> }[];
  batches: { x: number; loss: number; smoothedLoss: number }[];
  result: {
    status: SavedRun['result']['status'];
    message: string;
    backend: SavedRun['result']['backend'];
    epochsCompleted: number;
    stoppedEpoch?: number;
    restoredEpoch?: number;
    test?: { count: number; logs: Record<string, number> };
    seconds: number;
  };
}

/** Replaces values that JSON cannot store (NaN, ±Infinity) with null. */
function savedLogs(logs: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(logs).map(([key, value]) => [key, Number.isFinite(value) ? value : null]));
}

/** Keeps at most `limit` points, evenly spaced, always with the last one. */
export function thinEvenly<T>(points: readonly T[], limit: number): T[] {
  if (points.length <= limit) return [...points];
  const step = (points.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => points[Math.round(i * step)]);
}

/** Converts a finished run to its saved form: non-finite logs as null, batch points thinned. */
export function saveRun(run: RunForSaving): SavedRun {
  const { test, ...result } = run.result;
  return {
    id: run.id,
    name: run.name,
    settings: run.settings,
    backend: run.backend,
    epochs: run.epochs.map((point) => ({ epoch: point.epoch, logs: savedLogs(point.logs) })),
    batches: thinEvenly(run.batches, MAX_SAVED_BATCHES).map((point) => ({
      x: point.x,
      loss: Number.isFinite(point.loss) ? point.loss : null,
      smoothedLoss: Number.isFinite(point.smoothedLoss) ? point.smoothedLoss : null,
    })),
    result: test ? { ...result, test: { count: test.count, logs: savedLogs(test.logs) } } : result,
  };
}

/** Turns null logged values back into NaN, as the run logged them. */
export function restoredLogs(logs: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(logs).map(([key, value]) => [key, value ?? Number.NaN]));
}
