/**
 * The one way kickstand reads a file: bounded in bytes whatever the file claims to be, and refusing what is not an
 * ordinary file. Why: `stat().size` is 0 for `/proc` files (reading `/proc/self/pagemap` grows without end), a FIFO
 * blocks `open()` until someone writes, `/dev/zero` never ends and `/proc/kmsg` blocks a read forever. So a file is
 * refused unless it is a regular file outside `/proc`, `/sys` and `/dev`; it is opened non-blocking (a FIFO swapped in
 * after the check cannot hang the open) and checked again on the open descriptor; and it is read in chunks that stop
 * at the limit plus one byte, never trusting the size the file system reports.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { sep } from 'node:path';

/** Why a file could not be read; `message` completes a sentence that starts with the file's name ("… is a FIFO"). */
export class FileReadError extends Error {
  constructor(
    /** `missing`, `denied`, `special` (not a regular file, or a kernel file), `too-large`, `unreadable`. */
    readonly reason: 'missing' | 'denied' | 'special' | 'too-large' | 'unreadable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FileReadError';
  }
}

/** Folders whose files are the kernel's, not data: their sizes lie and some of their reads never end. */
const KERNEL_ROOTS = ['/proc', '/sys', '/dev'];

/** True when an absolute, resolved path is one of the kernel's pseudo-files. */
export function isKernelPath(resolved: string): boolean {
  return KERNEL_ROOTS.some((root) => resolved === root || resolved.startsWith(root + sep));
}

/** The words for a file that is not a regular file. */
function describeType(st: Stats): string {
  if (st.isDirectory()) return 'a folder, not a file';
  if (st.isFIFO()) return 'a FIFO (named pipe), not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device, not a regular file';
  if (st.isSocket()) return 'a socket, not a regular file';
  return 'not a regular file';
}

function fromErrno(e: unknown): FileReadError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileReadError('missing', 'does not exist', { cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new FileReadError('denied', 'cannot be read: permission denied', { cause: e });
  if (code === 'ELOOP') return new FileReadError('unreadable', 'cannot be read: too many symbolic links', { cause: e });
  return new FileReadError('unreadable', `cannot be read (${code ?? 'error'})`, { cause: e });
}

function tooLarge(maxBytes: number): FileReadError {
  return new FileReadError('too-large', `is over the limit of ${maxBytes} bytes`);
}

/** Flags of every open: read-only, never block on a FIFO, never become the controlling terminal. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Chunk size of the bounded reads. */
const CHUNK = 64 * 1024;

/**
 * Read a whole file, at most `maxBytes` bytes of it: a longer file (whatever its reported size) is refused after
 * reading `maxBytes + 1` bytes. Throws `FileReadError` for a missing or unreadable file, a folder, FIFO, device or
 * socket, a file under /proc, /sys or /dev (after resolving symbolic links), and a file over the limit. Synchronous:
 * the files kickstand reads are small and read one at a time, and the HTTP client builds its CA list synchronously.
 */
export function readFileBoundedSync(path: string, maxBytes: number): Buffer {
  let resolved: string;
  try {
    resolved = realpathSync(path);
    const st = statSync(resolved);
    if (!st.isFile()) throw new FileReadError('special', `is ${describeType(st)}`);
  } catch (e) {
    throw e instanceof FileReadError ? e : fromErrno(e);
  }
  if (isKernelPath(resolved)) throw new FileReadError('special', 'is a kernel file (under /proc, /sys or /dev), not a data file');
  let fd: number;
  try {
    fd = openSync(resolved, OPEN_FLAGS);
  } catch (e) {
    throw fromErrno(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileReadError('special', `is ${describeType(st)}`);
    if (st.size > maxBytes) throw tooLarge(maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, maxBytes + 1 - total);
      const buf = Buffer.allocUnsafe(want);
      const bytesRead = readSync(fd, buf, 0, want, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(bytesRead === want ? buf : buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    throw e instanceof FileReadError ? e : fromErrno(e);
  } finally {
    closeSync(fd);
  }
}

/** `readFileBoundedSync` for async callers (same checks and limits). */
export async function readFileBounded(path: string, maxBytes: number): Promise<Buffer> {
  return readFileBoundedSync(path, maxBytes);
}
