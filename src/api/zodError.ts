/** Zod errors for people (one module: the client, the schemas and the next_action view share it). */
import type * as z from 'zod/mini';

/** A zod error as one sentence that names the field(s), for a person. */
export function describeZodError(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join('.') : '(the whole answer)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
