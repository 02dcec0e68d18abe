/**
 * Interrupts of `plan` and `apply`: SIGINT (Ctrl+C), SIGTERM (a cancelled CI job) and SIGHUP (a closed terminal).
 * The first signal asks the command to stop: no new write is started, the writes in flight may finish (bounded), and
 * the command reports the outcome of every change and prints its document before exiting with 128 + the signal's
 * number (130, 143, 129), as shells do. A second signal exits at once with that code.
 */
import { UserError } from '../core/errors.js';

/** The signals handled, with their numbers (exit code = 128 + number). */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** A signal kickstand handles. */
export type HandledSignal = keyof typeof SIGNALS;

/** The exit code for a run ended by this signal. */
export function signalExitCode(signal: HandledSignal): number {
  return 128 + SIGNALS[signal];
}

/** Thrown where a command stops because of a signal, before anything was written. */
export class Interrupted extends UserError {
  constructor(readonly signal: HandledSignal, what: string) {
    super(`interrupted by ${signal} ${what}`);
    this.name = 'Interrupted';
  }
}

/** The interrupt state of one command run. */
export interface Interrupts {
  /** Aborted at the first signal (its reason is the signal's name). */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  received(): HandledSignal | undefined;
  /**
   * Resolve with `work`, or reject with `Interrupted` as soon as a signal arrives (the work is abandoned: use it only
   * for steps that write nothing, such as loading files and reading the server).
   */
  race<T>(work: Promise<T>, what: string): Promise<T>;
  /** Remove the handlers (at the end of the command). */
  dispose(): void;
}

/** Install the handlers for the duration of a command. `exit` is `process.exit` (injectable for tests). */
export function installInterrupts(exit: (code: number) => never = process.exit): Interrupts {
  const controller = new AbortController();
  let first: HandledSignal | undefined;
  const handlers = new Map<HandledSignal, () => void>();
  for (const name of Object.keys(SIGNALS) as HandledSignal[]) {
    const handler = (): void => {
      if (first !== undefined) {
        // The second signal: the user does not want to wait for the writes in flight.
        process.stderr.write(`\n${name} again: exiting at once; writes in flight may or may not have been applied (run plan to see)\n`);
        exit(signalExitCode(first));
      }
      first = name;
      process.stderr.write(`\n${name}: stopping — no new writes; the ones in flight may finish. Send it again to exit at once.\n`);
      controller.abort(name);
    };
    handlers.set(name, handler);
    process.on(name, handler);
  }
  return {
    signal: controller.signal,
    received: () => first,
    race<T>(work: Promise<T>, what: string): Promise<T> {
      if (first !== undefined) return Promise.reject(new Interrupted(first, what));
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => reject(new Interrupted(first!, what));
        controller.signal.addEventListener('abort', onAbort, { once: true });
        work.then(
          (v) => {
            controller.signal.removeEventListener('abort', onAbort);
            resolve(v);
          },
          (e: unknown) => {
            controller.signal.removeEventListener('abort', onAbort);
            reject(e);
          },
        );
      });
    },
    dispose(): void {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
