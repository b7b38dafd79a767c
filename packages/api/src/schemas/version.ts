import { z } from 'zod';
import { uuid } from './common';

/** A version number; bounded by PostgreSQL's integer so no query sees an out-of-range parameter. */
export const versionNumber = z.number().int().min(1).max(2_147_483_647);

export const listVersionsInput = z.strictObject({ chatlogId: uuid });

export const getVersionInput = z.strictObject({ chatlogId: uuid, version: versionNumber });

export const diffVersionsInput = z.strictObject({ chatlogId: uuid, from: versionNumber, to: versionNumber });

export const restoreVersionInput = z.strictObject({
  chatlogId: uuid,
  version: versionNumber,
  expectedVersion: versionNumber,
});
