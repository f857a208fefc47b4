export { DRIVERS, openTestDatabase, TEST_POSTGRES_ADMIN_URL, type TestDatabase } from './lib/test-database.js';
export { waitFor } from './lib/wait-for.js';
