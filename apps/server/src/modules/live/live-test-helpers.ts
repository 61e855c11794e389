import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../app.ts';
import { Client, type Reply } from '../../../test/harness.ts';

/** One message of an event stream as a client sees it. */
export interface SseMessage {
  event: string;
  id: string | null;
  data: Record<string, unknown>;
  raw: string;
}

/** Starts the app on a free port of the loopback interface and returns its base URL. */
export async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/**
 * A plain HTTP client reading a text/event-stream over a real socket: it parses messages as
 * EventSource does (event, id, data, comments) and lets a test wait for the ones it expects.
 */
export class SseReader {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  private buffer = '';
  private waiters: (() => void)[] = [];
  private request: ClientRequest | undefined;
  private response: IncomingMessage | undefined;
  ended = false;

  static async open(
    url: string,
    options: { cookie?: string; lastEventId?: string | number } = {},
  ): Promise<SseReader> {
    const reader = new SseReader();
    await reader.connect(url, options);
    return reader;
  }

  private connect(url: string, options: { cookie?: string; lastEventId?: string | number }) {
    return new Promise<void>((resolve, reject) => {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (options.cookie) headers.cookie = options.cookie;
      if (options.lastEventId !== undefined) headers['last-event-id'] = String(options.lastEventId);
      this.request = httpRequest(url, { headers }, (response) => {
        this.response = response;
        this.status = response.statusCode ?? 0;
        this.headers = response.headers;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => this.receive(chunk));
        response.on('end', () => {
          this.ended = true;
          this.wake();
        });
        response.on('error', () => {
          this.ended = true;
          this.wake();
        });
        resolve();
      });
      this.request.on('error', reject);
      this.request.end();
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let boundary: number;
    while ((boundary = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      let event = 'message';
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) {
        this.messages.push({
          event,
          id,
          data: JSON.parse(data.join('\n')) as Record<string, unknown>,
          raw: block,
        });
      }
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Waits until a message after index `from` matches; fails with what did arrive when the stream ends
   * or nothing matches within `patienceMs` (a guard against hanging, not a speed requirement).
   */
  async waitFor(
    predicate: (message: SseMessage) => boolean,
    options: { from?: number; patienceMs?: number } = {},
  ): Promise<SseMessage> {
    const deadline = Date.now() + (options.patienceMs ?? 30_000);
    for (;;) {
      const found = this.messages.slice(options.from ?? 0).find(predicate);
      if (found) return found;
      if (this.ended) throw new Error(`stream ended; received: ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message; received: ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for a comment line (heartbeat). */
  async waitForComment(prefix: string, patienceMs = 30_000): Promise<string> {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      const found = this.comments.find((comment) => comment.startsWith(prefix));
      if (found) return found;
      if (this.ended || Date.now() > deadline) throw new Error('no heartbeat comment');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  ready(): Promise<SseMessage> {
    return this.waitFor((message) => message.event === 'ready');
  }

  /** The case events received so far (optionally of one case number). */
  cases(code?: string): SseMessage[] {
    return this.messages.filter((m) => m.event === 'case' && (code === undefined || m.data.code === code));
  }

  describe(): string {
    return JSON.stringify(
      this.messages.map((m) => [m.event, m.id, m.data.action, m.data.code].map(String).join(':')),
    );
  }

  close(): void {
    this.response?.destroy();
    this.request?.destroy();
  }
}

/**
 * A Client for routes that answer with an event stream: it takes the answer as soon as the headers
 * are written (an event stream never ends by itself), keeps the first chunk as the body and lets the
 * stream go. Other answers are read whole, as Client does.
 */
export class StreamingClient extends Client {
  override async request<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    _body?: unknown,
    headers: Record<string, string> = {},
    options: { remoteAddress?: string } = {},
  ): Promise<Reply<T>> {
    const response = await this.app.inject({
      method,
      url,
      payloadAsStream: true,
      ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
    });
    const stream = response.stream();
    const type = String(response.headers['content-type'] ?? '');
    let text = '';
    if (type.includes('text/event-stream')) {
      text = await new Promise<string>((resolve) => {
        stream.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8')));
        stream.once('end', () => resolve(''));
      });
      stream.destroy();
      response.raw.res.destroy();
    } else {
      for await (const chunk of stream) text += (chunk as Buffer).toString('utf8');
    }
    return {
      status: response.statusCode,
      body: (type.includes('json') ? JSON.parse(text) : text) as T,
      headers: response.headers,
    };
  }
}
