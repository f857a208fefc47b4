import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type GroupRepresentation from '@keycloak/keycloak-admin-client/lib/defs/groupRepresentation.js';
import type RoleRepresentation from '@keycloak/keycloak-admin-client/lib/defs/roleRepresentation.js';
import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import type { AccountRole, AccountRolesDeclaration, AccountRolesOutcome } from '../identity-provider.port.js';
import {
  ACCOUNT_GROUP_PREFIX,
  accountGroupName,
  accountGroupRepresentation,
  PERMISSIONS_HOLDER_CLIENT,
  permissionsHolderRepresentation,
  ROLES_CLIENT_SCOPE,
  rolesClaimMapper,
  rolesClientScopeRepresentation,
  rolesVersionOf,
} from './keycloak.mapper.js';

type Identified<T> = T & { id: string; name: string };

interface RealmSetup {
  scopeId: string;
  holderId: string;
}

const isConflict = (error: unknown) => error instanceof NetworkError && error.response.status === 409;

function identified<T extends { id?: string; name?: string }>(value: T | null | undefined): Identified<T> | null {
  return value?.id && value.name ? (value as Identified<T>) : null;
}

/** Creates something that may already exist (another replica, an earlier attempt): a 409 is success. */
async function createTolerant(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/**
 * Account roles on Keycloak (realm layout in keycloak.mapper.ts). Every step is idempotent, so a
 * declaration interrupted half-way is completed by its redelivery. The version lives in the account
 * group's attributes and is written last: a declaration is "applied" only once all of it is.
 * Two deliveries of one account's declarations never run at once (the event bus keys them by
 * account and applies them in order), so read-compare-write on the version needs no lock.
 */
export class KeycloakAccountRoles {
  private setup: Promise<RealmSetup> | null = null;

  constructor(private readonly admin: KcAdminClient) {}

  async declare(declaration: AccountRolesDeclaration): Promise<AccountRolesOutcome> {
    const setup = await this.realmSetup();
    const group = await this.ensureAccountGroup(declaration.accountId);
    if (rolesVersionOf(group) > declaration.version) return 'stale';
    const wanted: Identified<RoleRepresentation>[] = [];
    for (const role of declaration.roles) wanted.push(await this.ensureRole(setup, role));
    await this.replaceGroupRoles(group.id, wanted);
    await this.admin.groups.update(
      { id: group.id },
      { ...group, ...accountGroupRepresentation(declaration.accountId, declaration.version) },
    );
    return 'applied';
  }

  async find(accountId: string): Promise<AccountRolesDeclaration | null> {
    const group = await this.findAccountGroup(accountId);
    const version = group ? rolesVersionOf(group) : 0;
    if (!group || version === 0) return null;
    const holder = await this.findHolder();
    const roles: AccountRole[] = [];
    for (const role of await this.admin.groups.listRealmRoleMappings({ id: group.id })) {
      if (!role.id || !role.name) continue;
      const permissions = holder
        ? await this.admin.roles.getCompositeRolesForClient({ id: role.id, clientId: holder })
        : [];
      roles.push({ name: role.name, permissions: permissions.flatMap((p) => (p.name ? [p.name] : [])).sort() });
    }
    roles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { accountId, roles, version };
  }

  /**
   * Makes the client carry its account's roles: the roles scope as a default scope, no full scope,
   * and its service-account user in the account's group only (a moved client leaves the old one).
   */
  async attach(client: ClientRepresentation & { id: string }, accountId: string): Promise<void> {
    const setup = await this.realmSetup();
    if (client.fullScopeAllowed !== false) {
      // Clients created before the roles claim existed: bring them to the current layout.
      await this.admin.clients.update({ id: client.id }, { ...client, fullScopeAllowed: false });
    }
    if (!client.defaultClientScopes?.includes(ROLES_CLIENT_SCOPE)) {
      await this.admin.clients.addDefaultClientScope({ id: client.id, clientScopeId: setup.scopeId });
    }
    const user = await this.admin.clients.getServiceAccountUser({ id: client.id });
    if (!user.id) throw new Error(`client ${client.clientId} has no service-account user`);
    const target = await this.ensureAccountGroup(accountId);
    let member = false;
    for (const group of await this.admin.users.listGroups({ id: user.id, briefRepresentation: true })) {
      if (group.id === target.id) member = true;
      else if (group.id && group.name?.startsWith(ACCOUNT_GROUP_PREFIX)) {
        await this.admin.users.delFromGroup({ id: user.id, groupId: group.id });
      }
    }
    if (!member) await this.admin.users.addToGroup({ id: user.id, groupId: target.id });
  }

  /** The realm-wide objects, made once per process (and again after a failure). */
  private realmSetup(): Promise<RealmSetup> {
    this.setup ??= this.makeRealmSetup().catch((error: unknown) => {
      this.setup = null;
      throw error;
    });
    return this.setup;
  }

  private async makeRealmSetup(): Promise<RealmSetup> {
    let scope = await this.admin.clientScopes.findOneByName({ name: ROLES_CLIENT_SCOPE });
    if (!scope) {
      await createTolerant(() => this.admin.clientScopes.create(rolesClientScopeRepresentation()));
      scope = await this.admin.clientScopes.findOneByName({ name: ROLES_CLIENT_SCOPE });
    }
    if (!scope?.id) throw new Error(`client scope ${ROLES_CLIENT_SCOPE} could not be created`);
    const mapper = rolesClaimMapper();
    const mappers = await this.admin.clientScopes.listProtocolMappers({ id: scope.id });
    if (!mappers.some((existing) => existing.name === mapper.name)) {
      await createTolerant(() => this.admin.clientScopes.addProtocolMapper({ id: scope.id! }, mapper));
    }
    let holderId = await this.findHolder();
    if (!holderId) {
      await createTolerant(() => this.admin.clients.create(permissionsHolderRepresentation()));
      holderId = await this.findHolder();
    }
    if (!holderId) throw new Error(`client ${PERMISSIONS_HOLDER_CLIENT} could not be created`);
    return { scopeId: scope.id, holderId };
  }

  private async findHolder(): Promise<string | undefined> {
    const [holder] = (await this.admin.clients.find({ clientId: PERMISSIONS_HOLDER_CLIENT, search: false })).filter(
      (client) => client.clientId === PERMISSIONS_HOLDER_CLIENT,
    );
    return holder?.id;
  }

  /** The realm role, a composite of exactly the role's permissions, within the roles scope. */
  private async ensureRole(setup: RealmSetup, role: AccountRole): Promise<Identified<RoleRepresentation>> {
    const permissionRoles: Identified<RoleRepresentation>[] = [];
    for (const permission of role.permissions) {
      let found = identified(await this.admin.clients.findRole({ id: setup.holderId, roleName: permission }));
      if (!found) {
        await createTolerant(() => this.admin.clients.createRole({ id: setup.holderId, name: permission }));
        found = identified(await this.admin.clients.findRole({ id: setup.holderId, roleName: permission }));
      }
      if (!found) throw new Error(`permission role ${permission} could not be created`);
      permissionRoles.push(found);
    }
    let realmRole = identified(await this.admin.roles.findOneByName({ name: role.name }));
    if (!realmRole) {
      await createTolerant(() =>
        this.admin.roles.create({
          name: role.name,
          description: 'An account role declared through the FlexGalaxy identity port',
          attributes: { 'flexgalaxy.managed': ['true'] },
        }),
      );
      realmRole = identified(await this.admin.roles.findOneByName({ name: role.name }));
    }
    if (!realmRole) throw new Error(`realm role ${role.name} could not be created`);
    const current = await this.admin.roles.getCompositeRolesForClient({ id: realmRole.id, clientId: setup.holderId });
    const wanted = new Set(role.permissions);
    const have = new Set(current.map((composite) => composite.name));
    const missing = permissionRoles.filter((permission) => !have.has(permission.name));
    const extra = current.filter((composite) => !composite.name || !wanted.has(composite.name));
    if (missing.length > 0) await this.admin.roles.createComposite({ roleId: realmRole.id }, missing);
    if (extra.length > 0) await this.admin.roles.delCompositeRoles({ id: realmRole.id }, extra);
    const scoped = await this.admin.clientScopes.listRealmScopeMappings({ id: setup.scopeId });
    if (!scoped.some((mapping) => mapping.id === realmRole.id)) {
      await this.admin.clientScopes.addRealmScopeMappings({ id: setup.scopeId }, [realmRole]);
    }
    return realmRole;
  }

  private async replaceGroupRoles(groupId: string, wanted: Identified<RoleRepresentation>[]): Promise<void> {
    const current = (await this.admin.groups.listRealmRoleMappings({ id: groupId })).flatMap((role) => {
      const valid = identified(role);
      return valid ? [valid] : [];
    });
    const wantedIds = new Set(wanted.map((role) => role.id));
    const currentIds = new Set(current.map((role) => role.id));
    const extra = current.filter((role) => !wantedIds.has(role.id));
    const missing = wanted.filter((role) => !currentIds.has(role.id));
    if (extra.length > 0) await this.admin.groups.delRealmRoleMappings({ id: groupId, roles: extra });
    if (missing.length > 0) await this.admin.groups.addRealmRoleMappings({ id: groupId, roles: missing });
  }

  private async findAccountGroup(accountId: string): Promise<Identified<GroupRepresentation> | null> {
    const name = accountGroupName(accountId);
    const matches = await this.admin.groups.find({ search: name, exact: true, briefRepresentation: false });
    return identified(matches.find((group) => group.name === name));
  }

  /** The account's group, created on first need (a client or a declaration of the account). */
  private async ensureAccountGroup(accountId: string): Promise<Identified<GroupRepresentation>> {
    const found = await this.findAccountGroup(accountId);
    if (found) return found;
    await createTolerant(() => this.admin.groups.create(accountGroupRepresentation(accountId)));
    const created = await this.findAccountGroup(accountId);
    if (!created) throw new Error(`group ${accountGroupName(accountId)} could not be created`);
    return created;
  }
}
