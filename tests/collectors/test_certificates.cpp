// Test certificates: see test_certificates.h.
#include "test_certificates.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>

namespace pulse::test {

namespace {

struct FileCloser {
    void operator()(std::FILE *f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

bool addExtension(X509 *cert, int nid, const std::string &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext == nullptr)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

} // namespace

std::string writeSelfSignedCertificate(const std::string &certPath, const std::string &keyPath,
                                       const std::string &host, long fromDays, long untilDays)
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
                                                           EVP_PKEY_free);
    if (!key)
        return "cannot make a key";
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    if (!cert || X509_set_version(cert.get(), 2) != 1)
        return "cannot make a certificate";
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), fromDays * 86'400);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), untilDays * 86'400);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(host.c_str()), -1,
                               -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (!addExtension(cert.get(), NID_subject_alt_name, "DNS:" + host) ||
        !addExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE"))
        return "cannot add the certificate's extensions";
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        return "cannot sign the certificate";
    File certFile(std::fopen(certPath.c_str(), "w"));
    File keyFile(std::fopen(keyPath.c_str(), "w"));
    if (!certFile || !keyFile)
        return "cannot write " + certPath + " or " + keyPath;
    if (PEM_write_X509(certFile.get(), cert.get()) != 1 ||
        PEM_write_PrivateKey(keyFile.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return "cannot write the PEM files";
    return {};
}

} // namespace pulse::test
