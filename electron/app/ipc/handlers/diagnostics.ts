import { ok } from '../../../../native/errors';
import { buildDiagnosticsReport } from '../../diagnostics/report';
import type { OutputRef } from '../../../api';
import type { Handler } from './types';

/** Help → Export diagnostics: public data only (see ../../diagnostics/report.ts), saved where the user says. */
export const diagnosticsExport: Handler<'diagnostics.export'> = async (ctx) => {
  const snapshot = await ctx.services.tokens.snapshot();
  const text = buildDiagnosticsReport({ app: ctx.appInfo(), snapshot, settings: ctx.settings.get(), logLines: ctx.logger.recent(200) });
  const date = new Date().toISOString().slice(0, 10);
  const savedPath = await ctx.dialogs.saveText(`signet-diagnostics-${date}.txt`, text);
  let savedTo: OutputRef | undefined;
  if (savedPath) savedTo = await ctx.files.addOutput(savedPath);
  ctx.logger.info('diagnostics exported', { saved: Boolean(savedPath) });
  return ok(savedTo ? { text, savedTo } : { text });
};
