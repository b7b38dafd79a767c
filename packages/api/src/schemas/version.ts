import { z } from 'zod';
import { arrayPage, uuid } from './common';

/** A version number; bounded by PostgreSQL's integer so no query sees an out-of-range parameter. */
export const versionNumber = z.number().int().min(1).max(2_147_483_647);

/** A log's versions newest first; the cursor is the last version the client has. */
export const listVersionsInput = z.strictObject({ chatlogId: uuid, ...arrayPage(z.strictObject({ version: versionNumber })) });

export const getVersionInput = z.strictObject({ chatlogId: uuid, version: versionNumber });

export const diffVersionsInput = z.strictObject({ chatlogId: uuid, from: versionNumber, to: versionNumber });

export const restoreVersionInput = z.strictObject({
  chatlogId: uuid,
  version: versionNumber,
  expectedVersion: versionNumber,
});
