/**
 * Progress of `apply` on stderr, so that stdout keeps only the documents (`--format json` holds one JSON document).
 * On a terminal: one line, rewritten in place, with `N/M`, the elapsed time and the last change's outcome, redrawn
 * every second while writes are slow, and erased at the end (the result on stdout lists every outcome). Elsewhere
 * (CI logs, files): one line per change as it completes, prefixed with `[N/M elapsed]`.
 */
import type { Masker } from '../core/mask.js';
import type { ChangeOutcome } from '../core/types.js';
import { renderOutcomeLine } from '../render/human.js';
import { clearStatusLine, printRendered, statusLine } from './output.js';

/** What `apply` tells the progress display. */
export interface ApplyProgress {
  /** One change completed (applied, failed or skipped). */
  outcome(o: ChangeOutcome): void;
  /** The apply ended: stop the timer, erase the terminal line. */
  done(): void;
}

/** Options of `applyProgress`. */
export interface ApplyProgressOptions {
  /** How many changes the apply will report (the plan's changes other than no-ops). */
  total: number;
  /** stderr is a terminal: one line rewritten in place. */
  tty: boolean;
  /** Colour the per-change lines (not on a terminal's status line, whose length must be measured). */
  color: boolean;
  /** The run's secrets. */
  mask: Masker;
  /** Terminal width in columns (the status line is cut to fit: a wrapped line cannot be rewritten in place). */
  columns?: number;
  /** Clock in ms; default `performance.now`. */
  now?: () => number;
  /** How often the terminal line is redrawn while nothing completes, in ms; default 1000. */
  redrawMs?: number;
}

/** Elapsed time as `7s`, `1m05s`, `2h03m`. */
export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Start showing the progress of an apply. */
export function applyProgress(options: ApplyProgressOptions): ApplyProgress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const { total, mask } = options;
  let done = 0;
  let last = '';
  const counter = (): string => `${done}/${total} ${formatElapsed(now() - started)}`;
  if (!options.tty) {
    return {
      outcome(o) {
        done++;
        printRendered('stderr', `[${counter()}] ${renderOutcomeLine(o, { color: options.color, mask })}\n`, options.color);
      },
      done() {},
    };
  }
  const width = Math.max(20, (options.columns ?? 80) - 1);
  const draw = (): void => {
    const text = `Applying ${counter()}${last ? `  ${last}` : ''}`;
    statusLine(text.length > width ? `${text.slice(0, width - 1)}…` : text);
  };
  draw();
  const timer = setInterval(draw, options.redrawMs ?? 1000);
  timer.unref();
  return {
    outcome(o) {
      done++;
      // The outcome's first line, without colour: its length is what the terminal shows.
      last = renderOutcomeLine(o, { color: false, mask }).split('\n')[0]!;
      draw();
    },
    done() {
      clearInterval(timer);
      clearStatusLine();
    },
  };
}
