/**
 * A small promise wrapper over IndexedDB for the phone site: the outbox (what waits to be sent) and
 * drafts (forms being filled in). One database, two object stores; Blobs (photos) are stored as they are.
 */
const DB_NAME = 'minqing-phone';
const DB_VERSION = 1;
export type StoreName = 'outbox' | 'drafts';

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('drafts')) db.createObjectStore('drafts', { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opening = null;
      reject(request.error ?? new Error('IndexedDB could not be opened'));
    };
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

async function store(name: StoreName, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await open()).transaction(name, mode).objectStore(name);
}

export async function idbGetAll<T>(name: StoreName): Promise<T[]> {
  return done((await store(name, 'readonly')).getAll() as IDBRequest<T[]>);
}

export async function idbGet<T>(name: StoreName, key: string): Promise<T | undefined> {
  return done((await store(name, 'readonly')).get(key) as IDBRequest<T | undefined>);
}

export async function idbPut<T>(name: StoreName, value: T): Promise<void> {
  await done((await store(name, 'readwrite')).put(value));
}

export async function idbDelete(name: StoreName, key: string): Promise<void> {
  await done((await store(name, 'readwrite')).delete(key));
}
