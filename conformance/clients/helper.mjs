// helper.mjs - start graphmock, give each test file its own tenant, and build
// the two official SDK clients (v3 @microsoft/microsoft-graph-client and the
// Kiota-based @microsoft/msgraph-sdk) pointed at it.
//
// Usage in a test file:
//   const mock = await startGraphmock();   // in before()
//   ... mock.base, mock.tenant, mock.v3(), mock.kiota(), mock.admin(...)
//   await mock.stop();                      // in after(): SIGTERM, asserts exit 0
import './node18.mjs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client } from '@microsoft/microsoft-graph-client';
import { AnonymousAuthenticationProvider } from '@microsoft/kiota-abstractions';
import { KiotaClientFactory, MiddlewareFactory } from '@microsoft/kiota-http-fetchlibrary';
import { createGraphServiceClient, GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import { createGraphClientFactory } from '@microsoft/msgraph-sdk-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GRAPHMOCK_BIN =
  process.env.GRAPHMOCK_BIN || path.resolve(here, '../../build/release/graphmock');

// Ids of the built-in fixture tenant (state/default_fixture.json); every
// tenant made by POST /_mock/tenants is a copy with the same object ids.
export const FIXTURE = {
  adminId: '33c3317d-939c-4e2f-855a-95aa465db42a',
  adeleId: '867c0910-85c6-4427-9a19-b6e7e79332ae',
  developerGroupId: '1892265b-9c32-4dcf-b9ab-51bf32136e62',
  docusignTemplateId: 'a729a8fd-bc83-4333-b112-11d98d23cf8f',
  docusignSenderRoleId: 'f4fdf2fd-6b29-435b-9165-31c0b21f9cd7',
  domain: 'contoso.onmicrosoft.com',
};

const TENANT_HEADER = 'X-Graphmock-Tenant';

// A fixed bearer token for the v3 client. Over plain http the v3
// AuthenticationHandler does not send it (real-clients.md §4.1): fine, graphmock
// has no auth yet.
const v3AuthProvider = { getAccessToken: async () => 'graphmock-test-token' };

/** Starts build/release/graphmock on a free port and creates a fresh tenant. */
export async function startGraphmock({ args = [] } = {}) {
  const child = spawn(GRAPHMOCK_BIN, ['--port', '0', '--seed', '1', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = once(child, 'exit');

  const base = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`graphmock did not start: ${stderr}`)), 5000);
    rl.on('line', (line) => {
      const m = /^graphmock listening on (https?:\/\/\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`graphmock exited with ${code} before listening: ${stderr}`));
    });
  });

  const created = await fetch(`${base}/_mock/tenants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(created.status, 201, 'POST /_mock/tenants');
  const tenant = (await created.json()).id;

  const mock = {
    base,
    tenant,
    child,
    /** Plain fetch against graphmock (admin plane or raw Graph) in this tenant. */
    async fetch(pathOrUrl, init = {}) {
      const url = pathOrUrl.startsWith('http') ? pathOrUrl : base + pathOrUrl;
      const headers = new Headers(init.headers);
      headers.set(TENANT_HEADER, tenant);
      return fetch(url, { ...init, headers });
    },
    /** JSON helper for /_mock calls: returns {status, body}. */
    async admin(method, p, body) {
      const res = await mock.fetch(p, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    },
    /** The v3 client, as a Graph user sets it up, plus the tenant header. */
    v3(options = {}) {
      return Client.initWithMiddleware({
        authProvider: v3AuthProvider,
        baseUrl: `${base}/`,
        defaultVersion: 'v1.0',
        fetchOptions: { headers: { [TENANT_HEADER]: tenant } },
        ...options,
      });
    },
    /**
     * The Kiota request adapter; every request carries the tenant header.
     * compress: Kiota's performance middlewares instead of Graph's default
     * chain, whose CompressionHandler sends bodies gzip-compressed.
     */
    kiotaAdapter({ compress = false } = {}) {
      const tenantFetch = (url, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set(TENANT_HEADER, tenant);
        return fetch(url, { ...init, headers });
      };
      const httpClient = compress
        ? KiotaClientFactory.create(tenantFetch, MiddlewareFactory.getPerformanceMiddlewares(tenantFetch))
        : createGraphClientFactory(
          { graphServiceTargetVersion: '', graphServiceLibraryClientVersion: 'graphmock-tests' },
          tenantFetch,
        );
      const adapter = new GraphRequestAdapter(
        new AnonymousAuthenticationProvider(),
        undefined,
        undefined,
        httpClient,
      );
      adapter.baseUrl = `${base}/v1.0`;
      return adapter;
    },
    /** The Kiota GraphServiceClient (fluent API) over kiotaAdapter(). */
    kiota(options) {
      return createGraphServiceClient(mock.kiotaAdapter(options));
    },
    /** SIGTERM, then assert a clean exit (code 0). */
    async stop() {
      if (child.exitCode !== null) {
        assert.fail(`graphmock died early with ${child.exitCode}: ${stderr}`);
      }
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      assert.equal(signal, null, `graphmock killed by ${signal}: ${stderr}`);
      assert.equal(code, 0, `graphmock exit code: ${stderr}`);
    },
  };
  return mock;
}

/** A unique-enough suffix for email addresses within one test file. */
export function uniq() {
  return Math.random().toString(16).slice(2, 10);
}
