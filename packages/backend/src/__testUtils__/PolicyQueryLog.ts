import { PermissionPolicy } from '@backstage/plugin-permission-node';

/** The permissions a policy was asked about, by whom, in order. */
export class PolicyQueryLog {
  private queries: Array<{ userEntityRef?: string; permission: string }> = [];

  /** The same policy, logging every query it answers. */
  recording(policy: PermissionPolicy): PermissionPolicy {
    return {
      handle: async (request, user) => {
        this.queries.push({
          userEntityRef: user?.info.userEntityRef,
          permission: request.permission.name,
        });
        return policy.handle(request, user);
      },
    };
  }

  clear() {
    this.queries = [];
  }

  /** The queries since the last clear about any of these permissions, with who asked. */
  asked(permissionNames: ReadonlySet<string>) {
    return this.queries.filter(q => permissionNames.has(q.permission));
  }
}
