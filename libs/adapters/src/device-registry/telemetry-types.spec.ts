import { telemetryTypeOf } from './telemetry-types.js';

describe(telemetryTypeOf.name, () => {
  it.each([
    ['battery', 'operational'],
    ['motor_hours', 'operational'],
    ['error_count', 'operational'],
    ['battery_cycles', 'operational'],
    ['health_cpu', 'health'],
    ['diagnostics', 'health'],
    ['alert', 'alerts'],
    ['alert_collision', 'alerts'],
    ['task', 'task_logs'],
    ['task_id', 'task_logs'],
    ['position', 'location'],
    ['pose', 'location'],
    ['location', 'location'],
    ['Position', 'location'],
    ['navsoft_path_cost', 'application'],
    ['positional_accuracy', 'application'],
  ])('should classify %s as %s', (key, type) => {
    expect(telemetryTypeOf(key)).toBe(type);
  });
});
