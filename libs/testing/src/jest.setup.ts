import 'reflect-metadata';
import { Logger } from '@nestjs/common';

// Nest's console logger is noise in test output; errors still show. LOG_TESTS=1 shows all.
if (!process.env['LOG_TESTS']) Logger.overrideLogger(['error']);
