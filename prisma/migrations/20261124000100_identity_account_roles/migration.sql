-- CreateTable
CREATE TABLE "identity"."account_roles" (
    "account_id" TEXT NOT NULL,
    "roles" JSONB NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_roles_pkey" PRIMARY KEY ("account_id")
);
