#include "SigningKey.h"
#include "LinkSigner.h"
#include "TrackingException.h"
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace MassMailing
{
namespace
{
const std::size_t KEY_SIZE = 32;
const char HEX[] = "0123456789abcdef";

std::string systemError(const std::string& what)
{
    return what + ": " + std::strerror(errno);
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
} // namespace

const char* const SigningKey::FILE_NAME = "link-signing.key";
const char* const SigningKey::SECRETS_FILE_NAME = "secrets.key";

SigningKey::SigningKey(const std::string& dataDir, const std::string& configured, const char* fileName)
{
    if (!configured.empty())
    {
        if (configured.size() < LinkSigner::MIN_KEY_SIZE)
            throw Poco::InvalidArgumentException("massmailing.secret must be at least " +
                                                 std::to_string(LinkSigner::MIN_KEY_SIZE) +
                                                 " characters long, or empty for a random key");
        _bytes = configured;
        return;
    }
    const std::string path = fileIn(dataDir, fileName);
    if (!Poco::File(path).exists())
        create(path);
    _bytes = read(path);
}

std::string SigningKey::fileIn(const std::string& dataDir, const char* fileName)
{
    return dataDir + "/" + fileName;
}

void SigningKey::create(const std::string& path)
{
    unsigned char key[KEY_SIZE];
    if (RAND_bytes(key, int(KEY_SIZE)) != 1)
        throw SigningKeyException("no random bytes to make a link signing key");
    std::string text;
    for (unsigned char byte : key)
    {
        text += HEX[byte >> 4];
        text += HEX[byte & 15];
    }
    text += '\n';

    // Written whole in a file of our own (mkstemp makes it 0600), then linked to its name:
    // link() never replaces a file, so of two processes racing, one key wins and both read it.
    std::string pattern = path + ".XXXXXX";
    std::vector<char> temporary(pattern.begin(), pattern.end());
    temporary.push_back('\0');
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0)
        throw SigningKeyException(systemError("cannot create the link signing key " + path));
    bool written = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 &&
                   ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
    const int writeError = errno;
    ::close(fd);
    if (!written)
    {
        ::unlink(temporary.data());
        errno = writeError;
        throw SigningKeyException(systemError("cannot write the link signing key " + path));
    }
    const bool linked = ::link(temporary.data(), path.c_str()) == 0;
    const int linkError = errno;
    ::unlink(temporary.data());
    if (!linked && linkError != EEXIST)
    {
        errno = linkError;
        throw SigningKeyException(systemError("cannot create the link signing key " + path));
    }
}

std::string SigningKey::read(const std::string& path)
{
    std::string text;
    try
    {
        Poco::FileInputStream in(path);
        Poco::StreamCopier::copyToString(in, text);
    }
    catch (const Poco::Exception& error)
    {
        throw SigningKeyException("cannot read the link signing key " + path + ": " + error.displayText());
    }
    Poco::trimInPlace(text);
    std::string bytes;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    {
        const int high = hexValue(text[i]), low = hexValue(text[i + 1]);
        if (high < 0 || low < 0)
            break;
        bytes += char(high << 4 | low);
    }
    if (text.size() != 2 * KEY_SIZE || bytes.size() != KEY_SIZE)
        throw SigningKeyException(
            "the link signing key " + path + " is damaged (" + std::to_string(2 * KEY_SIZE) +
            " hexadecimal digits expected). Restore it from a backup; removing it makes a new "
            "key, and every link already sent stops working");
    return bytes;
}
} // namespace MassMailing
