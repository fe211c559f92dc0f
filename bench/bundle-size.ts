/**
 * Gzipped size of the JavaScript that the built editor loads before it is interactive: the
 * entry script of dist/index.html and the modules it preloads. Everything else (tfjs, elkjs,
 * the training worker, data sets) loads on demand. Target: under 400 KB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, ensureBuild } from '../tests/e2e/harness';
import { describeMachine } from './machine';

export async function benchBundleSize(): Promise<string> {
  await ensureBuild();
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((match) => match[1]);

  const rows: string[] = [];
  let total = 0;
  for (const script of scripts) {
    const gzipped = gzipSync(readFileSync(join(DIST, script)), { level: 9 }).length;
    total += gzipped;
    rows.push(`| \`${script}\` | ${(gzipped / 1000).toFixed(1)} |`);
  }
  console.log(`first-load JavaScript: ${scripts.length} files, ${(total / 1000).toFixed(1)} KB gzipped`);

  return [
    '## JavaScript loaded before the editor is interactive',
    '',
    `Command: \`npm run bench\` (after \`npm run build\`). Machine: ${describeMachine()}. Run: ${new Date().toISOString()}.`,
    '',
    'The entry script of dist/index.html and the modules it preloads, gzipped at level 9. Target: under 400 KB.',
    '',
    '| file | gzipped (KB) |',
    '| --- | ---: |',
    ...rows,
    `| **total** | **${(total / 1000).toFixed(1)}** |`,
  ].join('\n');
}
