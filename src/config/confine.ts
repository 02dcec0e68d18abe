/**
 * The load restrictor: which files a configuration may make kickstand read. A configuration file names other files
 * (`{{file "…"}}`, and symbolic links inside a folder given on the command line); those must lie in the
 * configuration's own tree, like kustomize's default load restrictor, so that a configuration from someone else (a
 * pull request, a shared repository) cannot pull `~/.ssh/id_rsa` or `/etc/shadow` into a request body. The tree of a
 * file is the folder given on the command line when the file was found by walking that folder, else the file's own
 * folder. Paths are compared after resolving symbolic links, so a link pointing outside is outside.
 * `--allow-files-outside` lifts the confinement; the checks of `readFileBounded` (regular files only, nothing under
 * /proc, /sys or /dev, bounded size) always apply.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve as resolvePath, sep } from 'node:path';
import { isKernelPath } from '../io/files.js';
import { displayName } from './parse.js';

/** Most symbolic links followed by hand while resolving a path that does not fully exist (Linux's own limit is 40). */
const MAX_LINKS = 40;

/**
 * The real path of `path`: symbolic links resolved, like `realpath`. When the path does not exist (a missing file, a
 * dangling link) the existing part is resolved and the links that remain are followed by hand, so that a dangling
 * link to a missing file outside the tree is still seen as outside (and a refusal cannot be used to probe which
 * files exist outside).
 */
export function realPathOf(path: string): string {
  let links = 0;
  const resolve = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      // Missing, dangling or unreadable: resolve the parent, then follow this entry if it is a link.
    }
    const parent = dirname(p);
    if (parent === p) return p;
    const candidate = join(resolve(parent), basename(p));
    try {
      if (!lstatSync(candidate).isSymbolicLink() || ++links > MAX_LINKS) return candidate;
      return resolve(resolvePath(dirname(candidate), readlinkSync(candidate)));
    } catch {
      return candidate;
    }
  };
  return resolve(resolvePath(path));
}

/** True when the real path `real` is the folder `root` or lies below it. */
export function isInside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * True when the confinement keeps the real path `real` out of the tree `root`. A kernel file is never kept out here:
 * the read refuses it anyway, and its reason ("a kernel file") holds with `--allow-files-outside` too, where "outside"
 * would suggest the flag helps.
 */
export function keptOut(real: string, root: string, allowOutside: boolean): boolean {
  return !allowOutside && !isKernelPath(real) && !isInside(real, root);
}

/**
 * The message for a file kept out by the confinement: `subject` names it as the user wrote it, `where` says which
 * folder it had to be in and why. Names the resolved path when a link led there; never anything of the content.
 */
export function outsideMessage(subject: string, abs: string, real: string, where: string): string {
  const via = real !== abs ? ` (it resolves to ${displayName(real)})` : '';
  return `${subject} is outside ${where}${via}: refused; --allow-files-outside lifts this limit`;
}

/**
 * What the `file` helper may read: the tree of each configuration file, or anything with `allowOutside`. Caches the
 * real paths it resolves, since one file may be named in thousands of fields.
 */
export class FileAccess {
  private readonly reals = new Map<string, string>();

  /**
   * `roots` maps the absolute path of each configuration file found by walking a folder to that folder's real path;
   * any other file's tree is its own folder.
   */
  constructor(
    private readonly roots: ReadonlyMap<string, string> = new Map(),
    readonly allowOutside = false,
  ) {}

  /** The real path of an absolute path (cached). */
  realPath(abs: string): string {
    let real = this.reals.get(abs);
    if (real === undefined) {
      real = realPathOf(abs);
      this.reals.set(abs, real);
    }
    return real;
  }

  /** The real path of the folder that the configuration file at `configAbs` may read under. */
  rootOf(configAbs: string): string {
    return this.roots.get(configAbs) ?? this.realPath(dirname(configAbs));
  }
}
