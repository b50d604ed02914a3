#!/usr/bin/env python3
"""Put the test certificate of test-fixtures/app-certificate where it is used.

Called by regenerate.sh after it made cert.pem and key.pem:
  write_uses.py DIR STRANGER_KEY STRANGER_CERT

- state/default_fixture.json: the keyCredentials line of "Guest onboarding
  automation" (key, customKeyIdentifier, displayName, dates);
- conformance/cases/identity/03*-assertion-*/request: client assertions
  signed with key.pem (or, for the refusals, with the stranger's key), each
  valid until 2100 so the cases never age.
"""
import base64
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys

APP_ID = "bb307b24-a6db-470e-9a3b-e58a68578312"
KEY_ID = "6b1f2c64-9a1e-4c43-b2f5-1d7a3e9c0f21"
AUD = "https://login.microsoftonline.com/organizations/oauth2/v2.0/token"
LATER = 4102444800  # 2100-01-01
NBF = 1700000000
ASSERTION_TYPE = "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
SCOPE = "https%3A%2F%2Fgraph.microsoft.com%2F.default"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der_of(pem_file):
    return subprocess.run(["openssl", "x509", "-in", pem_file, "-outform", "DER"],
                          check=True, capture_output=True).stdout


def cert_date(pem_file, which):
    out = subprocess.run(["openssl", "x509", "-in", pem_file, "-noout", "-" + which],
                         check=True, capture_output=True, text=True).stdout
    text = out.strip().split("=", 1)[1]
    when = datetime.datetime.strptime(text, "%b %d %H:%M:%S %Y %Z")
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(key_file, header, payload, pss):
    h = b64url(json.dumps(header, separators=(",", ":")).encode())
    p = b64url(json.dumps(payload, separators=(",", ":")).encode())
    cmd = ["openssl", "dgst", "-sha256", "-sign", key_file]
    if pss:
        cmd += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"]
    sig = subprocess.run(cmd, input=f"{h}.{p}".encode(), check=True,
                         capture_output=True).stdout
    return f"{h}.{p}.{b64url(sig)}"


def claims(**over):
    c = {"aud": AUD, "iss": APP_ID, "sub": APP_ID,
         "jti": "a3b1c9e2-4f5d-4e6a-8b7c-9d0e1f2a3b4c", "nbf": NBF, "exp": LATER}
    c.update(over)
    return c


def write_request(root, case, assertion):
    path = os.path.join(root, "conformance/cases/identity", case, "request")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("POST /organizations/oauth2/v2.0/token\n"
                "Content-Type: application/x-www-form-urlencoded\n\n"
                f"client_id={APP_ID}&client_assertion_type={ASSERTION_TYPE}"
                f"&client_assertion={assertion}&scope={SCOPE}"
                "&grant_type=client_credentials\n")


def main():
    here, stranger_key, stranger_cert = sys.argv[1:4]
    root = os.path.dirname(os.path.dirname(here))
    key, cert = os.path.join(here, "key.pem"), os.path.join(here, "cert.pem")
    der = der_of(cert)
    sha1, sha256 = hashlib.sha1(der).digest(), hashlib.sha256(der).digest()
    stranger_sha1 = hashlib.sha1(der_of(stranger_cert)).digest()

    cred = {"customKeyIdentifier": base64.b64encode(sha1).decode(),
            "displayName": "CN=graphmock test app",
            "endDateTime": cert_date(cert, "enddate"), "key": base64.b64encode(der).decode(),
            # the app's creation date, not the certificate's (openssl cannot
            # back-date it): tests that freeze the mock clock in 2024 still work
            "keyId": KEY_ID, "startDateTime": "2024-01-15T09:20:00Z",
            "type": "AsymmetricX509Cert", "usage": "Verify"}
    fixture = os.path.join(root, "state/default_fixture.json")
    with open(fixture) as f:
        text = f.read()
    line = '          "keyCredentials": [' + json.dumps(cred) + "],"
    text, n = re.subn(r'^          "keyCredentials": \[\{"customKeyIdentifier".*$', line,
                      text, flags=re.M)
    if n != 1:
        sys.exit("state/default_fixture.json: the keyCredentials line was not found")
    with open(fixture, "w") as f:
        f.write(text)

    rs = {"alg": "RS256", "typ": "JWT", "x5t": b64url(sha1)}
    ps = {"alg": "PS256", "typ": "JWT", "x5t#S256": b64url(sha256)}
    write_request(root, "030-assertion-rs256-x5t", sign(key, rs, claims(), False))
    write_request(root, "031-assertion-ps256-x5t-s256", sign(key, ps, claims(), True))
    write_request(root, "032-assertion-expired",
                  sign(key, rs, claims(exp=NBF + 600), False))
    write_request(root, "033-assertion-wrong-audience",
                  sign(key, rs, claims(aud="https://login.microsoftonline.com/"
                                       "fabrikam.onmicrosoft.com/oauth2/v2.0/token"),
                       False))
    write_request(root, "034-assertion-unknown-certificate",
                  sign(stranger_key, {"alg": "RS256", "typ": "JWT",
                                      "x5t": b64url(stranger_sha1)}, claims(), False))
    write_request(root, "035-assertion-bad-signature", sign(stranger_key, ps, claims(), True))
    write_request(root, "036-assertion-subject-mismatch",
                  sign(key, rs, claims(sub="0e6a4b2c-8d1f-4e3a-b5c7-9f2d6a8e1b43"), False))
    write_request(root, "038-assertion-not-yet-valid",
                  sign(key, rs, claims(nbf=LATER - 600), False))


if __name__ == "__main__":
    main()
