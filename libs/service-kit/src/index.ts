export { InvalidConfigurationError, loadConfig } from './lib/config/load-config.js';
export { httpConfigSchema, portSchema } from './lib/config/common.config.js';
export { createHttpApp, type HttpAppOptions } from './lib/http/create-http-app.js';
export { DomainErrorFilter, mapError } from './lib/http/domain-error.filter.js';
export { Endpoint, type EndpointOptions } from './lib/http/endpoint.decorator.js';
export type { ErrorBody } from './lib/http/error-body.js';
export { RequestValidationError } from './lib/http/request-validation.error.js';
export { RequestValidationInterceptor } from './lib/http/request-validation.interceptor.js';
export { HealthController } from './lib/observability/health.controller.js';
export { createLogger, PinoNestLogger } from './lib/observability/logger.js';
export { ServiceMetrics } from './lib/observability/metrics.js';
export { loadConfigSections } from './lib/config/load-config.js';
export { runService, type RunServiceOptions } from './lib/bootstrap/run-service.js';
export { ServiceRootModule, type ServiceRootOptions } from './lib/bootstrap/service-root.module.js';
export {
  DEFAULT_PORTS,
  serviceSections,
  withDataDirDefault,
  withIssuerDefault,
  type ServiceConfig,
  type ServiceSections,
} from './lib/bootstrap/service-sections.js';
export {
  countedPageResponseSchema,
  MAX_PAGE_SIZE,
  pageOf,
  pageQueryShape,
  pageResponseSchema,
  toPageRequest,
  type CountedPage,
  type Page,
  type PageRequest,
} from './lib/http/cursor-pagination.js';
