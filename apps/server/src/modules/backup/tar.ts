/**
 * The few parts of POSIX ustar that a backup needs: regular files, written and read as streams
 * inside gzip. Any tar (GNU, bsdtar, 7-Zip) opens the archives; `tar -xOzf backup.tar.gz
 * manifest.json` shows what one holds.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

const BLOCK = 512;

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

/** A ustar header; names longer than 100 bytes are split into prefix and name at a '/'. */
function header(path: string, size: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(path) > 100) {
    const cut = path.lastIndexOf('/', path.length - 1);
    let at = cut;
    while (
      at > 0 &&
      (Buffer.byteLength(path.slice(at + 1)) > 100 || Buffer.byteLength(path.slice(0, at)) > 155)
    ) {
      at = path.lastIndexOf('/', at - 1);
    }
    if (at <= 0) throw new Error(`path too long for a tar archive: ${path}`);
    prefix = path.slice(0, at);
    name = path.slice(at + 1);
  }
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 0o644, 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  writeOctal(block, size, 124, 12);
  writeOctal(block, Math.floor(mtime.getTime() / 1000), 136, 12);
  block.write('        ', 148, 8, 'ascii');
  block.write('0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return block;
}

/** Writes files into a tar stream (the caller pipes it through gzip to the archive file). */
export class TarWriter {
  constructor(private readonly out: Writable) {}

  private async write(chunk: Buffer): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async addBuffer(path: string, content: Buffer, mtime = new Date()): Promise<void> {
    await this.write(header(path, content.length, mtime));
    await this.write(content);
    await this.pad(content.length);
  }

  /** Adds a file from disk; `size` must be its size (the header precedes the content). */
  async addFile(path: string, file: string, size: number, mtime = new Date()): Promise<void> {
    await this.write(header(path, size, mtime));
    let written = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      written += chunk.length;
      await this.write(chunk);
    }
    if (written !== size) throw new Error(`${file} changed while it was archived`);
    await this.pad(size);
  }

  private async pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest > 0) await this.write(Buffer.alloc(BLOCK - rest));
  }

  /** The end-of-archive marker: two empty blocks. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** Reads exactly n bytes at a time from a stream of chunks. */
class ChunkReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private readonly chunks: AsyncIterator<Buffer>;

  constructor(stream: Readable) {
    this.chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** Up to n bytes (fewer only at the end of the stream). */
  async read(n: number): Promise<Buffer> {
    while (this.length < n) {
      const next = await this.chunks.next();
      if (next.done) break;
      this.buffered.push(next.value);
      this.length += next.value.length;
    }
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.subarray(0, Math.min(n, all.length));
    const rest = all.subarray(out.length);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return out;
  }
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const text = block
    .toString('ascii', offset, offset + length)
    .replace(/\0.*$/s, '')
    .trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function readText(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.toString('utf8', 0, end < 0 ? length : end);
}

/**
 * Extracts the regular files of a tar stream under `dir`, refusing any path that would leave it.
 * Returns the extracted paths (relative, with '/').
 */
export async function extractTar(stream: Readable, dir: string): Promise<string[]> {
  const reader = new ChunkReader(stream);
  const paths: string[] = [];
  for (;;) {
    const block = await reader.read(BLOCK);
    if (block.length < BLOCK) throw new Error('the archive ends in the middle of a header');
    if (block.every((byte) => byte === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
    if (sum !== readOctal(block, 148, 8)) throw new Error('a tar header is damaged (checksum)');
    const prefix = readText(block, 345, 155);
    const path = prefix ? `${prefix}/${readText(block, 0, 100)}` : readText(block, 0, 100);
    const size = readOctal(block, 124, 12);
    const type = String.fromCharCode(block[156]!);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (type !== '0' && type !== '\0') {
      // Directories and anything else are not ours to create; skip their content.
      await reader.read(padded);
      continue;
    }
    const target = normalize(join(dir, path));
    if (isAbsolute(path) || path.split('/').includes('..') || !target.startsWith(normalize(dir) + sep)) {
      throw new Error(`the archive names a path outside its folder: ${path}`);
    }
    await mkdir(dirname(target), { recursive: true });
    const out = createWriteStream(target);
    let left = size;
    while (left > 0) {
      const chunk = await reader.read(Math.min(left, 1 << 20));
      if (chunk.length === 0) throw new Error(`the archive ends inside ${path}`);
      if (!out.write(chunk)) await once(out, 'drain');
      left -= chunk.length;
    }
    out.end();
    await once(out, 'finish');
    await reader.read(padded - size);
    paths.push(path);
  }
  return paths;
}
