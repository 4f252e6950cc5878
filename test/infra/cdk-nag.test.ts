import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeVigil, type SynthesizedVigil } from './synthesized-stack.ts';

let vigil: SynthesizedVigil;
beforeAll(() => {
  vigil = synthesizeVigil();
});

/** Unacknowledged findings as "rule at construct path", so a failure names what to fix. */
function findings(pack: AwsSolutionsChecks | HIPAASecurityChecks): string[] {
  return pack.validateScope(vigil.stack).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
}

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the AwsSolutions pack', () => {
    expect(findings(new AwsSolutionsChecks())).toEqual([]);
  });

  it('finds nothing unacknowledged in the HIPAA Security pack', () => {
    expect(findings(new HIPAASecurityChecks())).toEqual([]);
  });

  it('gives a reason for every acknowledgement', () => {
    const acknowledged = vigil.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) expect(reason, id).toMatch(/\w{4,}.*\w{4,}/);
  });
});
