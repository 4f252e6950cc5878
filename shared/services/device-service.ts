// Devices: paired to a patient by the patient or their clinicians, reporting battery and
// firmware, unpaired when replaced. A flat battery raises a low-priority technical alert, so a
// patch that is about to stop sending is noticed before its data stops.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../domain/caller.ts';
import { type Device, type DeviceChanges, LOW_BATTERY_PERCENT, lowBatteryCause, lowBatteryMessage } from '../domain/device.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { DEVICES } from '../domain/patient-access.ts';
import { getDevice, getDeviceBySerial, listDevicesOfPatient, pairDevice, unpairDevice, updateDevice } from '../data/device-store.ts';
import type { TableClient } from '../data/table-client.ts';
import { type AlertRaisingDependencies, raiseAlert } from './alert-service.ts';
import { requirePatientAccess } from './patient-access-check.ts';

/** A low battery raises an alert, so the device routes need what raising one does. */
export type DeviceServiceDependencies = AlertRaisingDependencies;

export type PublicDevice = Omit<Device, 'orgId'>;

function publicDevice(device: Device): PublicDevice {
  const { orgId: _orgId, ...rest } = device;
  return rest;
}

const nowOf = (deps: { now?: () => Date }) => (deps.now?.() ?? new Date()).toISOString();

export async function pairDeviceAs(
  deps: DeviceServiceDependencies,
  caller: Caller,
  patientId: string,
  input: Pick<Device, 'serial' | 'kind' | 'model' | 'firmware'>,
): Promise<PublicDevice> {
  await requirePatientAccess(deps.table, caller, patientId, DEVICES);
  const device: Device = {
    deviceId: randomUUID(),
    patientId,
    orgId: caller.orgId,
    serial: input.serial,
    kind: input.kind,
    ...(input.model === undefined ? {} : { model: input.model }),
    ...(input.firmware === undefined ? {} : { firmware: input.firmware }),
    pairedAt: nowOf(deps),
    pairedBy: caller.userId,
  };
  if (!(await pairDevice(deps.table, device))) {
    // Whose it is stays unsaid: a serial must not reveal another patient.
    const message = 'is paired already; it must be unpaired before it can be paired again';
    throw new ConflictError(`serial ${input.serial} ${message}`, [{ path: 'body.serial', message }]);
  }
  return publicDevice(device);
}

export async function listDevicesAs(deps: Pick<DeviceServiceDependencies, 'table'>, caller: Caller, patientId: string) {
  await requirePatientAccess(deps.table, caller, patientId, DEVICES);
  const devices = await listDevicesOfPatient(deps.table, patientId);
  return { items: devices.map(publicDevice) };
}

/** The device, when the caller manages its patient's devices; anyone else is told it does not exist. */
async function deviceFor(deps: Pick<DeviceServiceDependencies, 'table'>, caller: Caller, deviceId: string): Promise<Device> {
  const device = await getDevice(deps.table, deviceId);
  if (!device || device.orgId !== caller.orgId) throw new NotFoundError(`device ${deviceId} not found`);
  try {
    await requirePatientAccess(deps.table, caller, device.patientId, DEVICES);
  } catch (error) {
    // Whether it exists, and whose patient it serves, stays unsaid to anyone who may not manage it.
    if (error instanceof DomainError && (error.kind === 'forbidden' || error.kind === 'not-found')) {
      throw new NotFoundError(`device ${deviceId} not found`);
    }
    throw error;
  }
  return device;
}

export async function updateDeviceAs(deps: DeviceServiceDependencies, caller: Caller, deviceId: string, changes: DeviceChanges) {
  const device = await deviceFor(deps, caller, deviceId);
  const updated = await updateDevice(deps.table, deviceId, changes);
  if (!updated) throw new ConflictError(`device ${deviceId} is unpaired; pair it again to report its state`);
  if (changes.batteryPercent !== undefined && changes.batteryPercent < LOW_BATTERY_PERCENT) {
    const at = changes.lastSeenAt ?? nowOf(deps);
    await raiseAlert(deps, {
      patientId: device.patientId,
      orgId: device.orgId,
      cause: lowBatteryCause(deviceId),
      priority: 'low',
      message: lowBatteryMessage(updated),
      firstValue: changes.batteryPercent,
      limit: LOW_BATTERY_PERCENT,
      firstSeenAt: at,
    });
  }
  return publicDevice(updated);
}

export async function unpairDeviceAs(deps: DeviceServiceDependencies, caller: Caller, deviceId: string): Promise<void> {
  const device = await deviceFor(deps, caller, deviceId);
  if (device.unpairedAt !== undefined) return;
  await unpairDevice(deps.table, device, nowOf(deps));
}

/**
 * The devices samples name, each checked to be paired to this patient now; a sample naming
 * anything else is refused with its field. A device is named by its id or its serial.
 */
export async function pairedDevicesOf(
  table: TableClient,
  patientId: string,
  named: ReadonlyArray<{ index: number; deviceId: string }>,
): Promise<Map<string, Device>> {
  const found = new Map<string, Device>();
  const problems: Array<{ path: string; message: string }> = [];
  for (const name of new Set(named.map((entry) => entry.deviceId))) {
    const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name) ? await getDevice(table, name) : undefined;
    const device = byId ?? (await getDeviceBySerial(table, name));
    if (device && device.patientId === patientId && device.unpairedAt === undefined) found.set(name, device);
  }
  for (const { index, deviceId } of named) {
    if (!found.has(deviceId))
      problems.push({ path: `body.samples.${index}.deviceId`, message: `no device ${deviceId} is paired to this patient` });
  }
  if (problems.length > 0) throw new ValidationError(`${problems.length} sample(s) name a device not paired to this patient`, problems);
  return found;
}
