import { p } from '@mikro-orm/core';
import { uuidv7 } from 'uuidv7';

// Shared columns, composed into each entity's properties (MikroORM's defineEntity has no inheritance we need).
export const idColumn = { id: p.uuid().primary().onCreate(() => uuidv7()) };

export const timestampColumns = {
  createdAt: p.datetime().onCreate(() => new Date()),
  updatedAt: p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
};

/** A JSON object column that is `{}` unless set. */
export const jsonObjectColumn = () => p.json<Record<string, unknown>>().defaultRaw(`'{}'`);
