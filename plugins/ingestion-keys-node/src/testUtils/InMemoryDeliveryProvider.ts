import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  DeliveredKey,
  IngestionKeyDeliveryProvider,
  KeyDeliveryReceipt,
  KeyDeliveryRequest,
} from '../IngestionKeyDeliveryProvider';

/**
 * What an in-memory target holds.
 *
 * @public
 */
export interface InMemoryDelivery {
  key: DeliveredKey;
  secret: string;
  managedBy: string;
}

/**
 * A delivery provider that keeps what it is given in memory, for tests of the plugin: addresses
 * are lowercase names, and a test can make an address fail (as a target that is down) and read
 * what each address holds.
 *
 * @public
 */
export class InMemoryDeliveryProvider implements IngestionKeyDeliveryProvider {
  readonly addressFormat = '<name>: lowercase letters, digits and hyphens';
  private readonly held = new Map<string, InMemoryDelivery>();
  private readonly failing = new Map<string, string>();
  private readonly deliveries: Array<{ address: string; keyName: string }> = [];

  constructor(readonly kind = 'memory') {}

  parseAddress(address: string): string {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(address)) {
      throw new InputError(
        `"${address}" is not a ${this.kind} address; write ${this.addressFormat}`,
      );
    }
    return address;
  }

  async deliver(request: KeyDeliveryRequest): Promise<KeyDeliveryReceipt> {
    const failure = this.failing.get(request.address);
    if (failure !== undefined) {
      throw new ServiceUnavailableError(failure);
    }
    this.deliveries.push({
      address: request.address,
      keyName: request.key.name,
    });
    this.held.set(request.address, {
      key: request.key,
      secret: request.secret,
      managedBy: request.managedBy,
    });
    return { location: `${this.kind} target ${request.address}` };
  }

  /** Deliveries to `address` fail with `message` until `recover(address)`. */
  failAt(address: string, message = `${address} is down`): void {
    this.failing.set(address, message);
  }

  recover(address: string): void {
    this.failing.delete(address);
  }

  /** What `address` holds now. */
  heldAt(address: string): InMemoryDelivery | undefined {
    return this.held.get(address);
  }

  /** Every successful delivery, in order: where, and which key. */
  deliveryLog(): Array<{ address: string; keyName: string }> {
    return [...this.deliveries];
  }
}
