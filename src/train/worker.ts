/** The training worker: a module Web Worker that serves `TrainerApi` through comlink. */
import * as Comlink from 'comlink';
import { createTrainerApi } from './worker-api';

Comlink.expose(createTrainerApi());
