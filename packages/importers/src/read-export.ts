// The two entry points the API's import job calls: detect a file's format, and stream its items.
import { ImportFormatError, type ExportItem, type ImportFormat, type ReadOptions } from './canonical';
import { isFatal } from './io/json-values';
import { openExport, type ExportPlan } from './open-export';
import { readUnit } from './read-unit';

/** The format of an export, decided from its content (and for a zip its file list), never its name. */
export async function detectFormat(filePath: string): Promise<ImportFormat> {
  const plan = await planExport(filePath, {});
  plan.close();
  return plan.format;
}

/**
 * Streams the conversations of an export, one at a time, with a problem item for everything that
 * could not be taken. Throws ImportFormatError only for a file that is no known format, is
 * unreadable as a whole, or breaks the zip limits.
 */
export async function* readExport(filePath: string, options: ReadOptions = {}): AsyncGenerator<ExportItem> {
  const plan = await planExport(filePath, options);
  try {
    for (const problem of plan.problems) yield { kind: 'problem', problem };
    for (const unit of plan.units) {
      for await (const item of readUnit(unit)) {
        options.signal?.throwIfAborted();
        yield item;
      }
    }
    plan.finish();
  } finally {
    plan.close();
  }
}

/** Anything that goes wrong before the first item means the file as a whole is unreadable. */
async function planExport(filePath: string, options: ReadOptions): Promise<ExportPlan> {
  try {
    return await openExport(filePath, options);
  } catch (error) {
    if (isFatal(error)) throw error;
    throw new ImportFormatError(`The file could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
}
