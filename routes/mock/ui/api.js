// api.js - the dashboard is a client like any other: it calls graphmock's
// public admin API (/_mock/...) and Graph routes (/v1.0/...), on this origin,
// naming the tenant with X-Graphmock-Tenant. Under --auth jwt a Graph call
// that answers 401 fetches an app token from graphmock's own token endpoint
// (client credentials for the client id chosen on the Tenants page) and
// is sent once more. When graphmock runs with --admin-token, an admin call
// that answers 401 asks the person for that token once (kept for this
// browser tab only, in sessionStorage) and is sent once more.

const TENANT_KEY = 'graphmock.ui.tenant';
const CLIENT_KEY = 'graphmock.ui.clientId';
const ADMIN_TOKEN_KEY = 'graphmock.ui.adminToken';
/* The fixture's "Guest onboarding automation" app (README). */
export const DEFAULT_CLIENT_ID = 'bb307b24-a6db-470e-9a3b-e58a68578312';

function stored(key) {
  try {
    return localStorage.getItem(key) || '';
  } catch {
    return '';
  }
}

function store(key, value) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    /* storage disabled: the choice lasts until the page is reloaded */
  }
}

function sessionStored(key) {
  try {
    return sessionStorage.getItem(key) || '';
  } catch {
    return '';
  }
}

function sessionStore(key, value) {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    /* storage disabled: asked again after a reload */
  }
}

export const session = {
  tenant: stored(TENANT_KEY), // id of the chosen tenant, '' = the server's default
  tenants: [], // from GET /_mock/tenants
  clientId: stored(CLIENT_KEY) || DEFAULT_CLIENT_ID,
  token: null,
  adminToken: sessionStored(ADMIN_TOKEN_KEY), // --admin-token, '' until asked for
};

export function setTenant(id) {
  session.tenant = id || '';
  session.token = null;
  store(TENANT_KEY, session.tenant);
}

export function setClientId(id) {
  session.clientId = id || DEFAULT_CLIENT_ID;
  session.token = null;
  store(CLIENT_KEY, id);
}

/** The tenant the dashboard acts on: the chosen one, else the server's default (first). */
export function currentTenant() {
  return session.tenants.find((t) => t.id === session.tenant) || session.tenants[0] || null;
}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/* Graph's envelope {"error": {"code", "message"}}, else the text itself. */
function messageOf(json, text, status) {
  const e = json && json.error;
  if (e && (e.message || e.code)) return e.message ? `${e.message}${e.code ? ` (${e.code})` : ''}` : e.code;
  return text ? text.slice(0, 300) : `HTTP ${status}`;
}

async function send(method, url, { body, headers = {}, graph = false } = {}) {
  const h = { Accept: 'application/json', ...headers };
  const tenant = currentTenant();
  if (tenant) h['X-Graphmock-Tenant'] = tenant.id;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    if (!h['Content-Type']) h['Content-Type'] = 'application/json';
  }
  if (graph && session.token) h.Authorization = `Bearer ${session.token}`;
  if (!graph && session.adminToken) h['X-Graphmock-Admin-Token'] = session.adminToken;
  return fetch(url, { method, headers: h, body: payload, cache: 'no-store' });
}

