// The FHIR R4 view of a patient's vital-sign samples: a searchset Bundle of Observations that
// conform to the FHIR R4 vital-signs profiles (https://hl7.org/fhir/R4/observation-vitalsigns.html).
// Only the shapes emitted here are typed; nothing in production depends on a FHIR library.
import { createHash } from 'node:crypto';
import { METRICS, type Metric } from '../domain/metrics.ts';
import type { VitalSample } from '../domain/vital-sample.ts';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const PROFILE_BASE = 'http://hl7.org/fhir/StructureDefinition/';

export interface FhirCoding {
  system: string;
  code: string;
  display: string;
}
export interface FhirCodeableConcept {
  coding: FhirCoding[];
}
export interface FhirQuantity {
  value: number;
  unit: string;
  system: typeof UCUM;
  code: string;
}
/** A literal reference (`Device/<id>`), or a logical one by identifier when the id is no FHIR id. */
export type FhirReference = { reference: string } | { identifier: { value: string } };
export interface FhirObservationComponent {
  code: FhirCodeableConcept;
  valueQuantity: FhirQuantity;
}
export interface FhirObservation {
  resourceType: 'Observation';
  id: string;
  meta?: { profile: string[] };
  status: 'final';
  category: FhirCodeableConcept[];
  code: FhirCodeableConcept;
  subject: { reference: string };
  /** ISO 8601 in UTC. */
  effectiveDateTime: string;
  valueQuantity?: FhirQuantity;
  component?: FhirObservationComponent[];
  device?: FhirReference;
}
export interface FhirBundleEntry {
  fullUrl: string;
  resource: FhirObservation;
  search: { mode: 'match' };
}
export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  total?: number;
  link?: { relation: 'self' | 'next'; url: string }[];
  /** Absent on an empty page: FHIR JSON has no empty arrays. */
  entry?: FhirBundleEntry[];
}

const category = (code: string, display: string): FhirCodeableConcept => ({
  coding: [{ system: OBSERVATION_CATEGORY, code, display }],
});
const VITAL_SIGNS = category('vital-signs', 'Vital Signs');

interface MetricView {
  category: FhirCodeableConcept;
  /** The LOINC display of the metric's code. */
  display: string;
  /** Codings a profile requires beside the metric's own LOINC code. */
  alsoCoded?: FhirCoding[];
  /** The vital-signs profiles the Observation conforms to. */
  profiles: string[];
  /** Set only where the metric's unit is not a UCUM code. */
  ucum?: { code: string; unit: string };
}

