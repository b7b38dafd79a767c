import { MAX_TRPC_BODY_BYTES } from '@chatsynth/api';

/** How many bytes of request bodies may sit in memory at once, from one client address and in all. */
export type BodyBudgetLimits = { perAddress: number; total: number };

/**
 * Two whole tRPC bodies per client address and four in all. A body costs several times its size while
 * it is parsed: twenty 19 MB bodies at once took the built server from 220 MB to a peak of 880-1,050 MB
 * RSS; with this budget, 400-445 MB from one address and 505-580 MB from twenty
 * (`scripts/measure-body-memory.ts`).
 */
export const DEFAULT_BODY_BUDGET: BodyBudgetLimits = { perAddress: 2 * MAX_TRPC_BODY_BYTES, total: 4 * MAX_TRPC_BODY_BYTES };

/** What every body may hold whatever the budget, so small calls never wait on large ones. */
const ALWAYS_ALLOWED_BYTES = 1024 * 1024;

/** The bytes one request has taken from the budget; given back by `release()`, once. */
export type BodyLease = { take(bytes: number): 'ok' | 'address' | 'total'; release(): void };

/**
 * The bytes of request bodies buffered in this process, per client address and in total. A body past
 * its share is refused while the others are read; a body of up to 1 MB is always let through.
 */
export class BodyBudget {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(private readonly limits: BodyBudgetLimits = DEFAULT_BODY_BUDGET) {}

  lease(address: string): BodyLease {
    let held = 0;
    let released = false;
    return {
      take: (bytes) => {
        const ofAddress = this.byAddress.get(address) ?? 0;
        if (held + bytes > ALWAYS_ALLOWED_BYTES) {
          if (ofAddress + bytes > this.limits.perAddress) return 'address';
          if (this.total + bytes > this.limits.total) return 'total';
        }
        held += bytes;
        this.total += bytes;
        this.byAddress.set(address, ofAddress + bytes);
        return 'ok';
      },
      release: () => {
        if (released) return;
        released = true;
        this.total -= held;
        const left = (this.byAddress.get(address) ?? 0) - held;
        if (left > 0) this.byAddress.set(address, left);
        else this.byAddress.delete(address);
      },
    };
  }

  /** Bytes held now (for tests and measurements). */
  get heldBytes(): number {
    return this.total;
  }
}

/** A body read whole, or refused: too large (its rest unread), or no room for it now (`drained` when its rest was read and dropped). */
export type BodyRead =
  | { body: Uint8Array }
  | { refused: 'too-large' }
  | { refused: 'busy'; by: 'address' | 'total'; drained: boolean };

/**
 * Reads a request body up to `maxBytes`, counting bytes as they arrive (a declared Content-Length is
 * checked first, but a chunked body without one is counted too), and taking them from `lease` as they
 * come. A body past the limit is refused at once, its stream cancelled. A body the budget has no room
 * for is read to its end and dropped, holding no memory, so that the client, which is still sending,
 * gets the answer instead of a broken connection.
 */
export async function readBodyWithin(request: Request, maxBytes: number, lease?: BodyLease): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { refused: 'too-large' };
  }
  const reader = request.body?.getReader();
  let total = 0;
  let taken = 0;
  let refusal: 'address' | 'total' | null = null;
  // A declared length is taken at once: a body that will not fit is refused before it is kept.
  if (lease && declared > 0) {
    const room = lease.take(declared);
    if (room === 'ok') taken = declared;
    else refusal = room;
  }
  // With a declared length the bytes go straight into one buffer of that size (no second copy of a
  // 20 MB body); without one they are kept as they came and joined at the end.
  const body = new Growing(refusal ? 0 : declared);
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return refusal ? { refused: 'busy', by: refusal, drained: false } : { refused: 'too-large' };
    }
    if (refusal) continue;
    if (lease && total > taken) {
      const room = lease.take(total - taken);
      if (room !== 'ok') {
        refusal = room;
        body.drop();
        continue;
      }
      taken = total;
    }
    body.push(value);
  }
  if (refusal) return { refused: 'busy', by: refusal, drained: true };
  return { body: body.bytes() };
}

/** Bytes appended into one buffer of the expected size, or into a list past it. */
class Growing {
  private buffer: Uint8Array | null;
  private length = 0;
  private chunks: Uint8Array[] = [];

  constructor(expected: number) {
    this.buffer = expected > 0 ? new Uint8Array(expected) : null;
  }

  push(chunk: Uint8Array) {
    if (this.buffer && this.length + chunk.byteLength <= this.buffer.byteLength) this.buffer.set(chunk, this.length);
    else {
      if (this.buffer) this.chunks.push(this.buffer.subarray(0, this.length));
      this.buffer = null;
      this.chunks.push(chunk);
    }
    this.length += chunk.byteLength;
  }

  drop() {
    this.buffer = null;
    this.chunks = [];
  }

  bytes(): Uint8Array {
    if (this.buffer) return this.buffer.subarray(0, this.length);
    const joined = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      joined.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return joined;
  }
}
