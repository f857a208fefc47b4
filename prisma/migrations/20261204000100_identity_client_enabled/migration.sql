-- AlterTable: a suspended device's client is disabled, not deleted.
ALTER TABLE "identity"."clients" ADD COLUMN "enabled" BOOLEAN NOT NULL DEFAULT true;
