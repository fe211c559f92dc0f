/**
 * Fetching of the data set files that the build writes to `public/datasets/` (see
 * `scripts/build-datasets.ts`). Vite copies `public/` into the site, so the files sit in a
 * `datasets/` folder next to `index.html` and load without any network beyond the site itself.
 */

import { DataFileError } from './errors';

/** Folder of the built-in data set files, relative to the site's base URL. */
export const DATASET_ASSET_FOLDER = 'datasets/';

/** Options of the built-in data sets that load a file from the site. */
export interface AssetOptions {
  /**
   * URL against which `datasets/<file>` is resolved; defaults to the page's `document.baseURI`.
   * Required where there is no document, as in a Web Worker or in Node, because a worker's own
   * URL points into the site's `assets/` folder.
   */
  assetBaseUrl?: string;
}

/** Resolves the URL of a built-in data set file, e.g. `datasets/mnist.bin`. */
export function resolveAssetUrl(fileName: string, options: AssetOptions = {}): URL {
  const baseUrl = options.assetBaseUrl ?? globalThis.document?.baseURI;
  if (baseUrl === undefined) {
    throw new DataFileError(
      'invalid-option',
      `Cannot locate ${DATASET_ASSET_FOLDER}${fileName} because there is no page to resolve it against. ` +
        "Pass the assetBaseUrl option, e.g. the page's document.baseURI.",
      fileName,
    );
  }
  return new URL(DATASET_ASSET_FOLDER + fileName, baseUrl);
}

/** Fetches a built-in data set file. Throws DataFileError when the request fails or the server returns an error status. */
export async function fetchAsset(fileName: string, options: AssetOptions = {}): Promise<Response> {
  const url = resolveAssetUrl(fileName, options);
  const rebuildHint = `The build writes this file into public/${DATASET_ASSET_FOLDER}; run \`npm run build:datasets\` (or \`npm run build\`) and reload.`;

  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataFileError('fetch-failed', `Fetching ${url.href} failed: ${reason}. ${rebuildHint}`, fileName);
  }
  if (!response.ok) {
    throw new DataFileError('fetch-failed', `Fetching ${url.href} failed with HTTP ${response.status} ${response.statusText}. ${rebuildHint}`, fileName);
  }
  return response;
}
