import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DatabaseConnection } from '@flexgalaxy/db';

/** Liveness and readiness in one: answers 200 only while the database answers. */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(@Inject(DatabaseConnection) private readonly database: DatabaseConnection) {}

  @Get()
  @HttpCode(200)
  async check(): Promise<{ status: 'ok'; database: string }> {
    try {
      await this.database.sql.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('database unavailable');
    }
    return { status: 'ok', database: this.database.driver };
  }
}
