// Bounds of the tRPC endpoint itself, which the server enforces and the clients respect. No imports:
// the client package bundles this file.

/** The server refuses batches of more than this many calls; clients split theirs at it. */
export const MAX_BATCH_SIZE = 20;

/** A tRPC request body, batch included, is at most this large (counted as it streams). */
export const MAX_TRPC_BODY_BYTES = 20 * 1024 * 1024;
