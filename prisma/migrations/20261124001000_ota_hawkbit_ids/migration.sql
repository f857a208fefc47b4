-- hawkBit mode (HAWKBIT_URL): OTA Forge mirrors its catalog and assignments to the real hawkBit
-- and keeps hawkBit's ids beside its own. NULL for rows made without hawkBit (native DDI).
ALTER TABLE "ota"."software_modules" ADD COLUMN "hawkbit_id" BIGINT;
ALTER TABLE "ota"."artifacts" ADD COLUMN "hawkbit_id" BIGINT;
ALTER TABLE "ota"."distribution_sets" ADD COLUMN "hawkbit_id" BIGINT;
ALTER TABLE "ota"."actions" ADD COLUMN "hawkbit_action_id" BIGINT;

-- DDI feedback proxied to hawkBit names hawkBit's action id: the reverse lookup to ours.
CREATE UNIQUE INDEX "actions_hawkbit_action_id_key" ON "ota"."actions"("hawkbit_action_id");
