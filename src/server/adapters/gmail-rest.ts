// The Gmail REST client moved to adapters/gmail/rest-client.ts; re-exported here for the jobs that
// still import it from this path.

export * from './gmail/rest-client';
