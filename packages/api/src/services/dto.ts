import type { AuthUser } from '@chatsynth/auth';

export type { ChatLogDto, ChatLogSummary } from './chat-log-summary';

export type UserDto = Pick<AuthUser, 'id' | 'username' | 'email' | 'displayName' | 'createdAt'>;

export function toUserDto(user: AuthUser): UserDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName ?? null,
    createdAt: user.createdAt,
  };
}
