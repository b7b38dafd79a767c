/**
 * The API as a caller sees it: the router's procedures with their inputs and outputs, as types.
 * The client package inlines these into its own declarations (packages/client/scripts/bundle-types.ts),
 * so this module reaches no server code beyond what the types name.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** The formats the upload route reads (`?format=`) and the export route writes. */
export type { ImportFormat } from '@chatsynth/importers/formats';
export type { ExportFormat } from './services/exports';
