// Turning zod's findings into field problems a client can act on.
import type { z } from 'zod';
import { ValidationError, type FieldProblem } from './errors.ts';

export type RequestPart = 'body' | 'params' | 'query';

export function fieldProblems(part: RequestPart, error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `${base}.${key}`, message: 'unknown field' }));
    }
    if (issue.code === 'invalid_union') {
      // A body that fits no variant: say what each variant wanted, once per distinct message.
      const nested = issue.errors.flat().map((inner) => ({
        path: [base, ...inner.path.map(String)].join('.'),
        message: inner.code === 'unrecognized_keys' ? `unknown field ${inner.keys.join(', ')}` : inner.message,
      }));
      const unique = new Map(nested.map((problem) => [`${problem.path}|${problem.message}`, problem]));
      return unique.size > 0 ? [...unique.values()] : [{ path: base, message: issue.message }];
    }
    return [{ path: base, message: issue.message }];
  });
}

export function parseRequestPart<S extends z.ZodType>(part: RequestPart, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = fieldProblems(part, result.error);
  const first = problems[0];
  throw new ValidationError(
    first ? `${first.path}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` : `invalid ${part}`,
    problems,
  );
}
