export { createChatSynthClient, MAX_BATCH_SIZE, type ChatSynthClient, type ChatSynthClientOptions } from './client';
export type { ExportDownload, ExportFormat, ImportFormat, UploadBody, UploadOptions } from './http-routes';
export type { AppRouter, RouterInputs, RouterOutputs } from '@chatsynth/api/contract';
export { TRPCClientError, isTRPCClientError } from '@trpc/client';
