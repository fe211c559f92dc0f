/**
 * The page's handle on the data reader: a Web Worker where the browser has them, so that parsing
 * runs off the main thread, and the same reader in the page where it has none (jsdom tests).
 */
import * as Comlink from 'comlink';
import { createParserApi, type DataParserApi } from './parser-api';

let parser: DataParserApi | null = null;

function startParser(): DataParserApi {
  if (typeof Worker === 'undefined') return createParserApi();
  const worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module', name: 'layerlab-data' });
  const remote = Comlink.wrap<DataParserApi>(worker);
  return {
    readFiles: (files) =>
      remote.readFiles(
        Comlink.transfer(
          files,
          files.map((file) => file.bytes),
        ),
      ),
    chooseNpzArrays: (choice) => remote.chooseNpzArrays(choice),
    addNpyLabels: (file) => remote.addNpyLabels(Comlink.transfer(file, [file.bytes])),
    reparseCsv: (choices) => remote.reparseCsv(choices),
    loadBuiltin: (id, options) => remote.loadBuiltin(id, options),
  };
}

/** Returns the data reader, starting its worker on the first call. */
export function dataParser(): DataParserApi {
  parser ??= startParser();
  return parser;
}

/** Replaces the reader, e.g. with one that fails on purpose in a test; `null` starts a fresh one on the next call. */
export function setDataParser(replacement: DataParserApi | null): void {
  parser = replacement;
}
