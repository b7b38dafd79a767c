import { query } from '@chatsynth/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll } from '../src';
import { createHarness, sampleContent, type Harness } from './harness';

// Rows larger than today's bounds: stored before the API and imports held metadata to 256 KB, or
// written by hand. A page of them once outgrew a response ("Invalid string length" on every list and
// search); now a page shows a note in their place and one log is still read whole.
describe('rows stored over the bounds', () => {
  let h: Harness;
  let user: Awaited<ReturnType<Harness['signUp']>>;
  const ids: string[] = [];

  beforeAll(async () => {
    h = await createHarness();
    user = await h.signUp('keeper');
    for (let i = 0; i < 6; i++) {
      const log = await user.caller.chatlogs.create({ source: 'api', title: `Oversize ${i}`, content: sampleContent(2, i) });
      ids.push(log.id);
    }
    // About 3.2 MB of hex per log, which PostgreSQL cannot compress much: 6 logs outweigh one export read.
    await sql`update chatlogs set metadata = jsonb_build_object('blob',
        (select string_agg(md5(random()::text || g::text), '') from generate_series(1, 100000) g))
      where id = any(${ids}::uuid[])`.execute(query(h.db.orm.em.fork()));
  }, 120_000);

  afterAll(() => h?.close());

  it('lists and searches them with a note in place of the metadata; get gives it whole', async () => {
    const page = await user.caller.chatlogs.list({ limit: 100 });
    expect(page.items).toHaveLength(6);
    for (const item of page.items) {
      expect(item.metadata).toEqual({ chatsynth: { metadataOmitted: expect.stringContaining('chatlogs.get') } });
    }
    const hits = await user.caller.chatlogs.search({ query: 'ferries' });
    expect(hits.items.length).toBeGreaterThan(0);
    for (const hit of hits.items) expect(hit.chatlog.metadata).toHaveProperty('chatsynth.metadataOmitted');

    const whole = await user.caller.chatlogs.get({ id: ids[0]! });
    expect((whole.metadata as { blob: string }).blob).toHaveLength(3_200_000);
  });

  it('keeps metadata within the bound as it is in lists', async () => {
    const small = await user.caller.chatlogs.create({ source: 'api', content: sampleContent(1), metadata: { model: 'gpt-4o' } });
    const page = await user.caller.chatlogs.list({ limit: 100 });
    expect(page.items.find((i) => i.id === small.id)?.metadata).toEqual({ model: 'gpt-4o' });
    await user.caller.chatlogs.delete({ id: small.id });
    await user.caller.chatlogs.purge({ id: small.id });
  });

  it('exports every one whole, in order, reading a few at a time', async () => {
    const files = [];
    for await (const file of exportAll({ em: h.db.orm.em.fork(), userId: user.user.id }, 'json')) files.push(file);
    expect(files).toHaveLength(6);
    const exported = files.map((f) => JSON.parse(f.body) as { chatlog: { id: string; metadata: { blob: string } } });
    expect(exported.map((e) => e.chatlog.id)).toEqual(ids);
    for (const e of exported) expect(e.chatlog.metadata.blob).toHaveLength(3_200_000);
  });
});
