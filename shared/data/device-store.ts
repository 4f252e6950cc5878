// Devices paired to patients.
//
// Key layout
//   device        pk DEVICE#<deviceId>   sk DEVICE
//                 gsi1pk PATIENT#<patientId>#DEVICES  gsi1sk <pairedAt>#<deviceId>   (a patient's devices)
//   serial claim  pk SERIAL#<serial>     sk SERIAL   (a serial is paired to one patient at a time;
//                 removed when the device is unpaired, so the serial can be paired again)
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Device, type DeviceChanges } from '../domain/device.ts';
import { TABLE_INDEXES } from './table-definition.ts';
import { queryAll, type TableClient, transactWriteIfConditionsHold, updateIfConditionHolds } from './table-client.ts';
import { parseItem } from './table-item.ts';

export const deviceKeys = {
  device: (deviceId: string) => ({ pk: `DEVICE#${deviceId}`, sk: 'DEVICE' }),
  ofPatient: (patientId: string) => `PATIENT#${patientId}#DEVICES`,
  serial: (serial: string) => ({ pk: `SERIAL#${serial}`, sk: 'SERIAL' }),
};

const parseDevice = (item: Record<string, unknown>): Device => parseItem('device', Device, item);

/** Pairs a device: false when its serial is paired (to anyone) already. */
export async function pairDevice(table: TableClient, device: Device): Promise<boolean> {
  return transactWriteIfConditionsHold(table, [
    {
      Put: {
        TableName: table.tableName,
        Item: { ...deviceKeys.serial(device.serial), type: 'serialClaim', deviceId: device.deviceId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table.tableName,
        Item: {
          ...deviceKeys.device(device.deviceId),
          gsi1pk: deviceKeys.ofPatient(device.patientId),
          gsi1sk: `${device.pairedAt}#${device.deviceId}`,
          type: 'device',
          ...device,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}

export async function getDevice(table: TableClient, deviceId: string): Promise<Device | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: deviceKeys.device(deviceId), ConsistentRead: true }),
  );
  return Item ? parseDevice(Item) : undefined;
}

/** The device a serial is paired to now, if any. */
export async function getDeviceBySerial(table: TableClient, serial: string): Promise<Device | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: deviceKeys.serial(serial), ConsistentRead: true }),
  );
  return typeof Item?.['deviceId'] === 'string' ? getDevice(table, Item['deviceId']) : undefined;
}

/** Every device ever paired to the patient, unpaired ones included; a patient has a handful. */
export async function listDevicesOfPatient(table: TableClient, patientId: string): Promise<Device[]> {
  const items = await queryAll(table, {
    IndexName: TABLE_INDEXES.gsi1.indexName,
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': deviceKeys.ofPatient(patientId) },
  });
  return items.map(parseDevice);
}

/** Applies reported state to a paired device; undefined when it is unpaired or gone. */
export async function updateDevice(table: TableClient, deviceId: string, changes: DeviceChanges): Promise<Device | undefined> {
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
  const item = await updateIfConditionHolds(table, {
    Key: deviceKeys.device(deviceId),
    UpdateExpression: `SET ${entries.map(([field]) => `#${field} = :${field}`).join(', ')}`,
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(unpairedAt)',
    ExpressionAttributeNames: Object.fromEntries(entries.map(([field]) => [`#${field}`, field])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([field, value]) => [`:${field}`, value])),
  });
  return item ? parseDevice(item) : undefined;
}

/** Unpairs a device and frees its serial; false when it was unpaired already. */
export async function unpairDevice(table: TableClient, device: Device, at: string): Promise<boolean> {
  return transactWriteIfConditionsHold(table, [
    {
      Update: {
        TableName: table.tableName,
        Key: deviceKeys.device(device.deviceId),
        UpdateExpression: 'SET unpairedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(unpairedAt)',
        ExpressionAttributeValues: { ':at': at },
      },
    },
    {
      Delete: {
        TableName: table.tableName,
        Key: deviceKeys.serial(device.serial),
        ConditionExpression: 'deviceId = :id',
        ExpressionAttributeValues: { ':id': device.deviceId },
      },
    },
  ]);
}
