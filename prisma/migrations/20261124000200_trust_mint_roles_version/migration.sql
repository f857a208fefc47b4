-- AlterTable
ALTER TABLE "trust_mint"."subscriptions" ADD COLUMN "roles_version" INTEGER NOT NULL DEFAULT 0;
