/** `npm run bench`: runs every benchmark and rewrites its section of BENCHMARKS.md. */
import { benchEditor } from './editor-browser';
import { benchInference } from './inference';
import { writeSection } from './machine';

writeSection('inference', await benchInference());
writeSection('editor', await benchEditor());
console.log('BENCHMARKS.md updated');
