import { ThingsboardRequestError, type ThingsboardClient } from './thingsboard.client.js';
import { tbCustomerSchema } from './thingsboard.types.js';

const isStatus = (error: unknown, status: number) =>
  error instanceof ThingsboardRequestError && error.status === status;

/**
 * Our accounts as ThingsBoard customers. The platform uses one ThingsBoard tenant and maps each
 * FlexGalaxy account to one customer of it: assigning a device to a customer is ThingsBoard's own
 * way to scope devices below a tenant, and a tenant administrator can move a device between
 * customers with one call, whereas moving it between tenants is not an ordinary REST operation.
 * The account hierarchy itself stays in the org service; ThingsBoard only holds the owner.
 *
 * The customer's title is `flexgalaxy:<accountId>` (titles are unique per tenant, so the lookup is
 * exact and cannot collide with customers people created by hand). Ids are cached: customers are
 * never renamed, and `forget` drops an id that stopped working.
 */
export class ThingsboardCustomers {
  private readonly ids = new Map<string, Promise<string>>();

  constructor(private readonly client: ThingsboardClient) {}

  static titleOf(accountId: string): string {
    return `flexgalaxy:${accountId}`;
  }

  idFor(accountId: string): Promise<string> {
    let id = this.ids.get(accountId);
    if (!id) {
      id = this.findOrCreate(accountId);
      this.ids.set(accountId, id);
      id.catch(() => this.ids.delete(accountId));
    }
    return id;
  }

  forget(accountId: string): void {
    this.ids.delete(accountId);
  }

  private async findOrCreate(accountId: string): Promise<string> {
    const title = ThingsboardCustomers.titleOf(accountId);
    const existing = await this.find(title);
    if (existing) return existing;
    try {
      const created = await this.client.request('POST', '/api/customer', {
        data: { title, additionalInfo: { flexgalaxy: { accountId } } },
        schema: tbCustomerSchema,
      });
      return created.id.id;
    } catch (error) {
      // Another instance created it between our lookup and our POST ("Customer with such title already exists!").
      if (!isStatus(error, 400)) throw error;
      const raced = await this.find(title);
      if (!raced) throw error;
      return raced;
    }
  }

  private async find(title: string): Promise<string | null> {
    try {
      const customer = await this.client.request('GET', '/api/tenant/customers', {
        params: { customerTitle: title },
        schema: tbCustomerSchema,
      });
      return customer.id.id;
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }
}
