import { InputError } from '@backstage/errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** What an address that leaves the Secret's name or data key out means. */
export interface KubernetesSecretDefaults {
  secretName: string;
  dataKey: string;
}

export interface ParseKubernetesSecretAddressOptions {
  clusters: string[];
  defaults: KubernetesSecretDefaults;
}

/** Why a namespace is not one; undefined when it is. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length <= 63 && DNS1123_LABEL.test(namespace)) {
    return undefined;
  }
  return `namespace "${namespace}" is not a valid namespace name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`;
}

/** Why a Secret name is not one; undefined when it is. */
export function secretNameProblem(name: string): string | undefined {
  if (name.length <= 253 && DNS1123_SUBDOMAIN.test(name)) {
    return undefined;
  }
  return `secret name "${name}" is not a valid Secret name: use at most 253 lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit`;
}

/** Why a data key is not one; undefined when it is. */
export function dataKeyProblem(key: string): string | undefined {
  if (
    key.length <= 253 &&
    DATA_KEY.test(key) &&
    key !== '.' &&
    !key.startsWith('..')
  ) {
    return undefined;
  }
  return `data key "${key}" is not a valid data key: use letters, digits, '-', '_' and '.' (not "." and not starting with "..")`;
}

/**
 * A data key of a Secret in a namespace of a configured cluster, written
 * `<cluster>/<namespace>[/<secret name>[/<data key>]]`.
 */
export class KubernetesSecretAddress {
  static parse(
    address: string,
    options: ParseKubernetesSecretAddressOptions,
  ): KubernetesSecretAddress {
    const parts = address.trim().split('/');
    const fail = (problem: string) =>
      new InputError(
        `Invalid Kubernetes target "${address}": ${problem}. Write <cluster>/<namespace>[/<secret name>[/<data key>]]`,
      );
    if (parts.length < 2 || parts.length > 4) {
      throw fail(`expected 2 to 4 parts separated by '/', got ${parts.length}`);
    }
    if (parts.some(part => part === '')) {
      throw fail('a part is empty');
    }
    const [cluster, namespace, secretName, dataKey] = parts;
    if (!options.clusters.includes(cluster)) {
      throw fail(
        `cluster "${cluster}" is not configured; configured clusters: ${options.clusters.join(
          ', ',
        )}`,
      );
    }
    const problem =
      namespaceProblem(namespace) ??
      (secretName === undefined ? undefined : secretNameProblem(secretName)) ??
      (dataKey === undefined ? undefined : dataKeyProblem(dataKey));
    if (problem) {
      throw fail(problem);
    }
    return new KubernetesSecretAddress(
      cluster,
      namespace,
      secretName ?? options.defaults.secretName,
      dataKey ?? options.defaults.dataKey,
    );
  }

  private constructor(
    readonly cluster: string,
    readonly namespace: string,
    readonly secretName: string,
    readonly dataKey: string,
  ) {}

  /** The recorded form, every part written out. */
  toString(): string {
    return `${this.cluster}/${this.namespace}/${this.secretName}/${this.dataKey}`;
  }

  /** In words, for receipts and errors. */
  describe(): string {
    return `Secret ${this.namespace}/${this.secretName} (data key ${this.dataKey}) in cluster ${this.cluster}`;
  }
}
