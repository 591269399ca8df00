// Avatars downloaded once and kept on disk, named by a hash of their URL (a new avatar has a new
// URL: Zulip puts the version in it), so a row shows a cached image at once and a window opened
// offline still has faces. A few downloads at a time, newest request first (the rows just shown),
// never with credentials. No vscode import: the caller turns paths into Uris.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Emitter } from '../common/emitter';
import type { ZulipClient } from '../zulip/client';

export interface AvatarCacheOptions {
  /** Folder for the files (created when needed). */
  dir: string;
  /** Downloads running at once. */
  maxConcurrent?: number;
  /** Requests waiting beyond this many drop the oldest (they are asked again when shown again). */
  maxQueued?: number;
  maxBytes?: number;
  timeoutMs?: number;
  /** A failed URL is not tried again for this long. */
  retryFailedAfterMs?: number;
  /** Files older than this are deleted at startup. */
  maxAgeMs?: number;
  /**
   * The client images are fetched with, for the image's own origin: the same way out as API
   * calls (User-Agent, timeout, CA bundle, proxy, same-origin redirects).
   */
  clientFor: (origin: string) => Pick<ZulipClient, 'getImage'>;
  log?: (message: string) => void;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/svg+xml': '.svg',
};

/** The file name stem for a URL: the first 40 hex digits of its SHA-256. */
export function avatarKey(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 40);
}

export class AvatarCache {
  /** Key → file name, for what is on disk. */
  private readonly files = new Map<string, string>();
  private readonly failed = new Map<string, number>();
  private readonly pending = new Set<string>();
  /** Hosts whose failure was logged: an unreachable avatar host would otherwise log once per member. */
  private readonly loggedHosts = new Set<string>();
  private readonly queue: string[] = [];
  private running = 0;
  private readonly abort = new AbortController();
  private readonly ready: Promise<void>;
  private readonly loaded = new Emitter<string>();
  /** Fires with the URL whose file just arrived. */
  readonly onDidLoad = this.loaded.event;

  constructor(private readonly options: AvatarCacheOptions) {
    this.ready = this.scan();
  }

  /** Knows what is on disk; deletes files past their age. */
  private async scan(): Promise<void> {
    const maxAge = this.options.maxAgeMs ?? 30 * 24 * 3600_000;
    let names: string[];
    try {
      names = await readdir(this.options.dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      const match = /^([0-9a-f]{40})\.[a-z]+$/.exec(name);
      const file = path.join(this.options.dir, name);
      if (!match) continue;
      try {
        if (now - (await stat(file)).mtimeMs > maxAge) await rm(file, { force: true });
        else this.files.set(match[1], name);
      } catch {
        // Gone meanwhile: nothing to know.
      }
    }
  }

  /** The file for a URL if it is on disk; never downloads. */
  cached(url: string): string | undefined {
    const name = this.files.get(avatarKey(url));
    return name ? path.join(this.options.dir, name) : undefined;
  }

  /** The file for a URL if it is on disk; otherwise asks for it and returns undefined (onDidLoad tells). */
  get(url: string): string | undefined {
    const file = this.cached(url);
    if (file) return file;
    this.request(url);
    return undefined;
  }

  request(url: string): void {
    if (!/^https?:\/\//i.test(url) || this.pending.has(url) || this.abort.signal.aborted) return;
    const failedAt = this.failed.get(url);
    if (failedAt !== undefined && Date.now() - failedAt < (this.options.retryFailedAfterMs ?? 10 * 60_000)) return;
    this.pending.add(url);
    this.queue.push(url);
    const maxQueued = this.options.maxQueued ?? 500;
    while (this.queue.length > maxQueued) this.pending.delete(this.queue.shift()!);
    this.pump();
  }

  private pump(): void {
    const max = this.options.maxConcurrent ?? 4;
    while (this.running < max && this.queue.length > 0) {
      // Newest first: the rows someone just looked at.
      const url = this.queue.pop()!;
      this.running++;
      void this.download(url).finally(() => {
        this.running--;
        this.pending.delete(url);
        this.pump();
      });
    }
  }

  private async download(url: string): Promise<void> {
    await this.ready;
    if (this.abort.signal.aborted) return;
    // Asked for before the folder was scanned, and on disk after all: no download, but the row
    // that asked still wants to know.
    if (this.cached(url)) {
      this.loaded.fire(url);
      return;
    }
    const key = avatarKey(url);
    try {
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs ?? 15_000)]);
      const { contentType, body } = await this.options.clientFor(new URL(url).origin).getImage(url, { maxBytes: this.options.maxBytes ?? 1024 * 1024, signal });
      const extension = EXTENSIONS[contentType];
      if (!extension) throw new Error(`not an image this extension shows (${contentType})`);
      if (body.length === 0) throw new Error('empty');
      await mkdir(this.options.dir, { recursive: true });
      const name = key + extension;
      const file = path.join(this.options.dir, name);
      await writeFile(file + '.tmp', body);
      await rename(file + '.tmp', file);
      this.files.set(key, name);
      this.failed.delete(url);
      this.loaded.fire(url);
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.failed.set(url, Date.now());
      const host = new URL(url).host;
      if (!this.loggedHosts.has(host)) {
        this.loggedHosts.add(host);
        this.options.log?.(`Avatars from ${host} could not be downloaded (${(error as Error).message ?? String(error)}); default icons are shown instead.`);
      }
    }
  }

  dispose(): void {
    this.abort.abort();
    this.queue.length = 0;
    this.pending.clear();
    this.loaded.dispose();
  }
}
