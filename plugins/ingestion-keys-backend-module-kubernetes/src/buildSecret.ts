import { V1Secret } from '@kubernetes/client-node';
import { KeyDeliveryRequest } from '@ingestion-keys/plugin-ingestion-keys-node';
import { KubernetesSecretAddress } from './KubernetesSecretAddress';
import { ANNOTATIONS, MANAGED_BY, MANAGED_BY_LABEL } from './secretMetadata';

interface DeliveryRecord {
  entityRef: string;
  environment: string;
  type: string;
  keyName: string;
  keyId: string;
  generation: number;
  deliveredAt: string;
}

function parseDeliveries(
  text: string | undefined,
): Record<string, DeliveryRecord> {
  try {
    const parsed = JSON.parse(text ?? '{}');
    return typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed)
      ? parsed
      : {};
  } catch {
    // Hand-edited or damaged: the current delivery rewrites it.
    return {};
  }
}

/**
 * The Secret to write: `existing` (which `checkOwnership` accepted) with the value under the
 * address's data key and the delivery described in annotations, or a new Opaque Secret. Other data
 * keys, labels and annotations of `existing` stay, and so does its `resourceVersion`, which makes
 * the replace conditional.
 */
export function buildSecret(options: {
  existing?: V1Secret;
  address: KubernetesSecretAddress;
  request: KeyDeliveryRequest;
  deliveredAt: Date;
}): V1Secret {
  const { existing, address, request } = options;
  const { key } = request;
  const deliveredAt = options.deliveredAt.toISOString();
  const annotations = existing?.metadata?.annotations ?? {};
  const deliveries = parseDeliveries(annotations[ANNOTATIONS.deliveries]);
  deliveries[address.dataKey] = {
    entityRef: key.entityRef,
    environment: key.environment,
    type: key.type,
    keyName: key.name,
    keyId: key.id,
    generation: key.generation,
    deliveredAt,
  };
  return {
    ...existing,
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      ...existing?.metadata,
      name: address.secretName,
      namespace: address.namespace,
      labels: { ...existing?.metadata?.labels, [MANAGED_BY_LABEL]: MANAGED_BY },
      annotations: {
        ...annotations,
        [ANNOTATIONS.portal]: request.managedBy,
        [ANNOTATIONS.entityRef]: key.entityRef,
        [ANNOTATIONS.keyName]: key.name,
        [ANNOTATIONS.keyId]: key.id,
        [ANNOTATIONS.generation]: String(key.generation),
        [ANNOTATIONS.dataKey]: address.dataKey,
        [ANNOTATIONS.deliveredAt]: deliveredAt,
        [ANNOTATIONS.deliveries]: JSON.stringify(deliveries),
      },
    },
    type: existing?.type ?? 'Opaque',
    data: {
      ...existing?.data,
      [address.dataKey]: Buffer.from(request.secret, 'utf8').toString('base64'),
    },
  };
}
