import { OrgModule } from '@flexgalaxy/org';
import { startTestApp, type TestApp } from './test-app.js';
import { openTestDatabase, type TestDatabase } from './test-database.js';

describe(startTestApp.name, () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    app = await startTestApp(db, { imports: [OrgModule] });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('should serve the modules under test with real tokens from the embedded issuer', async () => {
    const created = await app.request('POST', '/org/v1/accounts', {
      token: await app.adminToken(),
      body: { name: 'RoboMake', kind: 'maker' },
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'RoboMake', kind: 'maker' } });
    const accountToken = await app.tokenFor(String(created.body['id']), ['accounts.read']);
    await expect(
      app.request('GET', `/org/v1/accounts/${String(created.body['id'])}`, { token: accountToken }),
    ).resolves.toMatchObject({ status: 200 });
    await expect(app.request('GET', '/org/v1/accounts')).resolves.toMatchObject({ status: 401 });
  });
});
