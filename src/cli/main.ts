#!/usr/bin/env node
/** The `kickstand` executable: run the CLI and exit with its code. */
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
