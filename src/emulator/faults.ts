/**
 * Latency and fault injection for tests of retry behaviour. Both draw from seeded PRNGs (mulberry32), so a run with
 * the same seed and the same request sequence injects the same faults at the same requests.
 */

/** The faults the emulator can inject. `reset-after` applies the request first and then drops the connection
 *  (the lost-response case: a retried create then finds its client-chosen id taken). */
export type FaultKind = '500' | '503' | '429' | 'reset' | 'reset-after' | '409';

/** Fault injection settings. */
export interface FaultOptions {
  /** Probability (0..1) that a request gets a fault. */
  rate: number;
  /** PRNG seed; random when omitted. */
  seed?: number;
  /** Which faults to pick from (uniformly); default `500, 503, 429, reset, 409`. */
  kinds?: FaultKind[];
  /** `Retry-After` value sent with 429 and 503; default 1. */
  retryAfterSeconds?: number;
}

/** The default fault mix (the list: 500/503, 429 with Retry-After, resets, 409 `[retryableConflict]`). */
export const DEFAULT_FAULT_KINDS: readonly FaultKind[] = ['500', '503', '429', 'reset', '409'];

/** Every fault kind. */
export const ALL_FAULT_KINDS: readonly FaultKind[] = ['500', '503', '429', 'reset', 'reset-after', '409'];

/** A seeded 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}

/** Decides, request by request, whether to inject a fault. */
export class FaultInjector {
  private options: FaultOptions | undefined;
  private next: () => number = Math.random;

  constructor(options?: FaultOptions) {
    this.set(options);
  }

  /** Replace the settings (and restart the PRNG from the seed). */
  set(options: FaultOptions | undefined): void {
    if (options) {
      if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`fault rate must be between 0 and 1, got ${options.rate}`);
      const kinds = options.kinds ?? [...DEFAULT_FAULT_KINDS];
      if (kinds.length === 0) throw new RangeError('fault kinds must not be empty');
      for (const k of kinds) if (!ALL_FAULT_KINDS.includes(k)) throw new RangeError(`unknown fault kind "${k}"; known: ${ALL_FAULT_KINDS.join(', ')}`);
      this.options = { ...options, kinds, seed: options.seed ?? randomSeed() };
      this.next = mulberry32(this.options.seed as number);
    } else {
      this.options = undefined;
    }
  }

  /** The current settings (with the seed actually used). */
  get current(): FaultOptions | undefined {
    return this.options ? { ...this.options } : undefined;
  }

  /** Draw for one request: the fault to inject, or undefined. Draws nothing while faults are off. */
  draw(): FaultKind | undefined {
    const o = this.options;
    if (!o || o.rate === 0) return undefined;
    const hit = this.next() < o.rate;
    const kinds = o.kinds as FaultKind[];
    const pick = kinds[Math.min(kinds.length - 1, Math.floor(this.next() * kinds.length))] as FaultKind;
    return hit ? pick : undefined;
  }

  /** `Retry-After` seconds for 429/503. */
  get retryAfterSeconds(): number {
    return this.options?.retryAfterSeconds ?? 1;
  }
}

/** Fixed latency plus uniform jitter, drawn from its own seeded PRNG. */
export class Latency {
  private readonly next: () => number;

  constructor(
    public ms = 0,
    public jitterMs = 0,
    seed?: number,
  ) {
    this.next = mulberry32(seed ?? randomSeed());
  }

  /** The delay for one request in milliseconds. */
  draw(): number {
    if (this.ms <= 0 && this.jitterMs <= 0) return 0;
    return Math.max(0, this.ms) + (this.jitterMs > 0 ? Math.floor(this.next() * this.jitterMs) : 0);
  }
}
