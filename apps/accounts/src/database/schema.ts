/**
 * Every table of the service lives in this PostgreSQL schema, so the service can share a
 * database server with others without sharing names, and the outbox relay knows where to look.
 */
export const ACCOUNTS_SCHEMA = 'accounts';
