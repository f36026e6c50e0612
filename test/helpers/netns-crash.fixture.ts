// For netns.test.ts: creates a link, reports its namespace, then waits to be SIGKILLed (no exit hook runs).
import { createLink } from './netns.ts';

const l = await createLink({ rateMbit: 10 });
process.stdout.write(`created ${l.ns}\n`);
setInterval(() => undefined, 1000);
