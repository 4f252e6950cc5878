// A device paired to a patient: a chest patch, a watch, a cuff, a scale. A serial is paired to
// one patient at a time; unpairing keeps the device's record, so the history it sent still
// names it.
import { z } from 'zod';
import { Id } from './identifiers.ts';
import { boundedInteger } from './numbers.ts';
import { DeviceId, singleLineText } from './text.ts';
import { Timestamp } from './time.ts';

export const DEVICE_KINDS = [
  'ecg_patch',
  'watch',
  'pulse_oximeter',
  'blood_pressure_monitor',
  'thermometer',
  'scale',
  'glucose_meter',
  'other',
] as const;
export const DeviceKind = z.enum(DEVICE_KINDS);

/** Below this battery level a device raises a low-priority technical alert. */
export const LOW_BATTERY_PERCENT = 15;

/** What a device model or firmware version is called: one short line, shown on screens and reports, so no markup. */
const DeviceLabel = singleLineText(100).refine((label) => !/[<>]/.test(label), { message: 'must not contain < or >' });

export const Device = z.object({
  deviceId: Id,
  patientId: Id,
  orgId: Id,
  /** The maker's serial number, as printed on the device. */
  serial: DeviceId,
  kind: DeviceKind,
  model: DeviceLabel.optional(),
  firmware: DeviceLabel.optional(),
  batteryPercent: boundedInteger(0, 100).optional(),
  lastSeenAt: Timestamp.optional(),
  pairedAt: Timestamp,
  pairedBy: Id,
  /** Set when unpaired: the device takes no more data for the patient; its record stays. */
  unpairedAt: Timestamp.optional(),
});
export type Device = z.infer<typeof Device>;

export const NewDevice = Device.pick({ serial: true, kind: true, model: true, firmware: true });
export const DeviceChanges = Device.pick({ batteryPercent: true, firmware: true, lastSeenAt: true }).partial();
export type DeviceChanges = z.infer<typeof DeviceChanges>;

/** The cause of a device's low-battery alert: one open alert per device. */
export const lowBatteryCause = (deviceId: string) => `device.battery_low.${deviceId}`;
export const isDeviceCause = (cause: string) => cause.startsWith('device.');

export function lowBatteryMessage(device: Pick<Device, 'kind' | 'serial' | 'batteryPercent'>): string {
  return `Battery of ${device.kind.replaceAll('_', ' ')} ${device.serial} at ${device.batteryPercent ?? '?'} %: charge or replace it`;
}
