/** The data worker: a module Web Worker that serves `DataParserApi` through comlink. */
import * as Comlink from 'comlink';
import { createParserApi, datasetBuffers, type DataParserApi, type ParseOutcome } from './parser-api';

const api = createParserApi();

/**
 * Transfers the arrays of a ready data set instead of copying them. Arrays the reader keeps for
 * a later choice (an `.npz` array used as features unchanged) are sent as copies, because a
 * transferred buffer is gone from this side.
 */
function send(outcome: ParseOutcome): ParseOutcome {
  if (outcome.status !== 'ready') return outcome;
  const buffers = datasetBuffers(outcome.dataset).filter((buffer) => !api.keepsBuffer(buffer));
  return Comlink.transfer(outcome, buffers);
}

const exposed: DataParserApi = {
  readFiles: async (files) => send(await api.readFiles(files)),
  chooseNpzArrays: async (choice) => send(await api.chooseNpzArrays(choice)),
  addNpyLabels: async (file) => send(await api.addNpyLabels(file)),
  reparseCsv: async (choices) => send(await api.reparseCsv(choices)),
  loadBuiltin: async (id, options) => send(await api.loadBuiltin(id, options)),
};

Comlink.expose(exposed);
