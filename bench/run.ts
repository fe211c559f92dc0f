/** `npm run bench`: runs every benchmark and rewrites its section of BENCHMARKS.md. */
import { benchBundleSize } from './bundle-size';
import { benchDataParse } from './data-parse';
import { benchEditor } from './editor-browser';
import { benchInference } from './inference';
import { benchTraining } from './training-browser';
import { writeSection } from './machine';

writeSection('inference', await benchInference());
writeSection('data-parse', benchDataParse());
writeSection('bundle-size', await benchBundleSize());
writeSection('editor', await benchEditor());
writeSection('training', await benchTraining());
console.log('BENCHMARKS.md updated');
