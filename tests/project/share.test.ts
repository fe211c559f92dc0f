import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../src/graph/templates';
import { decodeShareHash, encodeShareHash, MAX_SHARE_CHARS, shareLink } from '../../src/project/share';

function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

describe('share links', () => {
  it('round-trips every template', () => {
    for (const template of ['solubility', 'residual', 'digits-conv2d']) {
      const graph = getTemplate(template)!.build();
      const result = decodeShareHash(`#${encodeShareHash(graph)}`);
      expect(result.ok, template).toBe(true);
      if (result.ok) expect(result.project.graph, template).toEqual(graph);
    }
  });

  it('keeps the solubility link short', () => {
    const hash = encodeShareHash(getTemplate('solubility')!.build());
    expect(hash.length).toBeLessThan(1500);
    expect(hash).toMatch(/^g=[A-Za-z0-9_-]+$/);
  });

  it('builds a link on the page address', () => {
    const link = shareLink('http://127.0.0.1:5173/app/#old', getTemplate('mlp-2d')!.build());
    expect(link.startsWith('http://127.0.0.1:5173/app/#g=')).toBe(true);
  });

  it('reports a hash without a graph', () => {
    expect(decodeShareHash('#x=1')).toMatchObject({ ok: false, message: expect.stringContaining('no #g=') });
  });

  it('rejects characters outside base64url', () => {
    const result = decodeShareHash('#g=abc$%^');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('not base64url');
  });

  it('rejects garbage that is not deflate data', () => {
    const result = decodeShareHash(`#g=${toBase64Url(strToU8('this is not compressed at all, just text'))}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('damaged');
  });

  it('rejects a link longer than the limit', () => {
    const result = decodeShareHash(`#g=${'A'.repeat(MAX_SHARE_CHARS + 1)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('save the project as a file instead');
  });

  it('rejects a small link that inflates past the limit', () => {
    // 64 MB of spaces deflate to about 64 KB: a decompression bomb.
    const bomb = deflateSync(new Uint8Array(64_000_000).fill(32), { level: 9 });
    const started = Date.now();
    const result = decodeShareHash(`#g=${toBase64Url(bomb)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('expands past');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects a valid link to an invalid project', () => {
    const payload = toBase64Url(deflateSync(strToU8(JSON.stringify({ format: 'layerlab-project', version: 1, graph: { nodes: 'x', edges: [] } }))));
    const result = decodeShareHash(`#g=${payload}`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toBe('The share link is invalid: graph.nodes must be a list of layers, found "x"');
      expect(result.message).toContain('graph.nodes');
    }
  });

  it('rejects an invalid layer parameter', () => {
    const graph = getTemplate('mlp-2d')!.build();
    graph.nodes[1].params.units = 'twenty';
    const result = decodeShareHash(`#${encodeShareHash(graph)}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(
      'The share link is invalid: layer "dense" (Dense): units must be a whole number ≥ 1 but got "twenty"',
    );
  });

  it('rejects JSON with a prototype key without polluting objects', () => {
    const text = '{"format":"layerlab-project","version":1,"graph":{"nodes":[],"edges":[]},"__proto__":{"polluted":true}}';
    const result = decodeShareHash(`#g=${toBase64Url(deflateSync(strToU8(text)))}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (result.ok) expect((result.project as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});
