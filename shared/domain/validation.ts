// Turning zod's findings into field problems a caller can act on: the path of each failing
// field from the root of what was sent ("body.samples.3"), and what was wrong with it.
import type { z } from 'zod';
import { type FieldProblem, ValidationError } from './errors.ts';

/** The part of a request a problem is in: "body", "params", "query", or a message's "message". */
export type InputPart = 'body' | 'params' | 'query' | 'message';

export function fieldProblems(part: InputPart, error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `${base}.${key}`, message: 'unknown field' }));
    }
    if (issue.code === 'invalid_union') {
      // An input that fits no variant: say what each variant wanted, once per distinct message.
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

/** Parses one part of the input, or throws a ValidationError naming every failing field. */
export function parseInput<S extends z.ZodType>(part: InputPart, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationErrorOf(fieldProblems(part, result.error), `invalid ${part}`);
}

/** A ValidationError whose detail names the first problem and counts the rest. */
export function validationErrorOf(problems: readonly FieldProblem[], fallback = 'invalid request'): ValidationError {
  const first = problems[0];
  return new ValidationError(
    first ? `${first.path}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` : fallback,
    problems,
  );
}
