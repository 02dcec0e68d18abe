#!/usr/bin/env node
/** The `kickstand` executable: run the CLI and exit with its code. */
import { run } from './program.js';

const code = await run(process.argv.slice(2));
process.exitCode = code;
// After a signal the documents are written (synchronously, to files and pipes on POSIX); requests abandoned in flight
// must not keep the process alive until their timeouts.
if (code >= 128) process.exit(code);
