import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import {
  CreateStoredKeyRequest,
  IngestionKeyStore,
  StoredKey,
  StoredKeySummary,
} from '../IngestionKeyStore';
import { runKeyStoreContractTests } from './keyStoreContractTests';

function sameIdentity(key: StoredKey, request: CreateStoredKeyRequest) {
  const fields = [
    'managedBy',
    'entityRef',
    'environment',
    'type',
    'integration',
  ] as const;
  return fields.every(field => key.tags?.[field] === request.tags[field]);
}

/** The smallest store that keeps the contract, to check the suite itself. */
class InMemoryKeyStore implements IngestionKeyStore {
  readonly id = 'in-memory';
  private readonly keys = new Map<string, StoredKey>();

  async create(request: CreateStoredKeyRequest): Promise<StoredKey> {
    const existing = this.keys.get(request.name);
    if (existing && sameIdentity(existing, request)) {
      return { ...existing };
    }
    if (existing) {
      throw new ConflictError(`${request.name} belongs to someone else`);
    }
    const key: StoredKey = {
      providerKeyId: randomUUID(),
      name: request.name,
      type: request.type,
      remoteConfig: request.remoteConfig,
      tags: { ...request.tags },
      secret: randomBytes(24).toString('base64url'),
    };
    this.keys.set(key.name, key);
    return { ...key };
  }

  async get(name: string): Promise<StoredKey | undefined> {
    const key = this.keys.get(name);
    return key && { ...key };
  }

  async list(): Promise<StoredKeySummary[]> {
    return [...this.keys.values()].map(({ secret: _secret, ...summary }) => ({
      ...summary,
    }));
  }

  async delete(name: string): Promise<void> {
    this.keys.delete(name);
  }
}

runKeyStoreContractTests('InMemoryKeyStore', async () => ({
  store: new InMemoryKeyStore(),
}));
