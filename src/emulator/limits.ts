/**
 * The emulator's resource limits, in a module of their own so that the CLI can show them in `kickstand emulator
 * --help` without loading the emulator.
 */

/** Largest request body the emulator reads; a larger one gets 413 (one that says so in Content-Length, unread). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Default cap on concurrent connections (`server.maxConnections`). Only an authenticated request's body is read, up
 * to `MAX_BODY_BYTES`, so the cap bounds what clients with the key can make the emulator hold (256 × 16 MB at worst)
 * while staying far above what kickstand (at most 32 requests at once in its benchmarks) or a CI job needs.
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
