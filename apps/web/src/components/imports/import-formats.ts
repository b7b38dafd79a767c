import { IMPORT_FORMATS, IMPORT_FORMAT_LABELS, type ImportFormat } from '@chatsynth/importers/canonical';

/** The formats `POST /api/imports` accepts, as the format select offers them. */
export const IMPORT_FORMAT_OPTIONS: ReadonlyArray<{ value: ImportFormat | 'auto'; label: string }> = [
  { value: 'auto', label: 'Detect automatically' },
  ...IMPORT_FORMATS.map((format) => ({ value: format, label: IMPORT_FORMAT_LABELS[format] })),
];

export function formatLabel(format: string | null): string {
  if (!format) return 'Unknown format';
  return IMPORT_FORMAT_OPTIONS.find((option) => option.value === format)?.label ?? format;
}

const STATUS_LABELS: Record<string, string> = {
  queued: 'Waiting to start',
  running: 'Importing',
  succeeded: 'Finished',
  failed: 'Failed',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}
