/** `npm run bench`: runs every Node benchmark and rewrites its section of BENCHMARKS.md. */
import { benchInference } from './inference';
import { writeSection } from './machine';

writeSection('inference', await benchInference());
console.log('BENCHMARKS.md updated');
