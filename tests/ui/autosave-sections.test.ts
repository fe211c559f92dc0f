// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { makeProteinSequences } from '../../src/data';
import { getTemplate } from '../../src/graph/templates';
import { describeLoadedData, setLoadedData } from '../../src/store/data-store';
import { loadAutosave, loadAutosavedSections, saveAutosave } from '../../src/store/persistence';

describe('autosave of data and training sections', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the built-in data source with the graph', () => {
    const dataset = makeProteinSequences({ count: 20, seed: 3 });
    setLoadedData(describeLoadedData(dataset, 'Synthetic proteins', []));
    const graph = getTemplate('solubility')!.build();

    expect(saveAutosave(graph)).toBe(true);
    expect(loadAutosave()?.nodes).toHaveLength(graph.nodes.length);
    const sections = loadAutosavedSections();
    expect(sections?.data?.source).toMatchObject({ kind: 'builtin', id: 'proteins' });
  });

  it('returns no sections when nothing was saved', () => {
    expect(loadAutosavedSections()).toBeNull();
  });
});
