import { mockApis } from '@backstage/test-utils';

type Authorize = NonNullable<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']
>;
type Decision = Exclude<Authorize, Function>;

// `AuthorizeResult` belongs to @backstage/plugin-permission-common, which this package does not
// depend on; these are its values.
const ALLOW = 'ALLOW' as Decision;
const DENY = 'DENY' as Decision;

/** A permission API that denies the named permissions and allows everything else. */
export function permissionApiDenying(...denied: Array<{ name: string }>) {
  const names = denied.map(permission => permission.name);
  return mockApis.permission({
    authorize: request =>
      names.includes(request.permission.name) ? DENY : ALLOW,
  });
}