async function token() {
  const tenant = currentTenant();
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: session.clientId,
    client_secret: 'graphmock-dashboard',
    scope: 'https://graph.microsoft.com/.default',
  });
  const res = await fetch(`/${encodeURIComponent(tenant ? tenant.id : 'organizations')}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok || !json || !json.access_token) {
    throw new ApiError(res.status, `Graph wants a token (--auth jwt) and the token endpoint refused client id ` +
      `${session.clientId}: ${json?.error_description || json?.error || res.statusText}. ` +
      'Pick an app on the Tenants page.', json);
  }
  session.token = json.access_token;
}

/*
 * The admin plane's 401 (WWW-Authenticate: Bearer realm="graphmock-admin"):
 * ask for --admin-token, unless a call running alongside already got a newer
 * one (@sent: the token this call carried). false when the person declines.
 */
function askAdminToken(res, sent) {
  if (!/graphmock-admin/.test(res.headers.get('WWW-Authenticate') || '')) return false;
  if (session.adminToken && session.adminToken !== sent) return true;
  const given = window.prompt(session.adminToken
    ? 'That admin token was refused. graphmock --admin-token:'
    : 'This graphmock needs its admin token (--admin-token):');
  if (!given) return false;
  session.adminToken = given.trim();
  sessionStore(ADMIN_TOKEN_KEY, session.adminToken);
  return true;
}

/**
 * call(method, url, opts) - the parsed JSON answer (null for 204), or an
 * ApiError carrying the status and Graph's message. opts: body (object or
 * string), headers, graph (true for Graph routes: tokens under --auth jwt),
 * full (resolve to {status, json, headers} instead).
 */
export async function call(method, url, opts = {}) {
  const sentAdminToken = session.adminToken;
  let res = await send(method, url, opts);
  if (opts.graph && res.status === 401) {
    await token();
    res = await send(method, url, opts);
  } else if (!opts.graph && res.status === 401 && askAdminToken(res, sentAdminToken)) {
    res = await send(method, url, opts);
  }
  const text = res.status === 204 || res.status === 304 ? '' : await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) throw new ApiError(res.status, messageOf(json, text, res.status), json);
  return opts.full ? { status: res.status, json, headers: res.headers } : json;
}

/** The admin plane: admin('GET', '/_mock/tenants'). */
export function admin(method, path, body) {
  return call(method, path, { body });
}

/**
 * Graph: graph('GET', '/v1.0/users?$top=5'). A nextLink (absolute, on
 * graphmock's base URL) is followed by its path and query on this origin.
 */
export function graph(method, path, body, headers) {
  let url = path;
  if (/^https?:\/\//i.test(url)) {
    const u = new URL(url);
    url = u.pathname + u.search;
  }
  return call(method, url, { body, headers, graph: true });
}

/** Every page of a Graph collection (small ones: members, roles). */
export async function graphAll(path, headers) {
  const out = [];
  let next = path;
  for (let pages = 0; next && pages < 50; pages += 1) {
    const page = await graph('GET', next, undefined, headers);
    out.push(...(page.value || []));
    next = page['@odata.nextLink'];
  }
  return out;
}

/** Quotes a value for an OData string literal: O'Brien -> 'O''Brien'. */
export function odataString(s) {
  return `'${String(s).replace(/'/g, "''")}'`;
}

/** Escapes the double quotes of a $search term. */
export function searchTerm(s) {
  return String(s).replace(/["\\]/g, ' ').trim();
}

export function qs(params) {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A user or group from what a person types: an object id, a user's
 * userPrincipalName or mail, or a group's displayName. Resolves to
 * {id, displayName, kind}, or throws an ApiError naming what was not found.
 */
export async function resolvePrincipal(text) {
  const s = String(text).trim();
  if (!s) throw new ApiError(0, 'Type an object id, a user principal name, an email address or a group name.');
  if (GUID.test(s)) {
    const o = await graph('GET', `/v1.0/directoryObjects/${s}`);
    return { id: o.id, displayName: o.displayName || o.id, kind: (o['@odata.type'] || '').replace('#microsoft.graph.', '') };
  }
  const users = await graph('GET', `/v1.0/users?${qs({
    $filter: `userPrincipalName eq ${odataString(s)} or mail eq ${odataString(s)}`,
    $select: 'id,displayName',
  })}`);
  if (users.value && users.value.length) return { ...users.value[0], kind: 'user' };
  const groups = await graph('GET', `/v1.0/groups?${qs({
    $filter: `displayName eq ${odataString(s)}`,
    $select: 'id,displayName',
  })}`);
  if (groups.value && groups.value.length) return { ...groups.value[0], kind: 'group' };
  throw new ApiError(0, `No user with userPrincipalName or mail “${s}”, and no group named so.`);
}
