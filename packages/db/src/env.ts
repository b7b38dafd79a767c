import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CHATSYNTH_DATA_DIR: z.string().min(1).default('.data'),
  CHATSYNTH_SQL_DEBUG: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});

export type DbEnv = z.infer<typeof schema>;

/** Reads the database settings once; a bad value stops the process with one clear line. */
export function readDbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid environment: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}
