"""The emulator's certificate is a loopback leaf: trusting it trusts nothing else its key could sign."""

from __future__ import annotations

import datetime
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pulumi_dataprotection.emulator.tls import ensure_certificate


def _handshake(cert: Path, key: Path, trust: Path, hostname: str) -> None:
    """A TLS handshake in memory: a server presenting `cert` and a client trusting `trust`, checking `hostname`."""
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(str(cert), str(key))
    client_ctx = ssl.create_default_context(cafile=str(trust))
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname=hostname)
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    done = {"client": False, "server": False}
    for _ in range(20):
        for name, side in (("client", client), ("server", server)):
            if not done[name]:
                try:
                    side.do_handshake()
                    done[name] = True
                except ssl.SSLWantReadError:
                    pass
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if all(done.values()):
            return
    raise AssertionError("the handshake did not finish")


def _signed_by_emulator_key(key_path: Path, issuer: x509.Certificate, hostname: str, out: Path) -> tuple[Path, Path]:
    """A certificate for `hostname` signed with the emulator's key (what anyone who can read key.pem can make)."""
    signer = serialization.load_pem_private_key(key_path.read_bytes(), None)
    assert isinstance(signer, ec.EllipticCurvePrivateKey)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
        .issuer_name(issuer.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
        .sign(signer, hashes.SHA256())
    )
    cert_path, key_path_out = out / "forged.pem", out / "forged-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path_out.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path_out


def test_the_certificate_is_a_loopback_server_leaf(tmp_path):
    cert_path, _ = ensure_certificate(tmp_path)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and not usage.key_cert_sign and not usage.crl_sign
    assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH
    ]
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    names = {*san.get_values_for_type(x509.DNSName), *(str(a) for a in san.get_values_for_type(x509.IPAddress))}
    assert names == {"localhost", "127.0.0.1", "::1"}


@pytest.mark.parametrize("hostname", ["127.0.0.1", "localhost"])
def test_the_trust_file_verifies_the_emulator(tmp_path, hostname):
    cert_path, key_path = ensure_certificate(tmp_path)
    _handshake(cert_path, key_path, cert_path, hostname)


@pytest.mark.parametrize("hostname", ["management.azure.com", "login.microsoftonline.com"])
def test_a_certificate_signed_with_the_emulator_key_does_not_verify(tmp_path, hostname):
    """Issue 24: the emulator certificate was an unconstrained CA: its key signed a management.azure.com certificate
    that verified against cert.pem."""
    cert_path, key_path = ensure_certificate(tmp_path)
    issuer = x509.load_pem_x509_certificate(cert_path.read_bytes())
    forged, forged_key = _signed_by_emulator_key(key_path, issuer, hostname, tmp_path)
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(forged, forged_key, cert_path, hostname)


def test_a_certificate_made_as_a_ca_is_replaced(tmp_path):
    cert_path, key_path = ensure_certificate(tmp_path)
    key = serialization.load_pem_private_key(key_path.read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    old = x509.load_pem_x509_certificate(cert_path.read_bytes())
    builder = (
        x509.CertificateBuilder()
        .subject_name(old.subject)
        .issuer_name(old.issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(old.not_valid_before_utc)
        .not_valid_after(old.not_valid_after_utc)
        .add_extension(old.extensions.get_extension_for_class(x509.SubjectAlternativeName).value, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    cert_path.write_bytes(builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
    ensure_certificate(tmp_path)
    renewed = x509.load_pem_x509_certificate(cert_path.read_bytes())
    assert renewed.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
