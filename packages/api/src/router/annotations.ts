import type { TRPCRouterRecord } from '@trpc/server';
import {
  annotationIdInput,
  createAnnotationInput,
  listAnnotationsInput,
  updateAnnotationInput,
} from '../schemas/annotation';
import { createAnnotation, deleteAnnotation, listAnnotations, updateAnnotation } from '../services/annotations';
import { protectedProcedure } from '../trpc';

export const annotationsRouter = {
  create: protectedProcedure
    .input(createAnnotationInput)
    .mutation(({ ctx, input }) => createAnnotation({ em: ctx.em, userId: ctx.user.id }, input)),
  list: protectedProcedure
    .input(listAnnotationsInput)
    .query(({ ctx, input }) => listAnnotations({ em: ctx.em, userId: ctx.user.id }, input)),
  update: protectedProcedure
    .input(updateAnnotationInput)
    .mutation(({ ctx, input }) => updateAnnotation({ em: ctx.em, userId: ctx.user.id }, input)),
  delete: protectedProcedure
    .input(annotationIdInput)
    .mutation(({ ctx, input }) => deleteAnnotation({ em: ctx.em, userId: ctx.user.id }, input.id)),
} satisfies TRPCRouterRecord;
