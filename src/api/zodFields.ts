/**
 * The field types the answers of a real server use again and again: absent, `null`, or a value. One
 * home, so that every schema of ./schemas.ts and ./nextAction.ts reads them alike.
 */
import * as z from 'zod/mini';

export const nullableString = z.optional(z.nullable(z.string()));
export const nullableNumber = z.optional(z.nullable(z.number()));
export const nullableBoolean = z.optional(z.nullable(z.boolean()));
