// zod field types shared by the configuration's section schemas.
import { z } from 'zod';

export const str = z.string().min(1);
export const absPath = str.superRefine((v, ctx) => {
  if (!v.startsWith('/')) ctx.addIssue({ code: 'custom', message: `must be an absolute path (found ${JSON.stringify(v)})` });
});
/** A program: a name looked up in PATH, or an absolute path. */
export const program = str.superRefine((v, ctx) => {
  if (v.includes('/') && !v.startsWith('/'))
    ctx.addIssue({ code: 'custom', message: `must be a program name or an absolute path (found ${JSON.stringify(v)})` });
});