// Steps and blood glucose are not vital signs in FHIR R4 (the vitalsigns profile lists neither),
// so they carry the activity and laboratory categories and claim no profile.
const VIEWS: Record<Metric, MetricView> = {
  heart_rate: { category: VITAL_SIGNS, display: 'Heart rate', profiles: ['vitalsigns', 'heartrate'] },
  spo2: {
    category: VITAL_SIGNS,
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    // The oxygensat profile requires the generic arterial saturation code; 59408-5 says how it was measured.
    alsoCoded: [{ system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' }],
    profiles: ['vitalsigns', 'oxygensat'],
  },
  body_temperature: { category: VITAL_SIGNS, display: 'Body temperature', profiles: ['vitalsigns', 'bodytemp'] },
  systolic_bp: { category: VITAL_SIGNS, display: 'Systolic blood pressure', profiles: ['vitalsigns'] },
  diastolic_bp: { category: VITAL_SIGNS, display: 'Diastolic blood pressure', profiles: ['vitalsigns'] },
  respiratory_rate: { category: VITAL_SIGNS, display: 'Respiratory rate', profiles: ['vitalsigns', 'resprate'] },
  // 'count' is not a UCUM unit; UCUM writes a count of things as an annotation.
  steps: {
    category: category('activity', 'Activity'),
    display: 'Number of steps in unspecified time Pedometer',
    profiles: [],
    ucum: { code: '{steps}', unit: 'steps' },
  },
  weight: { category: VITAL_SIGNS, display: 'Body weight', profiles: ['vitalsigns', 'bodyweight'] },
  blood_glucose: { category: category('laboratory', 'Laboratory'), display: 'Glucose [Mass/volume] in Blood', profiles: [] },
};

const BP_PANEL: FhirCoding = { system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' };

const coding = (metric: Metric): FhirCoding => ({ system: LOINC, code: METRICS[metric].loinc, display: VIEWS[metric].display });

function quantity(sample: VitalSample): FhirQuantity {
  const { code, unit } = VIEWS[sample.metric].ucum ?? { code: METRICS[sample.metric].unit, unit: METRICS[sample.metric].unit };
  return { value: sample.value, unit, system: UCUM, code };
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
// Device ids may be serials or MAC addresses (':' '/' '#' '_'), which no FHIR id may hold; those
// are referenced by identifier instead of a literal Device/<id> that would not parse.
const deviceReference = (deviceId: string): FhirReference =>
  FHIR_ID.test(deviceId) ? { reference: `Device/${deviceId}` } : { identifier: { value: deviceId } };

// Observation ids are name-based UUIDs (RFC 9562 v5) of (patient, measurement, instant), the
// identity of a sample, so the same reading has the same id on every page and in every export,
// and doubles as the entry's urn:uuid fullUrl.
const ID_NAMESPACE = Buffer.from('6f1c2b8e4d0a4f3e9b7a5c2d1e0f3a4b', 'hex');
function observationId(patientId: string, measurement: Metric | 'blood_pressure', at: number): string {
  const hash = createHash('sha1').update(ID_NAMESPACE).update(`${patientId}|${measurement}|${at}`).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface Reading {
  patientId: string;
  measurement: Metric | 'blood_pressure';
  at: number;
  deviceId?: string | undefined;
  profiles: string[];
}

function observation(
  reading: Reading,
  fields: Pick<FhirObservation, 'code' | 'category' | 'valueQuantity' | 'component'>,
): FhirObservation {
  const { patientId, at, deviceId, profiles } = reading;
  return {
    resourceType: 'Observation',
    id: observationId(patientId, reading.measurement, at),
    ...(profiles.length > 0 ? { meta: { profile: profiles.map((name) => PROFILE_BASE + name) } } : {}),
    status: 'final',
    category: fields.category,
    code: fields.code,
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: new Date(at).toISOString(),
    ...(fields.valueQuantity ? { valueQuantity: fields.valueQuantity } : {}),
    ...(fields.component ? { component: fields.component } : {}),
    ...(deviceId === undefined ? {} : { device: deviceReference(deviceId) }),
  };
}

function sampleObservation(patientId: string, sample: VitalSample): FhirObservation {
  const view = VIEWS[sample.metric];
  const code = { coding: [coding(sample.metric), ...(view.alsoCoded ?? [])] };
  const reading = { patientId, measurement: sample.metric, at: sample.at, deviceId: sample.deviceId, profiles: view.profiles };
  return observation(reading, { category: [view.category], code, valueQuantity: quantity(sample) });
}

function bloodPressurePanel(patientId: string, systolic: VitalSample, diastolic: VitalSample): FhirObservation {
  const component = [systolic, diastolic].map((sample) => ({ code: { coding: [coding(sample.metric)] }, valueQuantity: quantity(sample) }));
  const reading = {
    patientId,
    measurement: 'blood_pressure' as const,
    at: systolic.at,
    deviceId: systolic.deviceId,
    profiles: ['vitalsigns', 'bp'],
  };
  return observation(reading, { category: [VITAL_SIGNS], code: { coding: [BP_PANEL] }, component });
}

/**
 * The Observations of samples in the order given. A systolic and a diastolic pressure measured
 * at the same instant by the same device (or both by none) are one reading: one panel, placed
 * where the first of the two was.
 */
export function vitalObservations(patientId: string, samples: readonly VitalSample[]): FhirObservation[] {
  const partnerOf = new Map<VitalSample, VitalSample>();
  const open = new Map<string, VitalSample>();
  for (const sample of samples) {
    if (sample.metric !== 'systolic_bp' && sample.metric !== 'diastolic_bp') continue;
    const reading = `${sample.at}|${sample.deviceId ?? ''}`;
    const waiting = open.get(reading);
    if (waiting !== undefined && waiting.metric !== sample.metric) {
      partnerOf.set(waiting, sample).set(sample, waiting);
      open.delete(reading);
    } else if (waiting === undefined) {
      open.set(reading, sample);
    }
  }
  const observations: FhirObservation[] = [];
  const placed = new Set<VitalSample>();
  for (const sample of samples) {
    if (placed.has(sample)) continue;
    const partner = partnerOf.get(sample);
    if (partner === undefined) {
      observations.push(sampleObservation(patientId, sample));
      continue;
    }
    placed.add(partner);
    const [systolic, diastolic] = sample.metric === 'systolic_bp' ? [sample, partner] : [partner, sample];
    observations.push(bloodPressurePanel(patientId, systolic, diastolic));
  }
  return observations;
}

/**
 * A page of a patient's samples (newest first) as a FHIR searchset Bundle. `total` counts
 * matches as the caller counts them; a blood-pressure pair is one entry.
 */
export function vitalsBundle(input: {
  patientId: string;
  samples: readonly VitalSample[];
  total?: number;
  selfUrl?: string;
  nextUrl?: string;
}): FhirBundle {
  const entry = vitalObservations(input.patientId, input.samples).map(
    (resource): FhirBundleEntry => ({ fullUrl: `urn:uuid:${resource.id}`, resource, search: { mode: 'match' } }),
  );
  const link = [
    ...(input.selfUrl === undefined ? [] : [{ relation: 'self' as const, url: input.selfUrl }]),
    ...(input.nextUrl === undefined ? [] : [{ relation: 'next' as const, url: input.nextUrl }]),
  ];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(input.total === undefined ? {} : { total: input.total }),
    ...(link.length > 0 ? { link } : {}),
    ...(entry.length > 0 ? { entry } : {}),
  };
}
