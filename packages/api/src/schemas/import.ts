import { z } from 'zod';
import { arrayPage, uuid } from './common';

/** The caller's imports newest first; the cursor is the last import's id. The input may be left out. */
export const listImportsInput = z.strictObject(arrayPage(z.strictObject({ id: uuid }))).default({ limit: 100 });

export const importIdInput = z.strictObject({ id: uuid });
