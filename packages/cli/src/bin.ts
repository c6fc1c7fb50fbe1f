#!/usr/bin/env node
import { main } from './main.js';

// Set the exit code and let Node exit once the work is done. process.exit()
// only when the wasm backend's pending handles would keep the process alive.
process.exitCode = await main(process.argv);
process.exit();
