import { TRPCError } from '@trpc/server';
import { User, type EntityManager } from '@chatsynth/db';
import type { z } from 'zod';
import type { updateProfileInput } from '../schemas/auth';
import { toUserDto } from './dto';
import { uniqueViolation } from './errors';

export async function updateProfile(ctx: { em: EntityManager; userId: string }, input: z.infer<typeof updateProfileInput>) {
  const user = await ctx.em.findOneOrFail(User, { id: ctx.userId });
  if (input.displayName !== undefined) user.displayName = input.displayName || null;
  if (input.email !== undefined) user.email = input.email;
  try {
    await ctx.em.flush();
  } catch (error) {
    if (uniqueViolation(error)) throw new TRPCError({ code: 'CONFLICT', message: 'That email is already registered.' });
    throw error;
  }
  return toUserDto(user);
}
