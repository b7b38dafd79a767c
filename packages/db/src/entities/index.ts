export * from './user';
export * from './session';
export * from './api-token';
export * from './chat-log';
export * from './chat-version';
export * from './annotation';
export * from './tag';
export * from './import-job';
export * from './chat-event';
export * from './rate-limit-counter';

import { User } from './user';
import { Session } from './session';
import { ApiToken } from './api-token';
import { ChatLog } from './chat-log';
import { ChatVersion } from './chat-version';
import { Annotation } from './annotation';
import { Tag, ChatTag } from './tag';
import { ImportJob } from './import-job';
import { ChatEvent } from './chat-event';
import { RateLimitCounter } from './rate-limit-counter';

export const entities = [User, Session, ApiToken, ChatLog, ChatVersion, Annotation, Tag, ChatTag, ImportJob, ChatEvent, RateLimitCounter] as const;
