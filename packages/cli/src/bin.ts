#!/usr/bin/env node
import { main } from './main.js';

// Set the exit code and let Node exit once the work is done. process.exit()
// only when the wasm backend's pending handles would keep the process alive,
// and only once stdout and stderr have handed everything written to them to
// the system: into a pipe they write asynchronously, and exiting first cut
// `summary`'s table of a big model short.
process.exitCode = await main(process.argv);
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write('', done))));
process.exit();
