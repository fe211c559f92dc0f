import { describe, expect, it } from 'vitest';
import { makeBlobs, makeProteinSequences } from '../../src/data';
import { getTemplate, TEMPLATES } from '../../src/graph/templates';
import { describeLoadedData } from '../../src/store/data-store';
import { dataFitsInput, TEMPLATE_DATA } from '../../src/ui/data/template-data';

describe('template data sets', () => {
  it('every template has a data set', () => {
    const without = TEMPLATES.map((template) => template.id).filter((id) => !TEMPLATE_DATA[id]);
    expect(without).toEqual([]);
  });

  it('protein sequences fit the solubility Input', () => {
    const loaded = describeLoadedData(makeProteinSequences({ count: 20, seed: 1 }), 'proteins', []);
    expect(dataFitsInput(loaded, getTemplate('solubility')!.build())).toBe(true);
  });

  it('protein sequences do not fit the digits Input', () => {
    const loaded = describeLoadedData(makeProteinSequences({ count: 20, seed: 1 }), 'proteins', []);
    expect(dataFitsInput(loaded, getTemplate('digits-conv2d')!.build())).toBe(false);
  });

  it('2-D points fit the MLP Input', () => {
    const loaded = describeLoadedData(makeBlobs({ count: 20, seed: 1 }), 'blobs', []);
    expect(dataFitsInput(loaded, getTemplate('mlp-2d')!.build())).toBe(true);
  });

  it('no data never fits', () => {
    expect(dataFitsInput(null, getTemplate('solubility')!.build())).toBe(false);
  });
});
