/**
 * The FusionAuth version the emulator reports by default, in a module of its own so that the CLI can show it in
 * `kickstand emulator --help` without loading the emulator.
 */

/** The newest FusionAuth version the reference covers (reference header: written for 1.69.x). */
export const DEFAULT_VERSION = '1.69.0';
