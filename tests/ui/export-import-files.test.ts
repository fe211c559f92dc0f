// @vitest-environment jsdom
/**
 * Opening picked files through the editor command: the graph, undo history, weights and
 * settings after a good import, and an unchanged editor after a bad one. React Flow's view
 * calls are the only stand-in; the files come from the real exporters.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exportTfjsModel, modelJsonText, type TfjsModelFiles } from '../../src/compile/export-tfjs';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import { makeProject, serializeProject } from '../../src/project/schema';
import { currentGraph, useGraphStore } from '../../src/store/graph-store';
import { DEFAULT_SPLIT_DRAFT, useDataStore } from '../../src/store/data-store';
import { defaultTrainingDraft, useTrainingStore } from '../../src/store/training-store';
import { useUiStore } from '../../src/store/ui-store';
import { clearImportedWeights, importedWeightsFor, useWeightsStore } from '../../src/store/weights-store';
import { createEditorCommands } from '../../src/ui/commands';
import { selectCpuBackend } from '../helpers/tfjs-reference';
import { startWith } from './setup';

type Flow = Parameters<typeof createEditorCommands>[0];

/** The view calls that opening makes; the graph itself never goes through React Flow here. */
const flow = { fitView: async () => true, setViewport: async () => true, getNodes: () => [] } as unknown as Flow;
const commands = createEditorCommands(flow);

let model: TfjsModelFiles;

beforeAll(async () => {
  await selectCpuBackend();
  const exported = await exportTfjsModel(getTemplate('solubility')!.build(), { modelName: 'solubility', weightsFileName: 'solubility.weights.bin' });
  if (!exported.ok) throw new Error(exported.errors.join('; '));
  model = exported.files;
});

afterEach(() => {
  clearImportedWeights();
  useDataStore.setState({ loaded: null, splitDraft: DEFAULT_SPLIT_DRAFT });
  useTrainingStore.setState({ draft: defaultTrainingDraft(), runs: [], shownRunId: null });
});

function file(name: string, content: string | Uint8Array): File {
  const part = typeof content === 'string' ? content : (content.slice().buffer as ArrayBuffer);
  return new File([part], name);
}

function modelFiles(): File[] {
  return [file('solubility.json', modelJsonText(model)), file('solubility.weights.bin', model.weightData)];
}

function undoSteps(): number {
  return useGraphStore.temporal.getState().pastStates.length;
}

describe('openFiles', () => {
  it('tfjs model with weights replaces the graph', async () => {
    startWith(getTemplate('mlp-2d')!.build());
    expect(await commands.openFiles(modelFiles())).toBe(true);
    expect(inferGraph(currentGraph()).totalParams).toBe(60_929);
    expect(undoSteps()).toBe(1);
    expect(useUiStore.getState().projectName).toBe('solubility');
    expect(useUiStore.getState().toast?.message).toBe('Opened solubility.json and solubility.weights.bin with 60,929 weight values');
    expect(importedWeightsFor(currentGraph())?.weights.size).toBe(model.modelJson.weightsManifest[0].weights.length);
  });

  it('undo leaves the imported weights behind', async () => {
    startWith(getTemplate('mlp-2d')!.build());
    await commands.openFiles(modelFiles());
    useGraphStore.temporal.getState().undo();
    expect(importedWeightsFor(currentGraph())).toBeNull();
    useGraphStore.temporal.getState().redo();
    expect(importedWeightsFor(currentGraph())).not.toBeNull();
  });

  it('a model without weights clears imported ones', async () => {
    await commands.openFiles(modelFiles());
    const keras = JSON.stringify(graphToKerasModel(getTemplate('solubility')!.build()));
    await commands.openFiles([file('model.keras.json', keras)]);
    expect(useWeightsStore.getState().imported).toBeNull();
  });

  it.each([
    ['a missing weights file', () => [file('solubility.json', modelJsonText(model)), file('other.bin', model.weightData)], 'which was not given (given: other.bin)'],
    ['a short weights file', () => [file('solubility.json', modelJsonText(model)), file('solubility.weights.bin', model.weightData.slice(4))], 'bytes, but the manifest'],
    ['an unsupported layer', () => [file('solubility.json', modelJsonText(model).replace('"Conv1D"', '"Lambda"')), file('solubility.weights.bin', model.weightData)], 'is a Lambda (Python code)'],
  ])('%s leaves the editor as it was', async (_case, files, expected) => {
    const graph = getTemplate('mlp-2d')!.build();
    startWith(graph);
    await commands.openFiles(modelFiles());
    const before = currentGraph();
    const steps = undoSteps();
    const weights = useWeightsStore.getState().imported;

    expect(await commands.openFiles(files())).toBe(false);
    expect(useUiStore.getState().banner).toMatchObject({ tone: 'error' });
    expect(useUiStore.getState().banner?.message).toContain(expected);
    expect(currentGraph()).toBe(before);
    expect(undoSteps()).toBe(steps);
    expect(useWeightsStore.getState().imported).toBe(weights);
  });

  it('a project restores its settings', async () => {
    const project = makeProject(getTemplate('solubility')!.build(), {
      data: { source: { kind: 'csv', fileName: 'proteins.csv', labelColumn: 'soluble' } },
      training: { epochs: 30, batchSize: 64, optimizer: { name: 'sgd' } },
    });
    expect(await commands.openFiles([file('solubility.layerlab.json', serializeProject(project))])).toBe(true);
    expect(useTrainingStore.getState().draft.epochs).toBe('30');
    expect(useTrainingStore.getState().draft.optimizer).toBe('sgd');
    expect(useDataStore.getState().splitDraft.batchSize).toBe('64');
    expect(useUiStore.getState().banner).toEqual({ tone: 'info', message: 'The project was trained on proteins.csv; load it in the data panel to train again.' });
  });
});
