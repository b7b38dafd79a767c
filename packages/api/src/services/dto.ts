import type { AuthUser } from '@chatsynth/auth';
import type { ChatContent } from '../schemas/chat-log';

export type UserDto = {
  id: string;
  username: string;
  email: string;
  displayName: string | null;
  createdAt: Date;
};

export function toUserDto(user: AuthUser): UserDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName ?? null,
    createdAt: user.createdAt,
  };
}

export type ChatLogSummary = {
  id: string;
  source: string;
  title: string;
  summary: string | null;
  metadata: Record<string, unknown>;
  tags: string[];
  version: number;
  messageCount: number;
  startedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export type ChatLogDto = ChatLogSummary & { content: ChatContent };
