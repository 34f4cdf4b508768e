#include "push/P256Key.h"
#include <Poco/Exception.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

namespace MassMailing
{
struct P256Key::Handle
{
    EVP_PKEY* key = nullptr;
    ~Handle() { EVP_PKEY_free(key); }
};

namespace
{
const char* const CURVE = "prime256v1";

void check(bool ok, const char* what)
{
    if (!ok)
        throw Poco::SystemException(std::string("OpenSSL: ") + what);
}

// The key of these parameters (private scalar and/or public point), through OpenSSL 3's
// provider interface (the EC_KEY functions are deprecated).
EVP_PKEY* keyFromData(const BIGNUM* scalar, const std::string& point)
{
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                            OSSL_PARAM_BLD_free);
    check(builder != nullptr, "OSSL_PARAM_BLD_new");
    check(OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, CURVE, 0) == 1,
          "group name");
    check(OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                           point.size()) == 1,
          "public key");
    if (scalar)
        check(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar) == 1, "private key");
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(builder.get()),
                                                                   OSSL_PARAM_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
        EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
    check(params != nullptr && context != nullptr, "key parameters");
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &key, scalar ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                          params.get()) != 1)
        throw Poco::InvalidArgumentException("not a P-256 key");
    return key;
}

using Group = std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)>;
using Point = std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)>;
using Number = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

Group curve()
{
    Group group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1), EC_GROUP_free);
    check(group != nullptr, "EC_GROUP_new_by_curve_name");
    return group;
}

std::string encodePoint(const EC_GROUP* group, const EC_POINT* point)
{
    std::string bytes(P256Key::PUBLIC_SIZE, '\0');
    check(EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED,
                             reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                             nullptr) == P256Key::PUBLIC_SIZE,
          "EC_POINT_point2oct");
    return bytes;
}
} // namespace

P256Key::P256Key(std::unique_ptr<Handle> handle, std::string publicBytes, bool hasPrivate)
    : _handle(std::move(handle)), _public(std::move(publicBytes)), _hasPrivate(hasPrivate)
{
}

P256Key::~P256Key() = default;
P256Key::P256Key(P256Key&& other) noexcept = default;
P256Key& P256Key::operator=(P256Key&& other) noexcept = default;

P256Key P256Key::generate()
{
    auto handle = std::make_unique<Handle>();
    handle->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", CURVE);
    check(handle->key != nullptr, "EVP_PKEY_Q_keygen");
    BIGNUM* scalar = nullptr;
    check(EVP_PKEY_get_bn_param(handle->key, OSSL_PKEY_PARAM_PRIV_KEY, &scalar) == 1, "private key");
    Number owned(scalar, BN_free);
    std::string bytes(PRIVATE_SIZE, '\0');
    check(BN_bn2binpad(scalar, reinterpret_cast<unsigned char*>(bytes.data()), int(bytes.size())) ==
              int(PRIVATE_SIZE),
          "BN_bn2binpad");
    // Made again from the scalar, so that the public point is the uncompressed form.
    return fromPrivate(bytes);
}

P256Key P256Key::fromPrivate(const std::string& bytes)
{
    if (bytes.size() != PRIVATE_SIZE)
        throw Poco::InvalidArgumentException("a P-256 private key has 32 bytes, not " +
                                             std::to_string(bytes.size()));
    Group group = curve();
    Number scalar(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()), nullptr),
                  BN_free);
    check(scalar != nullptr, "BN_bin2bn");
    if (BN_is_zero(scalar.get()) || BN_cmp(scalar.get(), EC_GROUP_get0_order(group.get())) >= 0)
        throw Poco::InvalidArgumentException("not a P-256 private key");
    Point point(EC_POINT_new(group.get()), EC_POINT_free);
    check(point != nullptr &&
              EC_POINT_mul(group.get(), point.get(), scalar.get(), nullptr, nullptr, nullptr) == 1,
          "EC_POINT_mul");
    std::string publicBytes = encodePoint(group.get(), point.get());
    auto handle = std::make_unique<Handle>();
    handle->key = keyFromData(scalar.get(), publicBytes);
    return P256Key(std::move(handle), publicBytes, true);
}

