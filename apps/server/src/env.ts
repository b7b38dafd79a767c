import { LOG_LEVELS } from '@chatsynth/api';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /** Where the built web app is; served at `/` when it exists. */
  CHATSYNTH_WEB_DIST: z.string().min(1).optional(),
  /** Where uploads wait for their import job; default `<CHATSYNTH_DATA_DIR>/uploads`. */
  CHATSYNTH_UPLOAD_DIR: z.string().min(1).optional(),
  /** Largest accepted upload, in bytes (default 2 GiB). */
  CHATSYNTH_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).optional(),
  /** Keep rate-limit counters in this Redis instead of PostgreSQL (shared by every instance either way). */
  REDIS_URL: z
    .union([z.literal('').transform(() => undefined), z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })])
    .optional(),
  /** How much the JSON log says (packages/api/src/services/log.ts reads it). */
  LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  /** Trust X-Forwarded-For for the client address (only behind a proxy you run). */
  CHATSYNTH_TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});

export type ServerEnv = z.infer<typeof schema>;

/** Read once at start; a bad value stops the process with one clear line. */
export function readServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid environment: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}
