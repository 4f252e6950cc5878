// The vital-sign metrics Vigil knows, with their UCUM units, LOINC codes and the range of
// physically possible values (anything outside is a sensor or typing error, not a reading).
import { z } from 'zod';

export const METRICS = {
  heart_rate: { label: 'Heart rate', unit: '/min', loinc: '8867-4', possible: { min: 0, max: 350 } },
  spo2: { label: 'SpO2', unit: '%', loinc: '59408-5', possible: { min: 0, max: 100 } },
  body_temperature: { label: 'Body temperature', unit: 'Cel', loinc: '8310-5', possible: { min: 20, max: 46 } },
  systolic_bp: { label: 'Systolic blood pressure', unit: 'mm[Hg]', loinc: '8480-6', possible: { min: 20, max: 320 } },
  diastolic_bp: { label: 'Diastolic blood pressure', unit: 'mm[Hg]', loinc: '8462-4', possible: { min: 5, max: 250 } },
  respiratory_rate: { label: 'Respiratory rate', unit: '/min', loinc: '9279-1', possible: { min: 0, max: 120 } },
  steps: { label: 'Steps', unit: 'count', loinc: '55423-8', possible: { min: 0, max: 200_000 } },
  weight: { label: 'Weight', unit: 'kg', loinc: '29463-7', possible: { min: 0.2, max: 700 } },
  blood_glucose: { label: 'Blood glucose', unit: 'mg/dL', loinc: '2339-0', possible: { min: 5, max: 2000 } },
} as const;

export type Metric = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as [Metric, ...Metric[]];
export const MetricName = z.enum(METRIC_NAMES);

/** Decimal places any measured or configured value of a metric may carry. */
export const METRIC_DECIMAL_PLACES = 3;
