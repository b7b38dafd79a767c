import { z } from 'zod';
import { tagNameSchema } from './chat-log';

export const renameTagInput = z.strictObject({ from: tagNameSchema, to: tagNameSchema });

export const deleteTagInput = z.strictObject({ name: tagNameSchema });
