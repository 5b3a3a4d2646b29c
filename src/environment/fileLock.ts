/**
 * A lock between VS Code windows (each its own extension host) over a file in global storage: held
 * while the file `<path>` exists, taken by creating it exclusively (`O_EXCL`), given back by deleting
 * it. A lock older than `staleMs` was left by a window that died holding it, and is taken over.
 * For short read-modify-write sections only (a save, the local sandbox's claim).
 */
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';

export interface FileLockOptions {
  /** Age after which a held lock is taken to be left behind. Default 10 s. */
  staleMs?: number;
  /** Between two tries. Default 20 ms. */
  intervalMs?: number;
}

export async function withFileLock<T>(path: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const staleMs = options.staleMs ?? 10_000;
  await mkdir(dirname(path), { recursive: true });
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
    }
    const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > staleMs) await rm(path, { force: true });
    else await pause(options.intervalMs ?? 20);
  }
  try {
    return await task();
  } finally {
    await rm(path, { force: true });
  }
}
