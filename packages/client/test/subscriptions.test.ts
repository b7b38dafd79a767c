import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer, type RunningServer } from '@chatsynth/server/testing';
import { createChatSynthClient } from '../src/index';

/**
 * A proxy between the client and the server that can cut every open connection, as a load balancer
 * restart or a network blip does.
 */
function cuttableProxy(target: string) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`))),
    cut: () => sockets.forEach((socket) => socket.destroy()),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((socket) => socket.destroy());
      }),
  };
}

describe('subscriptions from Node through the client', () => {
  let server: RunningServer;
  let proxy: ReturnType<typeof cuttableProxy>;
  let proxied: string;

  beforeAll(async () => {
    server = await startBuiltServer();
    proxy = cuttableProxy(server.url);
    proxied = await proxy.listen();
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.dispose();
  });

  it('sends the bearer token, and after a dropped connection resumes from the last event: every change once, in order', async () => {
    const { token: session } = await createChatSynthClient({ url: server.url }).auth.signUp.mutate({
      username: 'listener',
      email: 'listener@example.com',
      password: 'correct horse battery',
    });
    const { token } = await createChatSynthClient({ url: server.url, token: session }).apiTokens.create.mutate({ name: 'listener' });
    const writer = createChatSynthClient({ url: server.url, token });
    const listener = createChatSynthClient({ url: proxied, token });

    const seen: string[] = [];
    const ids: string[] = [];
    let waiting: { count: number; resolve: () => void } | null = null;
    const until = (count: number) =>
      new Promise<void>((resolve) => {
        waiting = { count, resolve };
        if (seen.length >= count) resolve();
      });
    let subscription: { unsubscribe(): void } | undefined;
    const started = new Promise<void>((resolve, reject) => {
      subscription = listener.events.onChange.subscribe(undefined, {
        onStarted: () => resolve(),
        onData: ({ id, data }) => {
          ids.push(id);
          seen.push(data.chatlogId);
          if (waiting && seen.length >= waiting.count) waiting.resolve();
        },
        onError: reject,
      });
    });
    await started;

    const create = (title: string) => writer.chatlogs.create.mutate({ source: 'api', title, content: { messages: [{ role: 'user', content: title }] } });
    const before = await Promise.all([create('one'), create('two')]);
    await until(2);

    proxy.cut();
    // Written while the listener is away: it must get these after reconnecting, and none twice.
    const during = [await create('three'), await create('four'), await create('five')];
    await until(5);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(new Set(seen)).toEqual(new Set([...before, ...during].map((log) => log.id)));
    expect(seen.slice(2)).toEqual(during.map((log) => log.id));
    expect(new Set(ids).size).toBe(ids.length);
    subscription?.unsubscribe();
  }, 30_000);

  it('refuses a subscription without a token as UNAUTHORIZED', async () => {
    const error = await new Promise<unknown>((resolve) => {
      const subscription = createChatSynthClient({ url: server.url }).events.onChange.subscribe(undefined, {
        onError: (e) => {
          subscription.unsubscribe();
          resolve(e);
        },
      });
    });
    expect((error as { data?: { code?: string } }).data?.code).toBe('UNAUTHORIZED');
  }, 15_000);
});
