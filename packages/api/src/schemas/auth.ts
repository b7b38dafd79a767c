import { z } from 'zod';
import { API_TOKEN_SCOPES, canonicalScopes } from './api-token-scopes';
import { arrayPage, line, text, uuid } from './common';

export const usernameSchema = text(32)
  .trim()
  .min(3, 'must be at least 3 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'may hold letters, digits, dots, dashes and underscores, starting with a letter or digit');

export const emailSchema = text(254)
  .trim()
  .toLowerCase()
  .pipe(z.email('must be an email address'));

// NIST 800-63B: at least 8 characters; a generous maximum keeps Argon2 input bounded.
export const passwordSchema = text(256).min(8, 'must be at least 8 characters');

export const signUpInput = z.strictObject({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
});

export const signInInput = z.strictObject({
  login: line(254),
  password: text(256).min(1, 'must not be empty'),
});

export const updateProfileInput = z.strictObject({
  displayName: text(100).trim().nullish(),
  email: emailSchema.optional(),
});

export const changePasswordInput = z.strictObject({
  currentPassword: text(256).min(1, 'must not be empty'),
  newPassword: passwordSchema,
});

export const idInput = z.strictObject({ id: uuid });

/**
 * What a new API token may do: a non-empty set of scopes, duplicates folded, every scope when left
 * out (as the tokens made before scopes existed have).
 */
export const apiTokenScopesSchema = z
  .array(z.enum(API_TOKEN_SCOPES))
  .min(1, 'must hold at least one scope')
  .max(16)
  .transform(canonicalScopes)
  .default(() => [...API_TOKEN_SCOPES]);

export const createApiTokenInput = z.strictObject({
  name: line(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
  scopes: apiTokenScopesSchema,
});

/** The caller's API tokens newest first; the cursor is the last token's id. The input may be left out. */
export const listApiTokensInput = z.strictObject(arrayPage(z.strictObject({ id: uuid }))).default({ limit: 100 });
