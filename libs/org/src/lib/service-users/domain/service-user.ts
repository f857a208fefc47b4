/** An AdminCenter service user: a client_credentials client acting for one account (seed 001). */
export interface ServiceUser {
  clientId: string;
  accountId: string;
  description: string;
  permissions: string[];
  createdBy: string;
  createdAt: Date;
  secretRotatedAt: Date | null;
}

/** A service user at the moment its secret is issued: the only time the secret is seen. */
export interface ServiceUserWithSecret extends ServiceUser {
  clientSecret: string;
}
