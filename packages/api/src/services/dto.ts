import type { AuthUser } from '@chatsynth/auth';

export type { ChatLogDto, ChatLogSummary } from './chat-log-summary';

/** A user as the API shows one (declared here: the typed client publishes it). */
export type UserDto = { id: string; username: string; email: string; displayName: string | null; createdAt: Date };

export function toUserDto(user: AuthUser): UserDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName ?? null,
    createdAt: user.createdAt,
  };
}
