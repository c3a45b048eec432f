import { BackstageCredentials } from '@backstage/backend-plugin-api';

/** Who a caller is, as recorded on keys and in the audit trail. */
export function actorOf(credentials: BackstageCredentials): string {
  const { principal } = credentials as BackstageCredentials<any>;
  return principal.type === 'user'
    ? principal.userEntityRef
    : principal.subject;
}
