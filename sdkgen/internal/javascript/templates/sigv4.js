// AWS Signature Version 4 on Web Crypto, for browsers and Node.js: the
// signature the AWS specification defines for services other than S3
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html).

const encoder = new TextEncoder();

/**
 * Signs a request: sets its x-amz-date header, its x-amz-security-token
 * header when the credentials have a session token, and its authorization
 * header.
 *
 * The signature covers the method, the path and query as sent, the host,
 * the date, the session token and the SHA-256 of the body.
 *
 * @param {object} request The request to sign.
 * @param {string} request.method The HTTP method, upper case.
 * @param {string} request.host The host, with the port unless it is the default.
 * @param {string} request.path The path as sent, percent-encoded.
 * @param {string} request.query The query string as sent, without "?".
 * @param {Headers} request.headers The request's headers, which are set.
 * @param {string} request.body The body, or "" for none.
 * @param {{accessKeyId: string, secretAccessKey: string, sessionToken?: string}} credentials
 * @param {string} region The region signed for ("us-east-1").
 * @param {string} service The service signed for ("execute-api").
 * @param {Date} [now] The signing time.
 */
export async function signRequest(request, credentials, region, service, now = new Date()) {
  const amzDate = now.toISOString().replace(/[-:]|\.\d+/g, ""); // 20150830T123600Z
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${region}/${service}/aws4_request`;

  const signed = [
    ["host", request.host],
    ["x-amz-date", amzDate],
  ];
  if (credentials.sessionToken) {
    signed.push(["x-amz-security-token", credentials.sessionToken]);
  }
  const signedHeaders = signed.map(([name]) => name).join(";");
  const canonicalRequest = [
    request.method,
    canonicalURI(request.path),
    canonicalQuery(request.query),
    signed.map(([name, value]) => `${name}:${value.trim()}\n`).join(""),
    signedHeaders,
    hex(await subtle().digest("SHA-256", encoder.encode(request.body))),
  ].join("\n");
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    amzDate,
    scope,
    hex(await subtle().digest("SHA-256", encoder.encode(canonicalRequest))),
  ].join("\n");

  let key = encoder.encode(`AWS4${credentials.secretAccessKey}`);
  for (const part of [date, region, service, "aws4_request"]) {
    key = await hmac(key, part);
  }
  const signature = hex(await hmac(key, stringToSign));

  request.headers.set("x-amz-date", amzDate);
  if (credentials.sessionToken) {
    request.headers.set("x-amz-security-token", credentials.sessionToken);
  }
  request.headers.set(
    "authorization",
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`,
  );
}

/**
 * Returns the canonical URI of a path as sent: without "." and ".." and
 * empty segments, then URI-encoded once more, so that "%20" becomes
 * "%2520".
 */
function canonicalURI(path) {
  const segments = [];
  for (const segment of path.split("/")) {
    if (segment === "..") {
      segments.pop();
    } else if (segment !== "" && segment !== ".") {
      segments.push(segment);
    }
  }
  let normalized = "/" + segments.join("/");
  if (segments.length > 0 && path.endsWith("/")) {
    normalized += "/";
  }
  return normalized.split("/").map(uriEncode).join("/");
}

/**
 * Returns the canonical query string of a query as sent: each name and
 * value decoded and URI-encoded again, the pairs sorted by name and then
 * by value.
 */
function canonicalQuery(query) {
  const pairs = [];
  for (const piece of query.split("&")) {
    if (piece === "") {
      continue;
    }
    const eq = piece.indexOf("=");
    const [name, value] = eq < 0 ? [piece, ""] : [piece.slice(0, eq), piece.slice(eq + 1)];
    pairs.push([uriEncode(queryDecode(name)), uriEncode(queryDecode(value))]);
  }
  pairs.sort(([n1, v1], [n2, v2]) => compare(n1, n2) || compare(v1, v2));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

function queryDecode(s) {
  return decodeURIComponent(s.replaceAll("+", " "));
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Percent-encodes every UTF-8 byte of s outside the RFC 3986 unreserved
 * characters (A-Z a-z 0-9 - . _ ~).
 */
export function uriEncode(s) {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

async function hmac(key, data) {
  const algorithm = { name: "HMAC", hash: "SHA-256" };
  const cryptoKey = await subtle().importKey("raw", key, algorithm, false, ["sign"]);
  return new Uint8Array(await subtle().sign("HMAC", cryptoKey, encoder.encode(data)));
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

function subtle() {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new Error(
      "SigV4 signing needs Web Crypto (globalThis.crypto.subtle): " +
        "on Node.js 18, run node with --experimental-global-webcrypto",
    );
  }
  return subtle;
}
