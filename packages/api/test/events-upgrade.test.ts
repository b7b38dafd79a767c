// The events of a database from before events recorded their transaction: still delivered, in their
// order, from "0" and to a tab that resumes with an id it was given before the upgrade.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrationsList, query } from '@chatsynth/db';
import { closeEventStreams, firstEventAfter, openEventStream } from './event-stream';
import { createHarness, sampleContent, type Harness } from './harness';

afterEach(closeEventStreams);

const EVENT_POSITIONS = 'Migration20261206053847EventPositions';
const BEFORE_EVENT_POSITIONS = migrationsList[migrationsList.findIndex((m) => m.name === EVENT_POSITIONS) - 1]!.name;

describe('events written before the event-positions migration', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('keep their order after it, and an id given before it still resumes exactly', async () => {
    const alice = await h.signUp('upgradealice');
    // Back to the schema before the migration (and any after it), written to as main wrote it.
    await h.db.orm.migrator.down({ to: BEFORE_EVENT_POSITIONS });
    expect((await h.db.orm.migrator.getPending()).map((m) => m.name)).toContain(EVENT_POSITIONS);
    const before = [];
    for (const title of ['Packing list', 'Ferry times', 'Hotel booking']) {
      before.push(await alice.caller.chatlogs.create({ source: 'chatgpt', title, content: sampleContent(2) }));
    }
    const oldIds = await query(h.db.orm.em.fork())
      .selectFrom('chat_events')
      .select('id')
      .where('chatlog_id', 'in', before.map((log) => log.id))
      .orderBy('id')
      .execute()
      .then((rows) => rows.map((row) => String(row.id)));
    expect(oldIds).toHaveLength(3);

    await h.db.orm.migrator.up();
    const after = await alice.caller.chatlogs.create({ source: 'api', title: 'After the upgrade', content: sampleContent(2) });

    const all = await openEventStream(h.db.orm, alice.token, '0');
    const events = await all.until((received) => received.some((e) => e.chatlogId === after.id));
    await all.close();
    expect(events.map((e) => e.chatlogId)).toEqual([...before, after].map((log) => log.id));
    expect(events.slice(0, 3).map((e) => e.id)).toEqual(oldIds.map((id) => `0-${id}`));

    // A tab that saw the first old event, reconnecting with the id it was given then.
    expect(await firstEventAfter(h.db.orm, alice.token, oldIds[0]!)).toMatchObject({ chatlogId: before[1]!.id });
    expect(await firstEventAfter(h.db.orm, alice.token, oldIds[2]!)).toMatchObject({ chatlogId: after.id });
  });
});
