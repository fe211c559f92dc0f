// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { makeBlobs, makeProteinSequences } from '../../src/data';
import { getTemplate } from '../../src/graph/templates';
import { replaceGraph } from '../../src/store/actions';
import { describeLoadedData, setLoadedData, useDataStore } from '../../src/store/data-store';
import { rememberDataSwap } from '../../src/store/data-swaps';
import { currentGraph, redo, undo } from '../../src/store/graph-store';
import { startWith } from './setup';

const proteins = () => describeLoadedData(makeProteinSequences({ count: 20, seed: 1 }), 'proteins', []);
const points = () => describeLoadedData(makeBlobs({ count: 20, seed: 1 }), 'blobs', []);

/** Opens the MLP template over the solubility model as the Templates menu does, data set included. */
function openMlpOverSolubility() {
  const before = proteins();
  startWith(getTemplate('solubility')!.build());
  setLoadedData(before);
  const graphBefore = currentGraph();
  replaceGraph(getTemplate('mlp-2d')!.build());
  const after = points();
  setLoadedData(after);
  rememberDataSwap(graphBefore, before);
  return { before, after, graphBefore };
}

describe('data set swaps by templates', () => {
  it('undo brings back the data set', () => {
    const { before, graphBefore } = openMlpOverSolubility();
    undo();
    expect(currentGraph()).toBe(graphBefore);
    expect(useDataStore.getState().loaded).toBe(before);
  });

  it('redo brings back the template data set', () => {
    const { after } = openMlpOverSolubility();
    undo();
    redo();
    expect(useDataStore.getState().loaded).toBe(after);
  });

  it('other data loaded since stays', () => {
    openMlpOverSolubility();
    const other = points();
    setLoadedData(other);
    undo();
    expect(useDataStore.getState().loaded).toBe(other);
  });
});
