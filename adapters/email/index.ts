// The e-mail adapter's surface for tests and tools; the process finds it through platform.ts.
export { createEmailTransport, digestTargetFor, smtpOptions, type EmailSettings, type EmailTransport } from './transport.ts';
export { renderEmail, subjectOf } from './render.ts';
