/**
 * A static file server on the loopback interface, so tests can load the built-in data set files
 * through `fetch` as the app does, from a folder laid out like the site (`datasets/…`).
 */

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface AssetServer {
  /** URL of the served folder, with a trailing slash, to pass as `assetBaseUrl`. */
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves the files under `root` at http://127.0.0.1:<free port>/. Unknown paths return 404. */
export async function serveFolder(root: string): Promise<AssetServer> {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname));
    try {
      const body = await readFile(join(root, path));
      response.writeHead(200, { 'content-length': body.length });
      response.end(body);
    } catch {
      response.writeHead(404, 'Not Found');
      response.end();
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