P256Key P256Key::fromPublic(const std::string& bytes)
{
    if (bytes.size() != PUBLIC_SIZE || bytes[0] != '\x04')
        throw Poco::InvalidArgumentException("a P-256 public key has 65 bytes, the first 0x04");
    Group group = curve();
    Point point(EC_POINT_new(group.get()), EC_POINT_free);
    check(point != nullptr, "EC_POINT_new");
    if (EC_POINT_oct2point(group.get(), point.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                           bytes.size(), nullptr) != 1 ||
        EC_POINT_is_on_curve(group.get(), point.get(), nullptr) != 1)
        throw Poco::InvalidArgumentException("not a point of the curve P-256");
    auto handle = std::make_unique<Handle>();
    handle->key = keyFromData(nullptr, bytes);
    return P256Key(std::move(handle), bytes, false);
}

std::string P256Key::sharedSecret(const P256Key& peer) const
{
    if (!_hasPrivate)
        throw Poco::InvalidAccessException("ECDH needs the private key");
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
        EVP_PKEY_CTX_new_from_pkey(nullptr, _handle->key, nullptr), EVP_PKEY_CTX_free);
    check(context != nullptr && EVP_PKEY_derive_init(context.get()) == 1 &&
              EVP_PKEY_derive_set_peer(context.get(), peer._handle->key) == 1,
          "ECDH");
    std::size_t size = 0;
    check(EVP_PKEY_derive(context.get(), nullptr, &size) == 1, "ECDH");
    std::string secret(size, '\0');
    check(EVP_PKEY_derive(context.get(), reinterpret_cast<unsigned char*>(secret.data()), &size) == 1,
          "ECDH");
    secret.resize(size);
    return secret;
}

std::string P256Key::signEs256(const std::string& data) const
{
    if (!_hasPrivate)
        throw Poco::InvalidAccessException("signing needs the private key");
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    check(context != nullptr &&
              EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, _handle->key) == 1,
          "EVP_DigestSignInit");
    std::size_t size = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(data.data());
    check(EVP_DigestSign(context.get(), nullptr, &size, in, data.size()) == 1, "EVP_DigestSign");
    std::string der(size, '\0');
    check(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(der.data()), &size, in,
                         data.size()) == 1,
          "EVP_DigestSign");
    // OpenSSL answers DER (SEQUENCE of two INTEGERs); JWS wants the two numbers side by side.
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(
        d2i_ECDSA_SIG(nullptr, &cursor, long(size)), ECDSA_SIG_free);
    check(signature != nullptr, "d2i_ECDSA_SIG");
    std::string raw(64, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    check(BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, 32) == 32 &&
              BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + 32, 32) == 32,
          "BN_bn2binpad");
    return raw;
}

bool P256Key::verifyEs256(const std::string& data, const std::string& raw) const
{
    if (raw.size() != 64)
        return false;
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(ECDSA_SIG_new(), ECDSA_SIG_free);
    const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
    BIGNUM* r = BN_bin2bn(in, 32, nullptr);
    BIGNUM* s = BN_bin2bn(in + 32, 32, nullptr);
    if (!signature || !r || !s || ECDSA_SIG_set0(signature.get(), r, s) != 1)
    {
        BN_free(r);
        BN_free(s);
        throw Poco::SystemException("OpenSSL: ECDSA_SIG_set0");
    }
    unsigned char* der = nullptr;
    int size = i2d_ECDSA_SIG(signature.get(), &der);
    check(size > 0, "i2d_ECDSA_SIG");
    std::unique_ptr<unsigned char, void (*)(unsigned char*)> owned(der,
                                                                   [](unsigned char* p) { OPENSSL_free(p); });
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    check(context != nullptr &&
              EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, _handle->key) == 1,
          "EVP_DigestVerifyInit");
    return EVP_DigestVerify(context.get(), der, std::size_t(size),
                            reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}
} // namespace MassMailing
